"""The product as deployed, end to end: PostgreSQL catalog, Elasticsearch, Redis, a real Celery
worker process, beat's entries sent as beat sends them, the replay server in place of the web
and a real SMTP server.

nightly crawl -> index -> detect -> exactly one digest per due subscriber; the daily digests go
out on their own schedule; a staff edit reaches Elasticsearch and an immediate subscriber.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from tests.alerts.conftest import SmtpServer, Worker, text_of, wait_for
from tests.conftest import service_url
from tests.curation.conftest import PASSWORD, csrf_from, login
from wijzer.app import subscribers
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.curation.accounts import create_user
from wijzer.catalog.db import upgrade_database
from wijzer.catalog.models import Instrument
from wijzer.crawler.sources import enabled
from wijzer.jobs.celery_app import make_app
from wijzer.jobs.schedule import beat_schedule
from wijzer.search.query import build_query
from wijzer.web import create_app
from wijzer.web import services as site_services

pytestmark = [
    pytest.mark.slow,
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.elasticsearch,
]

STAFF = "redacteur@wijzer.test"
# An open Horizon topic in the recordings; the staff edit renames it and moves its deadline.
EDITED = "sedia:HORIZON-CL5-2027-03-D5-05"


@pytest.fixture
def deployed(
    postgres_url: str,
    replay: str,
    alerts_env: dict[str, str],
    worker_factory: Callable[..., Worker],
) -> Iterator[tuple[Settings, Worker]]:
    """Settings of the deployment and its worker, both on PostgreSQL and Elasticsearch."""
    upgrade_database(postgres_url)  # what `wijzer db upgrade` does before the services start
    env = {
        "WIJZER_DATABASE_URL": postgres_url,
        "WIJZER_SEARCH_BACKEND": "elasticsearch",
        "WIJZER_ELASTICSEARCH_URL": service_url("WIJZER_ELASTICSEARCH_URL"),
        "WIJZER_ELASTICSEARCH_INDEX": f"wijzer-test-{uuid.uuid4().hex[:10]}",
        "WIJZER_CRAWL_REPLAY_URL": replay,
        # Production values: tasks and deliveries are never handed out twice while running.
        "WIJZER_CELERY_VISIBILITY_TIMEOUT": "3600",
        "WIJZER_ALERTS_LEASE_SECONDS": "300",
    }
    worker = worker_factory(**env)
    settings = Settings(
        data_dir=Path(alerts_env["WIJZER_DATA_DIR"]),
        database_url=postgres_url,
        search_backend="elasticsearch",
        elasticsearch_url=env["WIJZER_ELASTICSEARCH_URL"],
        elasticsearch_index=env["WIJZER_ELASTICSEARCH_INDEX"],
        redis_url=service_url("WIJZER_REDIS_URL"),
        celery_queue=worker.queue,
        smtp_port=int(alerts_env["WIJZER_SMTP_PORT"]),
        secret_key=alerts_env["WIJZER_SECRET_KEY"],
        base_url=alerts_env["WIJZER_BASE_URL"],
    )
    yield settings, worker
    services = Services(settings)
    try:
        services.backend.drop_all()  # type: ignore[attr-defined]
    finally:
        services.close()


def test_nightly_crawl_to_digests_and_a_staff_edit_to_an_immediate_subscriber(
    deployed: tuple[Settings, Worker], smtp: SmtpServer
) -> None:
    started = time.perf_counter()
    settings, _worker = deployed
    services = Services(settings)
    try:
        run_the_deployment(settings, services, smtp)
    finally:
        services.close()
    print(f"\ndeployed path: {time.perf_counter() - started:.1f} s wall time")


def run_the_deployment(settings: Settings, services: Services, smtp: SmtpServer) -> None:
    celery = make_app(settings)
    beat = beat_schedule()

    def send_as_beat(job: str) -> None:
        entry = beat[job]
        # Beat publishes the entry's task with its args to the default queue; nothing more.
        celery.send_task(entry["task"], args=entry["args"])

    def mails(address: str) -> int:
        return len(smtp.inbox.to(address))

    # Subscribers before the first crawl: two immediate ones (words; a filter), one daily.
    for email, spec, frequency in [
        ("digital@example.org", {"q": "digital technologies"}, "immediate"),
        ("eu@example.org", {"level": ["eu"]}, "immediate"),
        ("soil@example.org", {"q": "soil health"}, "daily"),
    ]:
        subscribers.subscribe(services, email, "query", spec, frequency, "en", confirmed=True)

    send_as_beat("nightly-crawl")
    wait_for(
        lambda: mails("digital@example.org") and mails("eu@example.org"),
        300,
        "the nightly crawl's immediate digests",
    )
    time.sleep(3)  # any duplicate would arrive now
    with services.catalog.session() as session:
        stored = set(session.scalars(select(Instrument.source).distinct()))
        listed = session.scalar(
            select(func.count())
            .select_from(Instrument)
            .where(Instrument.review_state == "published", Instrument.withdrawn_at.is_(None))
            .where(Instrument.merged_into.is_(None))  # a TED notice and its TenderNed listing
        )
    assert stored == set(enabled())  # every enabled source, crawled by the worker
    assert services.backend.info().count == listed  # all public ones in Elasticsearch
    assert (mails("digital@example.org"), mails("eu@example.org")) == (1, 1)
    assert mails("soil@example.org") == 0  # daily: not due in the nightly run
    assert "Horizon scanning and foresight" in text_of(smtp.inbox.to("digital@example.org")[0])
    eu = text_of(smtp.inbox.to("eu@example.org")[0])
    assert "Living labs to enhance soil health" in eu and "Megawatt" in eu
    assert "Raamovereenkomst" not in eu  # closed tenders are no news

    send_as_beat("daily-digests")
    wait_for(lambda: mails("soil@example.org") == 1, 120, "the daily digest")
    time.sleep(3)
    assert (mails("digital@example.org"), mails("eu@example.org")) == (1, 1)
    assert mails("soil@example.org") == 1
    assert "Living labs to enhance soil health" in text_of(smtp.inbox.to("soil@example.org")[0])

    # A staff edit on the site: renamed, deadline moved. Search shows it at once.
    subscribers.subscribe(
        services,
        "zeppelin@example.org",
        "query",
        {"q": "zeppelinfonds"},
        "immediate",
        "en",
        confirmed=True,
    )
    with services.catalog.session() as session:
        create_user(session, STAFF, "curator", PASSWORD)
    site = create_app({"SETTINGS": settings, "TESTING": True})
    try:
        staff_edit(site, services)
    finally:
        site_services(site).close()

    send_as_beat("immediate-alerts")
    wait_for(lambda: mails("zeppelin@example.org") == 1, 120, "the immediate alert")
    time.sleep(3)
    assert mails("zeppelin@example.org") == 1
    body = text_of(smtp.inbox.to("zeppelin@example.org")[0])
    assert "Zeppelinfonds" in body and "14 April 2099" in body


def staff_edit(site: Flask, services: Services) -> None:
    """On the staff pages: rename the instrument and move its deadline; search shows it."""
    client = site.test_client()
    assert login(client, STAFF).status_code == 302
    page = client.get(f"/admin/instruments/{EDITED}").get_data(as_text=True)
    response = client.post(
        f"/admin/instruments/{EDITED}",
        data={
            "csrf_token": csrf_from(page),
            "title": "Zeppelinfonds: megawatt charging for heavy-duty vehicles",
            "deadlines": "2099-04-14",
            "reason": "round extended",
        },
    )
    assert response.status_code == 302
    hits = services.backend.search(build_query("zeppelinfonds")).hits
    assert [h.id for h in hits] == [EDITED]  # in Elasticsearch, before any job ran
