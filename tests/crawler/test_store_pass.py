"""One storage pass for every source of a crawl: a source whose store fails still fails alone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from tests.offline_runs import offline_crawl
from wijzer.catalog.crawl_runs import CrawlRun
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import Instrument
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import InstrumentRecord
from wijzer.crawler.store import SourceCrawl, store_runs

STARTED = dt.datetime(2026, 11, 27, 3, 0)


def source_crawl(source: str, title: str) -> SourceCrawl:
    record = InstrumentRecord.model_validate(
        {
            "id": f"{source}:{title.lower().replace(' ', '-')}",
            "title": title,
            "description": f"{title}: een subsidie voor het mkb.",
            "instrument_type": "subsidy",
            "language": "nl",
            "level": "national",
            "url": f"https://{source}.example/{title.lower().replace(' ', '-')}",
            "source": source,
        }
    )
    return offline_crawl(source, [record], STARTED, now=STARTED)


def test_a_source_whose_store_fails_fails_alone_and_the_others_are_stored(
    catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    upsert = InstrumentStore.upsert

    def failing_for_rvo(self: InstrumentStore, record: InstrumentRecord, *a: Any, **k: Any) -> Any:
        if record.source == "rvo":
            raise RuntimeError("a bug met on this record")
        return upsert(self, record, *a, **k)

    # A bug in storing one source's records (no input of the web can be made to raise here).
    monkeypatch.setattr(InstrumentStore, "upsert", failing_for_rvo)
    crawls = [
        source_crawl("provincie-utrecht", "MIT Haalbaarheid"),
        source_crawl("rvo", "Innovatiekrediet"),
        source_crawl("liof", "Ideeenfonds"),
    ]
    results = {r.source: r for r in store_runs(catalog.url, crawls)}

    assert results["provincie-utrecht"].status == "ok"
    assert results["provincie-utrecht"].new == 1
    assert results["liof"].status == "ok" and results["liof"].new == 1
    assert results["rvo"].status == "failed"
    assert results["rvo"].errors[0] == "store failed: RuntimeError: a bug met on this record"
    with catalog.session() as session:
        stored = set(session.scalars(select(Instrument.source)))
        runs = {run.source: run.status for run in session.scalars(select(CrawlRun))}
    assert stored == {"provincie-utrecht", "liof"}
    # Staff see the failure in the source's health, beside the others' good runs.
    assert runs == {"provincie-utrecht": "ok", "rvo": "failed", "liof": "ok"}


def test_one_pass_stores_each_source_as_its_own_run(catalog: Catalog) -> None:
    crawls = [source_crawl("provincie-utrecht", "MIT Haalbaarheid"), source_crawl("liof", "Fonds")]
    first = store_runs(catalog.url, crawls)
    assert [(r.source, r.status, r.new) for r in first] == [
        ("provincie-utrecht", "ok", 1),
        ("liof", "ok", 1),
    ]
    # A second pass over the same crawls changes nothing.
    again = store_runs(catalog.url, crawls)
    assert [(r.new, r.changed, r.unchanged, r.changed_ids) for r in again] == [(0, 0, 1, [])] * 2
