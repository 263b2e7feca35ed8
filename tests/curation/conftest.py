"""Fixtures of the staff area: a catalog with a few crawled instruments and staff accounts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import SEED
from wijzer.catalog.curation.accounts import create_user
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.db import Catalog
from wijzer.catalog.schema import parse_record

CURATOR = "curator@wijzer.test"
ADMIN = "admin@wijzer.test"
PASSWORD = "kanaal-Tulp-42x"


def seed_rows(count: int = 8) -> list[dict[str, Any]]:
    with SEED.open(encoding="utf-8") as handle:
        return [json.loads(line) for line, _ in zip(handle, range(count), strict=False)]


def crawled(row: dict[str, Any], source: str = "rvo-html", **changes: Any) -> Any:
    """A record as a crawler of `source` would hand it to the store pipeline."""
    data = {**row, **changes, "source": source}
    return parse_record(data)


def fill(catalog: Catalog, rows: list[dict[str, Any]], source: str = "rvo-html") -> None:
    with catalog.session() as session:
        store = source_store(session)
        for row in rows:
            store.upsert(crawled(row, source), f"source:{source}")


def add_staff(catalog: Catalog) -> None:
    with catalog.session() as session:
        create_user(session, CURATOR, "curator", PASSWORD)
        create_user(session, ADMIN, "admin", PASSWORD)


@pytest.fixture
def rows() -> list[dict[str, Any]]:
    return seed_rows()


@pytest.fixture
def staff_app(data_dir: Path, rows: list[dict[str, Any]]) -> Iterator[Flask]:
    """The web app on a SQLite catalog with crawled instruments, staff accounts and an index."""
    from wijzer.app.indexing import rebuild_index
    from wijzer.app.settings import Settings
    from wijzer.web import create_app, services

    settings = Settings(data_dir=data_dir, secret_key="test-secret", search_backend="embedded")
    app = create_app({"SETTINGS": settings, "TESTING": True})
    svc = services(app)
    fill(svc.catalog, rows[:4], source="sedia")
    with svc.catalog.session() as session:
        store = source_store(session)
        for row in rows[4:6]:
            store.upsert(
                crawled(row, "provincie-html"), "source:provincie-html", review_state="pending"
            )
    add_staff(svc.catalog)
    rebuild_index(svc.catalog, svc.backend)
    yield app
    svc.close()


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(html: str) -> str:
    found = CSRF_FIELD.search(html)
    assert found, "the page has no CSRF token field"
    return found.group(1)


def login(client: FlaskClient, email: str, password: str = PASSWORD) -> Any:
    page = client.get("/admin/login")
    return client.post(
        "/admin/login",
        data={
            "email": email,
            "password": password,
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )


def submit_login(page: Any, email: str = CURATOR, password: str = PASSWORD) -> None:
    """In a browser page showing the staff login form: fill it in and send it."""
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")


def browser_login(page: Any, url: str, lang: str, email: str = CURATOR) -> None:
    """In a browser page: log a staff member in on the site at `url`, in `lang`."""
    page.goto(f"{url}/admin/login?lang={lang}")
    submit_login(page, email)
