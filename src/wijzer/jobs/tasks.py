"""Celery tasks: a thin adapter running the application's job steps, one task per step.

Beat sends `run_job(name)`; it chains the job's steps (wijzer.app.job_registry) as tasks that
take only names and re-read state from the database. Only steps that are safe to run twice use
acks_late (redelivered when a worker dies): index, detect, alerts and single deliveries. A
crawl is not acknowledged late, since a half-run crawl repeated at once would hit the sources
twice; the next night retries.
"""

from __future__ import annotations

import functools
import logging
import smtplib
from typing import Any

from celery import Task, chain
from redis.exceptions import ConnectionError as RedisConnectionError

from wijzer.alerts.delivery import RowBusy, TransientDeliveryError
from wijzer.app import alert_runs, job_registry
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.jobs.celery_app import app
from wijzer.jobs.schedule import RUN_JOB

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


@app.task(name=RUN_JOB, acks_late=False)
def run_job(name: str) -> int:
    """What beat sends: the job's steps as a chain (no task waits on another)."""
    job = job_registry.get(name)
    signatures = [
        (crawl_step if step.kind == "crawl" else job_step).si(name, number)
        for number, step in enumerate(job.steps)
    ]
    chain(*signatures).delay()
    return len(signatures)


def _run(name: str, number: int) -> dict[str, Any]:
    step = job_registry.get(name).steps[number]
    report = job_registry.run_step(
        services(), step, dispatch=lambda outbox_id: send_one_digest.delay(outbox_id)
    )
    log.info("job %s step %d (%s): %s", name, number, step.kind, report)
    return report


@app.task(name="wijzer.jobs.tasks.crawl_step", acks_late=False)
def crawl_step(name: str, number: int) -> dict[str, Any]:
    return _run(name, number)


@app.task(name="wijzer.jobs.tasks.job_step", **IDEMPOTENT)
def job_step(name: str, number: int) -> dict[str, Any]:
    return _run(name, number)


@app.task(name="wijzer.jobs.tasks.send_one_digest", bind=True, **IDEMPOTENT)
def send_one_digest(self: Task, outbox_id: int) -> str:
    try:
        return alert_runs.deliver_one(services(), outbox_id)
    except RowBusy as exc:
        # Another delivery holds the lease: look again when it runs out.
        raise self.retry(countdown=exc.seconds_left + 1) from None
