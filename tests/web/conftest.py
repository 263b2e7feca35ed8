"""Web fixtures: one seeded, indexed data dir per session, the app, a live server thread, a
browser page; the confirmation link of a mail the site sent."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.alerts.conftest import SmtpServer, text_of
from tests.browser_pages import open_page, serve
from tests.conftest import SEED, upgraded_data_dir
from wijzer.app.imports import read_import_file
from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.exchange import import_records
from wijzer.catalog.schema import parse_record
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice
from wijzer.web import create_app

MALICIOUS_ID = "test-malicious"
MALICIOUS_TITLE = "<script>alert(1)</script> Innovatiesubsidie"
CHANGED_ID = "test-changed"
HIDDEN_ID = "test-hidden"
MERGED_ID = "test-merged"
# A deadline that stays in the future, so "closes within 30 days" always has a member.
SOON = dt.date.today() + dt.timedelta(days=10)
# Long and random enough that finding it in a page means it leaked.
TEST_SECRET = "wijzer-test-secret-" + uuid.uuid4().hex


def _extra_records() -> list[tuple[dict[str, Any], str]]:
    base = {
        "level": "national",
        "instrument_type": "subsidy",
        "language": "nl",
        "funder": "Testfonds",
    }
    return [
        (
            {
                **base,
                "id": MALICIOUS_ID,
                "title": MALICIOUS_TITLE,
                "summary": 'Crawled <img src=x onerror="alert(2)"> summary about innovatie',
                "url": "https://example.org/evil?a=<b>",
                "deadlines": [SOON.isoformat()],
                "themes": ["innovatie"],
            },
            "published",
        ),
        (
            {
                **base,
                "id": CHANGED_ID,
                "title": "Regeling die veranderde",
                "summary": "Eerste versie van de samenvatting.",
                "regions": [],
                "amount_max": 10000,
                "themes": ["digitalisering"],
            },
            "published",
        ),
        ({**base, "id": HIDDEN_ID, "title": "Verborgen regeling in review"}, "pending"),
        ({**base, "id": MERGED_ID, "title": "Dubbele regeling"}, "published"),
    ]


# Two recorded TED notices, parsed as the crawler parses them: a Noord-Holland contract
# notice (eForms, deadline in 2021) and Wageningen's sequencing DPS (legacy TED-XML).
NOTICES = {"test-ted-lighting": "ted/002.xml", "test-ted-sequencing": "ted/001.xml"}


def notice_records() -> list[dict[str, Any]]:
    recordings = resources.files("wijzer.crawler") / "recordings"
    return [
        {**notice_to_fields(parse_notice((recordings / path).read_bytes())), "id": notice_id}
        for notice_id, path in NOTICES.items()
    ]


def _seed(services: Services) -> None:
    import_records(services.catalog, read_import_file(SEED).records)
    with services.catalog.session() as session:
        store = source_store(session)
        for data, state in _extra_records():
            store.upsert(parse_record(data), "import", review_state=state)
        for notice in notice_records():
            store.upsert(parse_record(notice), "import", review_state="published")
        changed = {
            **_extra_records()[1][0],
            "amount_max": 25000,
            "summary": "Tweede versie van de samenvatting.",
            "themes": ["digitalisering", "innovatie"],
        }
        store.upsert(parse_record(changed), "staff:editor@example.org")
        merged = store.get(MERGED_ID)
        assert merged is not None
        merged.merged_into = CHANGED_ID


@dataclass
class Site:
    settings: Settings
    services: Services


@pytest.fixture(scope="session")
def mail_sink() -> Iterator[SmtpServer]:
    """A real SMTP server the site mails to (alert confirmations from the pages)."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def site(
    tmp_path_factory: pytest.TempPathFactory, upgraded_sqlite_file: Path, mail_sink: SmtpServer
) -> Iterator[Site]:
    """The seed corpus plus a few crafted records, imported and indexed with vectors."""
    data_dir = upgraded_data_dir(tmp_path_factory.mktemp("site") / "data", upgraded_sqlite_file)
    settings = Settings(data_dir=data_dir, smtp_host="127.0.0.1", smtp_port=mail_sink.port)
    services = Services(settings)
    _seed(services)
    rebuild_index(services.catalog, services.backend, services.encoder)
    yield Site(settings, services)
    services.close()


def make_app(site: Site, **config: Any) -> Flask:
    app = create_app(
        {
            "SETTINGS": site.settings,
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "API_RATE_LIMIT": 0,
            # Tests drive many requests from one address; the limit tests switch it on.
            "RATELIMIT_ENABLED": False,
            **config,
        }
    )
    # Share the loaded encoder and index handles between apps of one session.
    app.extensions["wijzer"] = site.services
    return app


@pytest.fixture(scope="session")
def app(site: Site) -> Flask:
    return make_app(site)


@pytest.fixture
def client(app: Flask) -> Any:
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app in a real HTTP server thread on a free loopback port."""
    with serve(app) as url:
        yield url


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A Chromium page at 1280 × 900 with axe injected (tests.browser_pages.open_page)."""
    page = open_page(browser)
    yield page
    page.context.close()


def confirmation_link(sink: SmtpServer, address: str, live_server: str) -> tuple[str, str]:
    """The confirm link of the mail the sink received for `address`, on the live server."""
    deadline = time.monotonic() + 30
    while not sink.inbox.to(address) and time.monotonic() < deadline:
        time.sleep(0.1)
    (mail,) = sink.inbox.to(address)
    link = re.search(r"https?://\S+(/alerts/confirm/\S+)", text_of(mail))
    assert link, text_of(mail)
    return mail["Subject"], live_server + link.group(1)
