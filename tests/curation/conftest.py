"""Fixtures of the staff area: a catalog with a few crawled instruments and staff accounts."""

from __future__ import annotations

import json
from typing import Any

import pytest

from catalog.curation.accounts import create_user
from catalog.db import Catalog
from catalog.repository import InstrumentStore
from catalog.schema import parse_record
from tests.conftest import SEED

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
        store = InstrumentStore(session)
        for row in rows:
            store.upsert(crawled(row, source), f"source:{source}")


def add_staff(catalog: Catalog) -> None:
    with catalog.session() as session:
        create_user(session, CURATOR, "curator", PASSWORD)
        create_user(session, ADMIN, "admin", PASSWORD)


@pytest.fixture
def rows() -> list[dict[str, Any]]:
    return seed_rows()
