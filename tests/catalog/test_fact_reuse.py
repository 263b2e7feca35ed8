"""A record stored again with the same text keeps its facts without reading them again; a
changed text, or a new extractor, reads them anew (on SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest

from wijzer.catalog import fact_records, repository
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore, UpsertOutcome
from wijzer.catalog.schema import InstrumentRecord

NOW = dt.datetime(2026, 11, 27, 12, 0)


def _record(description: str, fetched_at: dt.datetime = NOW) -> InstrumentRecord:
    return InstrumentRecord(
        id="rvo:proeftuin",
        title="Subsidie proeftuin circulaire bouw",
        description=description,
        funder="RVO",
        level="national",
        instrument_type="subsidy",
        source="rvo",
        source_url="https://www.rvo.nl/subsidies/proeftuin",
        fetched_at=fetched_at,
    )


@pytest.fixture
def extractions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the records whose facts were read, in order."""
    read: list[str] = []
    original: Callable[[InstrumentRecord], InstrumentRecord] = fact_records.with_facts

    def counting(record: InstrumentRecord) -> InstrumentRecord:
        read.append(record.id)
        return original(record)

    monkeypatch.setattr(repository, "with_facts", counting)
    return read


def _store(catalog: Catalog, record: InstrumentRecord) -> tuple[UpsertOutcome, dict[str, Any]]:
    with catalog.session() as session:
        store = InstrumentStore(session)
        outcome = store.upsert(record, "source:rvo", now=NOW)
        session.flush()
        instrument = store.get(record.id)
        assert instrument is not None
        stored = {
            "amount_max": instrument.amount_max,
            "evidence": instrument.evidence,
            "version": instrument.version,
            "fetched_at": instrument.fetched_at,
            "versions": len(store.history(record.id)),
        }
    return outcome, stored


TEXT = "Ondernemers krijgen maximaal € 50.000 per project. Aanvragen kan tot 1 maart 2027."


def test_an_unchanged_record_is_not_read_again(catalog: Catalog, extractions: list[str]) -> None:
    first, stored = _store(catalog, _record(TEXT))
    assert first.kind == "created" and extractions == ["rvo:proeftuin"]
    assert stored["amount_max"] == 50000
    later = NOW + dt.timedelta(hours=1)
    again, kept = _store(catalog, _record(TEXT, fetched_at=later))
    assert again.kind == "unchanged"
    assert extractions == ["rvo:proeftuin"]
    # The facts and their quotes stay as read; the crawl's time is still recorded.
    assert kept["amount_max"] == 50000 and kept["evidence"] == stored["evidence"]
    assert kept["versions"] == 1 and kept["fetched_at"] == later


def test_a_changed_text_is_read_again(catalog: Catalog, extractions: list[str]) -> None:
    _store(catalog, _record(TEXT))
    changed, stored = _store(catalog, _record(TEXT.replace("50.000", "80.000")))
    assert changed.kind == "updated" and len(extractions) == 2
    assert stored["amount_max"] == 80000
    assert "80.000" in stored["evidence"]["amount_max"]["quote"]
    assert changed.changes["amount_max"] == [50000, 80000]
    assert stored["versions"] == 2


def test_a_new_extractor_reads_every_record_again(
    catalog: Catalog, extractions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(catalog, _record(TEXT))
    monkeypatch.setattr(fact_records, "extractor_version", lambda: "a new extractor")
    again, stored = _store(catalog, _record(TEXT))
    # Read again; the same facts come out, so no new version.
    assert len(extractions) == 2 and again.kind == "unchanged" and stored["versions"] == 1
    # ... and the next crawl with that extractor reads nothing.
    _store(catalog, _record(TEXT))
    assert len(extractions) == 2


def test_a_withdrawn_record_that_comes_back_is_restored(
    catalog: Catalog, extractions: list[str]
) -> None:
    _store(catalog, _record(TEXT))
    with catalog.session() as session:
        assert InstrumentStore(session).withdraw_missing("rvo", [], "source:rvo", now=NOW)
    restored, stored = _store(catalog, _record(TEXT))
    assert restored.kind == "restored" and stored["versions"] == 3
