"""Celery tasks: small, idempotent, taking ids and re-reading state from the database.

Only tasks that are safe to run twice use acks_late (redelivered when a worker dies):
index refresh, detection, digest planning and sending. The crawl is not acknowledged late,
since a half-run crawl repeated at once would hit the sources twice; the next night retries.
"""

from __future__ import annotations

import functools
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from celery import chain
from redis.exceptions import ConnectionError as RedisConnectionError

from wijzer.alerts.delivery import RowBusy, TransientDeliveryError, deliver
from wijzer.alerts.detection import detect_changes as detect
from wijzer.alerts.digests import pending_outbox
from wijzer.alerts.runner import plan
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.models import utcnow
from wijzer.jobs.celery_app import app

log = logging.getLogger(__name__)

TRANSIENT = (
    TransientDeliveryError,
    smtplib.SMTPServerDisconnected,
    ConnectionRefusedError,
    RedisConnectionError,
    TimeoutError,
)
IDEMPOTENT: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT,
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@functools.cache
def services() -> Services:
    """One set of services per worker process, from the environment."""
    return Services(Settings.from_env())


@app.task(name="wijzer.jobs.tasks.crawl_sources", acks_late=False)
def crawl_sources(sources: Sequence[str] | None = None, offline: bool = False) -> dict[str, Any]:
    """Run the crawlers (crawler package, imported lazily: it is heavy and optional)."""
    from wijzer.crawler.crawling import run_crawl

    report = run_crawl(services().catalog, list(sources or []), offline=offline)
    return report if isinstance(report, dict) else {"report": str(report)}


@app.task(name="wijzer.jobs.tasks.refresh_index", **IDEMPOTENT)
def refresh_index(*_previous: Any) -> int:
    from wijzer.app.indexing import rebuild_index

    svc = services()
    return rebuild_index(svc.catalog, svc.backend, svc.optional_encoder(log.warning))


@app.task(name="wijzer.jobs.tasks.detect_changes", **IDEMPOTENT)
def detect_changes(*_previous: Any) -> int:
    return detect(services().catalog)


@app.task(name="wijzer.jobs.tasks.send_digests", **IDEMPOTENT)
def send_digests(frequency: str = "immediate", *_previous: Any) -> int:
    """Plan the due digests of one frequency (plus reminders) and queue every unsent row."""
    svc = services()
    frequencies = ("immediate", "daily", "weekly") if frequency == "all" else (frequency,)
    plan(svc, frequencies, utcnow())
    # Also re-queues rows left pending by SMTP failures or stuck past their lease.
    queued = pending_outbox(svc.catalog)
    for outbox_id in queued:
        send_one_digest.delay(outbox_id)
    return len(queued)


@app.task(name="wijzer.jobs.tasks.send_one_digest", bind=True, **IDEMPOTENT)
def send_one_digest(self: Any, outbox_id: int) -> str:
    svc = services()
    try:
        return deliver(svc.catalog, svc.settings, outbox_id)
    except RowBusy as exc:
        # Another delivery holds the lease: look again when it runs out.
        raise self.retry(countdown=exc.seconds_left + 1) from None


@app.task(name="wijzer.jobs.tasks.detect_and_send", **IDEMPOTENT)
def detect_and_send(frequency: str = "immediate") -> None:
    chain(detect_changes.si(), send_digests.si(frequency)).delay()


@app.task(name="wijzer.jobs.tasks.crawl_pipeline", acks_late=False)
def crawl_pipeline(sources: Sequence[str] | None = None, offline: bool = False) -> None:
    """crawl -> index -> detect -> immediate alerts, chained (no task waits on another)."""
    pipeline(sources, offline).delay()


def pipeline(sources: Sequence[str] | None = None, offline: bool = False) -> Any:
    return chain(
        crawl_sources.si(list(sources or []), offline),
        refresh_index.si(),
        detect_changes.si(),
        send_digests.si("immediate"),
    )
