"""Two Celery worker processes on one queue, as on two machines: PostgreSQL, Elasticsearch and
real Redis shared. Every alert is still sent exactly once, and a crawl running on one worker
while the other runs the alerts loses no change.
"""

from __future__ import annotations

import re
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.alerts.conftest import SmtpServer, Worker, import_records, new_record, text_of, wait_for
from tests.conftest import service_url
from wijzer.alerts.detection import WATERMARK
from wijzer.app import subscribers
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.alerts_models import AlertOutbox, AlertState, DetectedChange
from wijzer.catalog.crawl_runs import CrawlRun
from wijzer.catalog.db import upgrade_database
from wijzer.catalog.models import Instrument, InstrumentVersion
from wijzer.jobs.celery_app import make_app
from wijzer.jobs.schedule import beat_schedule

pytestmark = [pytest.mark.slow, pytest.mark.redis, pytest.mark.postgres, pytest.mark.elasticsearch]

SUBSCRIBERS = 24
WATER = [
    new_record(f"nl-ut-water-{n}", f"Watersubsidie {n}", "Subsidie voor schoon water.")
    for n in range(3)
]


@pytest.fixture
def deployment(
    postgres_url: str,
    replay: str,
    alerts_env: dict[str, str],
    worker_factory: Callable[..., Worker],
) -> Iterator[tuple[Services, list[Worker], Callable[[str], None]]]:
    """The deployment's services, two workers on its queue, and beat's way to send a job."""
    upgrade_database(postgres_url)
    env = {
        "WIJZER_DATABASE_URL": postgres_url,
        "WIJZER_SEARCH_BACKEND": "elasticsearch",
        "WIJZER_ELASTICSEARCH_URL": service_url("WIJZER_ELASTICSEARCH_URL"),
        "WIJZER_ELASTICSEARCH_INDEX": f"wijzer-test-{uuid.uuid4().hex[:10]}",
        "WIJZER_CRAWL_REPLAY_URL": replay,
        "WIJZER_CELERY_VISIBILITY_TIMEOUT": "3600",
        "WIJZER_ALERTS_LEASE_SECONDS": "300",
    }
    workers = [worker_factory(**env), worker_factory(**env)]
    settings = Settings(
        data_dir=Path(alerts_env["WIJZER_DATA_DIR"]),
        database_url=postgres_url,
        search_backend="elasticsearch",
        elasticsearch_url=env["WIJZER_ELASTICSEARCH_URL"],
        elasticsearch_index=env["WIJZER_ELASTICSEARCH_INDEX"],
        redis_url=service_url("WIJZER_REDIS_URL"),
        celery_queue=workers[0].queue,
        smtp_port=int(alerts_env["WIJZER_SMTP_PORT"]),
        secret_key=alerts_env["WIJZER_SECRET_KEY"],
        base_url=alerts_env["WIJZER_BASE_URL"],
    )
    services = Services(settings)
    celery = make_app(settings)
    beat = beat_schedule()

    def send_as_beat(job: str) -> None:
        celery.send_task(beat[job]["task"], args=beat[job]["args"])

    try:
        yield services, workers, send_as_beat
    finally:
        try:
            services.backend.drop_all()  # type: ignore[attr-defined]
        finally:
            services.close()


def subscribe_water(services: Services, count: int) -> list[str]:
    addresses = [f"water{n}@example.org" for n in range(count)]
    for address in addresses:
        subscribers.subscribe(
            services, address, "query", {"q": "water"}, "immediate", "nl", confirmed=True
        )
    return addresses


def tasks_done_by(worker: Worker) -> int:
    """How many tasks this worker process finished (Celery logs each task that succeeded)."""
    log = worker.log.read_text(errors="replace")
    return len(re.findall(r"\[[^\]]+\] succeeded", log))


