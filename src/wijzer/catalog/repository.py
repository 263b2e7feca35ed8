"""Write and read instruments, keeping a version with the changed fields for every change."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from wijzer.catalog.fact_records import facts_input, with_facts
from wijzer.catalog.links import judge_record
from wijzer.catalog.models import Instrument, InstrumentVersion, utcnow
from wijzer.catalog.schema import (
    DESCRIPTIVE_FIELDS,
    EVIDENCE_FIELDS,
    PROVENANCE_FIELDS,
    InstrumentRecord,
)

# Fields whose change makes a new version; provenance timestamps do not.
CONTENT_FIELDS = (*DESCRIPTIVE_FIELDS, *PROVENANCE_FIELDS, *EVIDENCE_FIELDS, "extra")


def record_content(record: InstrumentRecord) -> dict[str, Any]:
    data = record.model_dump(mode="json")
    return {field: data[field] for field in CONTENT_FIELDS}


def instrument_content(instrument: Instrument) -> dict[str, Any]:
    """The content fields of a stored instrument, JSON-ready, comparable with record_content."""
    out: dict[str, Any] = {}
    for field in CONTENT_FIELDS:
        value = getattr(instrument, field)
        if isinstance(value, dt.date):
            value = value.isoformat()
        out[field] = value
    return out


def content_hash(content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def diff(old: dict[str, Any], new: dict[str, Any]) -> dict[str, list[Any]]:
    """{field: [old, new]} for every field whose value differs."""
    return {k: [old.get(k), new.get(k)] for k in new if old.get(k) != new.get(k)}


@dataclass(frozen=True)
class UpsertOutcome:
    id: str
    kind: str  # created | updated | unchanged | restored
    changes: dict[str, list[Any]]


def _apply(instrument: Instrument, content: dict[str, Any]) -> None:
    for field, value in content.items():
        if field == "opens_at":
            value = dt.date.fromisoformat(value) if value else None
        setattr(instrument, field, value)


# Called after a changed record was written (session, instrument, outcome, changed_by, now);
# returns the outcome to report. Curation passes one that re-applies staff overrides.
AfterUpsert = Callable[[Session, Instrument, UpsertOutcome, str, dt.datetime], UpsertOutcome]


class InstrumentStore:
    """The catalog's instruments over one session; the caller owns the transaction."""

    def __init__(self, session: Session, after_upsert: AfterUpsert | None = None):
        self.session = session
        self.after_upsert = after_upsert

    def get(self, instrument_id: str) -> Instrument | None:
        return self.session.get(Instrument, instrument_id)

    def count(self) -> int:
        return self.session.scalar(select(func.count()).select_from(Instrument)) or 0

    def all(self) -> Iterator[Instrument]:
        yield from self.session.scalars(select(Instrument).order_by(Instrument.id))

    def listed(self) -> Iterator[Instrument]:
        """Instruments the public sees, by id."""
        yield from self.session.scalars(_listed(select(Instrument)).order_by(Instrument.id))

    def listed_versions(self) -> dict[str, int]:
        """{id: version} of the listed instruments: what the search index must hold."""
        stmt = _listed(select(Instrument.id, Instrument.version))
        return {row.id: row.version for row in self.session.execute(stmt)}

    def history(self, instrument_id: str) -> list[InstrumentVersion]:
        stmt = (
            select(InstrumentVersion)
            .where(InstrumentVersion.instrument_id == instrument_id)
            .order_by(InstrumentVersion.version)
        )
        return list(self.session.scalars(stmt))

    def upsert(
        self,
        record: InstrumentRecord,
        changed_by: str,
        *,
        review_state: str = "published",
        now: dt.datetime | None = None,
    ) -> UpsertOutcome:
        """Store a record with the facts its text states (`fact_records`); an unchanged one is
        not rewritten, a changed one gets a version."""
        now = now or utcnow()
        given = facts_input(record)
        instrument = self.get(record.id)
        if (
            instrument is not None
            and instrument.facts_input == given
            and instrument.withdrawn_at is None
        ):
            # The record and the extractor are what content_hash was derived from last time,
            # so the derived content is too: unchanged without reading the facts again (fact
            # extraction was ~27% of a crawl's CPU, on mostly unchanged records).
            if record.fetched_at:
                instrument.fetched_at = record.fetched_at
            return UpsertOutcome(record.id, "unchanged", {})
        record = with_facts(record)
        content = record_content(record)
        digest = content_hash(content)
        if instrument is None:
            instrument = Instrument(
                id=record.id,
                content_hash=digest,
                facts_input=given,
                version=1,
                created_at=now,
                updated_at=now,
                review_state=review_state,
                fetched_at=record.fetched_at,
            )
            _apply(instrument, content)
            self.session.add(instrument)
            changes = {k: [None, v] for k, v in content.items() if v not in (None, "", [], {})}
            self._add_version(instrument, changed_by, "created", changes, now)
            return UpsertOutcome(record.id, "created", changes)

        restored = instrument.withdrawn_at is not None
        if record.fetched_at:
            instrument.fetched_at = record.fetched_at
        # Set with content_hash only: it names what content_hash was derived from.
        if digest == instrument.content_hash and not restored:
            instrument.facts_input = given
            return UpsertOutcome(record.id, "unchanged", {})
        changes = diff(instrument_content(instrument), content)
        _apply(instrument, content)
        instrument.content_hash = digest
        instrument.facts_input = given
        instrument.updated_at = now
        kind = "updated"
        if restored:
            instrument.withdrawn_at = None
            changes["withdrawn_at"] = [None, None]
            kind = "restored"
        instrument.version += 1
        self._add_version(instrument, changed_by, kind, changes, now)
        outcome = UpsertOutcome(record.id, kind, changes)
        if self.after_upsert is None:
            return outcome
        return self.after_upsert(self.session, instrument, outcome, changed_by, now)

    def withdraw_missing(
        self, source: str, seen_ids: Iterable[str], changed_by: str, now: dt.datetime | None = None
    ) -> list[str]:
        """Mark instruments of a source that its latest full crawl no longer lists; never delete."""
        now = now or utcnow()
        seen = set(seen_ids)
        stmt = (
            select(Instrument)
            .where(Instrument.source == source)
            .where(Instrument.withdrawn_at.is_(None))
        )
        withdrawn = []
        for instrument in self.session.scalars(stmt):
            if instrument.id in seen:
                continue
            instrument.withdrawn_at = now
            instrument.updated_at = now
            instrument.version += 1
            self._add_version(
                instrument, changed_by, "withdrawn", {"withdrawn_at": [None, now.isoformat()]}, now
            )
            withdrawn.append(instrument.id)
        return withdrawn

    def _add_version(
        self,
        instrument: Instrument,
        changed_by: str,
        kind: str,
        changes: dict[str, list[Any]],
        now: dt.datetime,
    ) -> None:
        self.session.add(
            InstrumentVersion(
                instrument_id=instrument.id,
                version=instrument.version,
                changed_at=now,
                changed_by=changed_by,
                change_kind=kind,
                changes=changes,
                snapshot=instrument_content(instrument),
            )
        )


S = TypeVar("S", bound=Select)


def _listed(stmt: S) -> S:
    """Only the instruments the public sees: published, not withdrawn, not merged away."""
    return (
        stmt.where(Instrument.review_state == "published")
        .where(Instrument.withdrawn_at.is_(None))
        .where(Instrument.merged_into.is_(None))
    )


def instrument_to_dict(instrument: Instrument) -> dict[str, Any]:
    """A JSON-ready dict of every stored field of an instrument (export, API, index)."""
    data = instrument_content(instrument)
    data["id"] = instrument.id
    data["fetched_at"] = instrument.fetched_at.isoformat() if instrument.fetched_at else None
    data["created_at"] = instrument.created_at.isoformat()
    data["updated_at"] = instrument.updated_at.isoformat()
    data["withdrawn_at"] = instrument.withdrawn_at.isoformat() if instrument.withdrawn_at else None
    data["review_state"] = instrument.review_state
    data["merged_into"] = instrument.merged_into
    data["version"] = instrument.version
    # Official or not, derived from the link, the funder and the source (catalog.links).
    verdict = judge_record(data)
    data["official_url"] = verdict.official
    data["official_url_evidence"] = verdict.evidence()
    return data
