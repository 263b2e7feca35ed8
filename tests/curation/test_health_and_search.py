"""Source health from recorded crawl runs, and staff edits reaching both search backends."""

from __future__ import annotations

import datetime as dt

from flask import Flask
from sqlalchemy import func, select

from tests.curation.conftest import CURATOR, fill, login, seed_rows
from wijzer.app.indexing import rebuild_index, reindex
from wijzer.catalog.crawl_runs import CrawlRun as RecordedRun
from wijzer.catalog.curation.editing import edit_fields
from wijzer.catalog.curation.health import CrawlRun, source_health, warnings_for
from wijzer.catalog.curation.review import reject
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import Instrument
from wijzer.search.query import build_query
from wijzer.web import services


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


def test_health_shows_last_success_items_drops_and_the_newest_items_age(
    staff_app: Flask,
) -> None:
    svc = services(staff_app)
    # The fixture stored 4 published "sedia" and 2 pending "provincie-html" instruments.
    with svc.catalog.session() as session:
        newest = session.scalar(
            select(func.max(Instrument.created_at)).where(Instrument.source == "sedia")
        )
        assert newest is not None
        full = dt.datetime(2026, 3, 1, 2, 0)
        session.add(
            RecordedRun(
                source="sedia",
                started_at=full,
                finished_at=full + dt.timedelta(minutes=3),
                status="ok",
                new=4,
                dropped={"topic_details_http_404": 2},
            )
        )
        # Half an hour later nothing had changed: an empty incremental run is no warning.
        quiet = full + dt.timedelta(minutes=30)
        session.add(
            RecordedRun(
                source="sedia", started_at=quiet, finished_at=quiet, status="ok", kind="incremental"
            )
        )
        session.add(
            RecordedRun(
                source="provincie-html",
                started_at=full,
                finished_at=full,
                status="failed",
                dropped={"http_503": 1},
                errors=["http_503: https://www.provincie.nl/sitemap.xml"],
            )
        )
    with svc.catalog.session() as session:
        health = {h.source: h for h in source_health(session, now=newest + dt.timedelta(days=3))}
    sedia = health["sedia"]
    assert sedia.warnings == [] and [r.kind for r in sedia.runs] == ["incremental", "full"]
    assert sedia.last_success == quiet and (sedia.listed, sedia.pending) == (4, 0)
    assert sedia.newest_item_age == dt.timedelta(days=3)
    province = health["provincie-html"]
    assert province.last_success is None and (province.listed, province.pending) == (2, 2)
    assert province.latest_drops == {"http_503": 1}
    assert "the latest run returned zero items" in province.warnings

    client = staff_app.test_client()
    login(client, CURATOR)
    page = client.get("/admin/health?lang=nl").get_data(as_text=True)
    row = page[page.index('<tr data-source="provincie-html">') :]
    row = row[: row.index("</tr>")]
    assert '<td class="last-success">nooit</td>' in row
    assert '<td class="items">2</td><td class="pending">2</td>' in row
    assert "http_503: 1" in row
    english = client.get("/admin/health?lang=en").get_data(as_text=True)
    assert "Last success" in english and "Waiting for review" in english
    assert "2026-03-01 02:30" in english
