"""Incremental crawling on SQLite and PostgreSQL: changes make versions, removals withdraw."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.crawler.conftest import NOW, Recordings, by_source
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore
from wijzer.crawler.store import RunStats

PAGE = "https://liof.nl/en/archief/mkb-leningenfonds"
RECORD = "liof:liof.nl/en/archief/mkb-leningenfonds"
SITEMAP = "https://liof.nl/sitemap.xml"


def test_changed_page_gets_a_new_version_with_its_diff(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, catalog: Catalog
) -> None:
    crawl(catalog, ["liof"])
    page = recordings.body_path("liof", PAGE)
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "MKB Leningenfonds Limburg", "MKB Leningenfonds Limburg 2027"
        ),
        encoding="utf-8",
    )
    run = by_source(crawl(catalog, ["liof"], now=NOW + dt.timedelta(days=1)))["liof"]
    assert (run.new, run.changed, run.unchanged) == (0, 1, 1)
    assert run.changed_ids == [RECORD]
    with catalog.session() as session:
        history = InstrumentStore(session).history(RECORD)
    assert [v.change_kind for v in history] == ["created", "updated"]
    assert history[1].changes["title"] == [
        "MKB Leningenfonds Limburg",
        "MKB Leningenfonds Limburg 2027",
    ]
    assert history[1].changed_by == "source:liof"


def test_page_gone_from_a_complete_crawl_is_withdrawn_not_deleted(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    crawl(sqlite_catalog, ["liof"])
    sitemap = recordings.body_path("liof", SITEMAP)
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(f"<url><loc>{PAGE}</loc></url>", ""),
        encoding="utf-8",
    )
    recordings.remove("liof", PAGE)
    run = by_source(crawl(sqlite_catalog, ["liof"]))["liof"]
    assert run.status == "ok" and run.withdrawn == 1 and run.unchanged == 1
    with sqlite_catalog.session() as session:
        store = InstrumentStore(session)
        gone = store.get(RECORD)
        assert gone is not None and gone.withdrawn_at is not None
        assert [v.change_kind for v in store.history(RECORD)] == ["created", "withdrawn"]
