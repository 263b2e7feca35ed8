"""Source health from recorded crawl runs, and staff edits reaching both search backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from catalog.curation.editing import edit_fields
from catalog.curation.health import CrawlRun, recent_runs, source_health, warnings_for
from catalog.curation.review import reject
from catalog.db import Catalog
from search.query import build_query
from tests.curation.conftest import CURATOR, fill, seed_rows
from wijzer.indexing import rebuild_index, reindex


def _run(items: int, errors: int, day: int) -> CrawlRun:
    return CrawlRun("rvo", dt.datetime(2026, 3, day), None, items, errors)


def test_warnings_for_zero_items_and_error_rate_jump() -> None:
    steady = [_run(100, 1, 5), _run(98, 2, 4), _run(101, 0, 3)]
    assert warnings_for(steady) == []
    assert warnings_for([_run(0, 0, 6), *steady]) == ["the latest run returned zero items"]
    jumped = warnings_for([_run(70, 30, 6), *steady])
    assert len(jumped) == 1 and jumped[0].startswith("error rate jumped to 30%")


def test_recent_runs_reads_a_crawl_runs_table(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'runs.sqlite'}")
    with Session(engine) as session:
        assert recent_runs(session) == {}  # no table yet: nothing, not an error
        session.execute(
            text(
                "CREATE TABLE crawl_runs (id INTEGER PRIMARY KEY, source TEXT,"
                " started_at TIMESTAMP, finished_at TIMESTAMP, item_count INTEGER,"
                " error_count INTEGER, drop_reasons JSON)"
            )
        )
        session.execute(
            text(
                "INSERT INTO crawl_runs (source, started_at, item_count, error_count, drop_reasons)"
                " VALUES ('rvo', '2026-03-01 10:00:00', 120, 0, '{\"no deadline\": 3}'),"
                " ('rvo', '2026-03-02 10:00:00', 0, 4, '{}')"
            )
        )
        health = source_health(session)
    engine.dispose()
    assert [h.source for h in health] == ["rvo"]
    assert [r.items for r in health[0].runs] == [0, 120]
    assert health[0].runs[1].dropped == {"no deadline": 3}
    assert "the latest run returned zero items" in health[0].warnings


def test_staff_edit_and_reject_reach_search_backend(  # type: ignore[no-untyped-def]
    sqlite_catalog: Catalog, backend
) -> None:
    rows = seed_rows(3)
    fill(sqlite_catalog, rows, source="sedia")
    rebuild_index(sqlite_catalog, backend)
    target = rows[1]["id"]
    with sqlite_catalog.session() as session:
        edit_fields(session, target, {"title": "Ballonvaartregeling"}, CURATOR)
    reindex(sqlite_catalog, backend, [target])
    assert [h.id for h in backend.search(build_query("ballonvaartregeling")).hits] == [target]
    with sqlite_catalog.session() as session:
        reject(session, target, CURATOR, "verouderd")
    reindex(sqlite_catalog, backend, [target])
    assert backend.get(target) is None
    assert backend.search(build_query("ballonvaartregeling")).hits == []