def test_two_workers_send_every_digest_exactly_once(
    deployment: tuple[Services, list[Worker], Callable[[str], None]], smtp: SmtpServer
) -> None:
    services, workers, send_as_beat = deployment
    addresses = subscribe_water(services, SUBSCRIBERS)
    import_records(services.catalog, WATER)
    # Beat fires while a run is still going: three runs race over the same changes.
    for _ in range(3):
        send_as_beat("immediate-alerts")
    smtp.inbox.wait_for(SUBSCRIBERS, timeout=120)
    time.sleep(4)  # a duplicate from either worker would arrive now
    received = Counter(m["To"] for m in smtp.inbox.messages)
    assert received == Counter({address: 1 for address in addresses})
    for message in smtp.inbox.messages:
        body = text_of(message)
        assert all(f"Watersubsidie {n}" in body for n in range(3))
    with services.catalog.session() as session:
        states = Counter(session.scalars(select(AlertOutbox.state)))
    assert states == Counter({"sent": SUBSCRIBERS})
    # Both processes took work from the queue. Which one sends the digests is up to the
    # broker: one worker may send all 24 while the other runs a racing alert run.
    assert all(tasks_done_by(w) > 0 for w in workers), [tasks_done_by(w) for w in workers]


def test_a_crawl_and_an_alert_run_in_parallel_lose_no_update(
    deployment: tuple[Services, list[Worker], Callable[[str], None]], smtp: SmtpServer
) -> None:
    services, _workers, send_as_beat = deployment
    addresses = subscribe_water(services, 4)
    subscribers.subscribe(
        services, "eu@example.org", "query", {"level": ["eu"]}, "immediate", "en", confirmed=True
    )
    import_records(services.catalog, WATER)
    # One worker takes the crawl of an EU source (it stores and indexes what it finds), the
    # other the alerts for the import, while the crawl is writing.
    send_as_beat("refresh-sedia")
    send_as_beat("immediate-alerts")
    smtp.inbox.wait_for(len(addresses), timeout=120)

    def crawl_finished() -> bool:
        with services.catalog.session() as session:
            return bool(
                session.scalar(
                    select(func.count())
                    .select_from(CrawlRun)
                    .where(CrawlRun.source == "sedia", CrawlRun.finished_at.is_not(None))
                )
            )

    wait_for(crawl_finished, 240, "the sedia crawl")
    # The next beat tick announces what the crawl brought; nothing else is sent twice.
    send_as_beat("immediate-alerts")
    wait_for(lambda: bool(smtp.inbox.to("eu@example.org")), 120, "the EU subscriber's alert")
    time.sleep(4)

    received = Counter(m["To"] for m in smtp.inbox.messages)
    assert received == Counter({**{a: 1 for a in addresses}, "eu@example.org": 1})
    eu = text_of(smtp.inbox.to("eu@example.org")[0])
    assert "Living labs to enhance soil health" in eu
    assert "Watersubsidie" not in eu

    with services.catalog.session() as session:
        created = session.scalar(
            select(func.count())
            .select_from(InstrumentVersion)
            .where(InstrumentVersion.change_kind == "created")
        )
        new = session.scalar(
            select(func.count()).select_from(DetectedChange).where(DetectedChange.kind == "new")
        )
        last_version = session.scalar(select(func.max(InstrumentVersion.id)))
        watermark = session.get(AlertState, WATERMARK)
        listed = session.scalar(
            select(func.count())
            .select_from(Instrument)
            .where(Instrument.review_state == "published", Instrument.withdrawn_at.is_(None))
            .where(Instrument.merged_into.is_(None))
        )
        sedia = session.scalar(
            select(func.count()).select_from(Instrument).where(Instrument.source == "sedia")
        )
        states = Counter(session.scalars(select(AlertOutbox.state)))
    assert sedia and sedia > 0
    # Every instrument written by the crawl or the import was seen by detection, once.
    assert created == new == sedia + len(WATER)
    assert watermark is not None and watermark.value == last_version
    assert services.backend.info().count == listed  # the crawl's index updates all landed
    assert states == Counter({"sent": len(addresses) + 1})
