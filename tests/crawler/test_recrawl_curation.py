"""Staff overrides against a real recrawl from the replay server: kept, and re-queued on change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from tests.crawler.conftest import NOW, Recordings, by_source
from wijzer.catalog.curation.editing import edit_fields
from wijzer.catalog.curation.review import approve, queue
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore
from wijzer.crawler.store import RunStats

PAGE = "https://liof.nl/en/archief/mkb-leningenfonds"
RECORD = "liof:liof.nl/en/archief/mkb-leningenfonds"
CURATOR = "curator@wijzer.test"


def test_override_survives_a_recrawl_and_a_source_change_requeues_it(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    crawl(sqlite_catalog, ["liof"])
    with sqlite_catalog.session() as session:
        approve(session, RECORD, CURATOR)
        edit_fields(session, RECORD, {"title": "MKB-leningen Limburg (door redactie)"}, CURATOR)

    # An unchanged recrawl keeps the staff title and does not queue anything.
    run = by_source(crawl(sqlite_catalog, ["liof"], now=NOW + dt.timedelta(days=1)))["liof"]
    assert run.status == "ok" and run.changed == 0
    with sqlite_catalog.session() as session:
        instrument = InstrumentStore(session).get(RECORD)
        assert instrument is not None and instrument.is_listed
        assert instrument.title == "MKB-leningen Limburg (door redactie)"
        assert RECORD not in {item.instrument.id for item in queue(session)}

    # The source renames the scheme: the override still wins, and staff are asked to look.
    page = recordings.body_path("liof", PAGE)
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "MKB Leningenfonds Limburg", "MKB Leningenfonds Limburg 2027"
        ),
        encoding="utf-8",
    )
    run = by_source(crawl(sqlite_catalog, ["liof"], now=NOW + dt.timedelta(days=2)))["liof"]
    assert run.changed == 1
    with sqlite_catalog.session() as session:
        instrument = InstrumentStore(session).get(RECORD)
        assert instrument is not None
        assert instrument.title == "MKB-leningen Limburg (door redactie)"
        [item] = [i for i in queue(session) if i.instrument.id == RECORD]
        assert "source changed an overridden field" in " ".join(item.reasons)
