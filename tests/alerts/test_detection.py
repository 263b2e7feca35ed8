"""Change detection from instrument versions, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from tests.alerts.conftest import import_records, new_record
from wijzer.alerts.detection import detect_changes
from wijzer.catalog.alerts_models import DetectedChange
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import InstrumentVersion

TODAY = dt.date.today()


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def kinds(catalog: Catalog) -> dict[str, list[str]]:
    with catalog.session() as session:
        out: dict[str, list[str]] = {}
        for change in session.scalars(select(DetectedChange).order_by(DetectedChange.id)):
            out.setdefault(change.instrument_id, []).append(change.kind)
        return out


def test_meaningful_changes_are_detected_once(catalog: Catalog) -> None:
    moved = new_record("moved", "Verschoven", "x", deadlines=[day(30)])
    reopened = new_record("reopened", "Heropend", "x", deadlines=[day(-10)])
    early = new_record("early", "Vroeg dicht", "x", deadlines=[day(30)])
    amount = new_record("amount", "Bedrag", "x", amount_max=100_000)
    quiet = new_record("quiet", "Alleen tekst", "x")
    import_records(catalog, [moved, reopened, early, amount, quiet])
    assert detect_changes(catalog) == 5
    assert set(kinds(catalog)) == {"moved", "reopened", "early", "amount", "quiet"}

    import_records(
        catalog,
        [
            {**moved, "deadlines": [day(60)]},
            {**reopened, "deadlines": [day(20)]},
            {**early, "deadlines": [day(-1)]},
            {**amount, "amount_max": 250_000},
            {**quiet, "summary": "only the wording changed"},
        ],
    )
    assert detect_changes(catalog) == 4
    assert detect_changes(catalog) == 0  # the watermark: a rerun finds nothing new
    found = kinds(catalog)
    assert found["moved"] == ["new", "deadline_moved"]
    assert found["reopened"] == ["new", "reopened"]
    assert found["early"] == ["new", "closed_early"]
    assert found["amount"] == ["new", "amount_changed"]
    assert found["quiet"] == ["new"]
    with catalog.session() as session:
        change = session.scalars(
            select(DetectedChange).where(DetectedChange.kind == "deadline_moved")
        ).one()
        version = session.get(InstrumentVersion, change.version_id)
        assert version is not None and version.version == 2
        assert change.details == {"old": day(30), "new": day(60)}


def test_staff_edits_and_approvals_are_changes_too(sqlite_catalog: Catalog) -> None:
    from wijzer.catalog.curation.editing import edit_fields
    from wijzer.catalog.curation.hooks import source_store
    from wijzer.catalog.curation.review import approve
    from wijzer.catalog.schema import parse_record

    import_records(sqlite_catalog, [new_record("edited", "Bewerkt", "x", deadlines=[day(30)])])
    with sqlite_catalog.session() as session:
        record = parse_record(new_record("waiting", "Wacht op review", "x"))
        source_store(session).upsert(record, "source:rvo", review_state="pending")
    assert detect_changes(sqlite_catalog) == 2
    with sqlite_catalog.session() as session:
        edit_fields(session, "edited", {"deadlines": [day(90)]}, "staff@wijzer.test")
        edit_fields(session, "edited", {"title": "Alleen de titel"}, "staff@wijzer.test")
        approve(session, "waiting", "staff@wijzer.test")
    assert detect_changes(sqlite_catalog) == 2
    found = kinds(sqlite_catalog)
    assert found["edited"] == ["new", "deadline_moved"]
    # Its creation was no news (not public yet); being published is.
    assert found["waiting"] == ["new", "new"]
