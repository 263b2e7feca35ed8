"""Source health from recorded crawl runs, and staff edits reaching both search backends."""

from __future__ import annotations

import datetime as dt

from tests.curation.conftest import CURATOR, fill, seed_rows
from wijzer.app.indexing import rebuild_index, reindex
from wijzer.catalog.crawl_runs import CrawlRun as RecordedRun
from wijzer.catalog.curation.editing import edit_fields
from wijzer.catalog.curation.health import CrawlRun, source_health, warnings_for
from wijzer.catalog.curation.review import reject
from wijzer.catalog.db import Catalog
from wijzer.search.query import build_query


def _run(items: int, errors: int, day: int) -> CrawlRun:
    return CrawlRun("rvo", dt.datetime(2026, 3, day), None, items, errors)


def test_warnings_for_zero_items_and_error_rate_jump() -> None:
    steady = [_run(100, 1, 5), _run(98, 2, 4), _run(101, 0, 3)]
    assert warnings_for(steady) == []
    assert warnings_for([_run(0, 0, 6), *steady]) == ["the latest run returned zero items"]
    jumped = warnings_for([_run(70, 30, 6), *steady])
    assert len(jumped) == 1 and jumped[0].startswith("error rate jumped to 30%")


def test_source_health_reads_the_crawlers_run_log(sqlite_catalog: Catalog) -> None:
    with sqlite_catalog.session() as session:
        assert source_health(session) == []  # no runs yet: nothing, not an error
        session.add(
            RecordedRun(
                source="rvo",
                started_at=dt.datetime(2026, 3, 1, 10),
                new=100,
                changed=15,
                unchanged=5,
                dropped={"no deadline": 3},
                errors=[],
            )
        )
        session.add(
            RecordedRun(
                source="rvo",
                started_at=dt.datetime(2026, 3, 2, 10),
                status="failed",
                errors=["HTTP 500 on /a", "HTTP 500 on /b"],
            )
        )
    with sqlite_catalog.session() as session:
        health = source_health(session)
    assert [h.source for h in health] == ["rvo"]
    assert [r.items for r in health[0].runs] == [0, 120]
    assert health[0].runs[0].errors == 2
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
