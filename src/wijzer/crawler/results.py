"""Results of procedures (TED award notices): attached to their contract notice, not listed.

An award notice says who won and for how much; it is no opportunity to apply for. Its record
names the procedure it closes (`extra.result_of`: procedure id and earlier notice numbers).
When that procedure's notice is in the same crawl or already in the catalog, the result goes
into that record's `extra.result` and the notice is marked closed; otherwise the award keeps
its own record, closed (`extra.source_status`).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.models import Instrument
from wijzer.catalog.repository import instrument_to_dict
from wijzer.catalog.schema import InstrumentRecord, parse_record


def _keys(extra: dict[str, Any]) -> set[str]:
    """What identifies a procedure's notice: its procedure id and publication number."""
    keys = set()
    if extra.get("procedure_id"):
        keys.add(f"procedure:{extra['procedure_id']}")
    if extra.get("publication_number"):
        keys.add(f"notice:{extra['publication_number']}")
    return keys


def _wanted(result_of: dict[str, Any]) -> list[str]:
    wanted = [f"notice:{n}" for n in result_of.get("notices") or []]
    if result_of.get("procedure_id"):
        wanted.append(f"procedure:{result_of['procedure_id']}")
    return wanted


def _with_result(record: InstrumentRecord, award: InstrumentRecord) -> InstrumentRecord:
    extra = dict(record.extra)
    result = dict(award.extra.get("result") or {})
    result["notice"] = award.extra.get("publication_number")
    result["url"] = award.url
    extra["result"] = result
    extra["source_status"] = "closed"
    return record.model_copy(update={"extra": extra})


def attach_results(
    session: Session, records: list[InstrumentRecord], details: dict[str, Any]
) -> list[InstrumentRecord]:
    """The records to store: results folded into their procedure's notice where it is known."""
    awards = [r for r in records if r.extra.get("result_of")]
    if not awards:
        return records
    by_key: dict[str, int] = {}
    out = [r for r in records if not r.extra.get("result_of")]
    for index, record in enumerate(out):
        for key in _keys(record.extra):
            by_key[key] = index
    stored: dict[str, InstrumentRecord] = {}
    attached = 0
    for award in awards:
        target = next((by_key[k] for k in _wanted(award.extra["result_of"]) if k in by_key), None)
        if target is None:
            found = _stored_notice(session, award.source, award.extra["result_of"], stored)
            if found is not None:
                out.append(found)
                target = len(out) - 1
                for key in _keys(found.extra):
                    by_key[key] = target
        if target is None:
            out.append(award)
            continue
        out[target] = _with_result(out[target], award)
        attached += 1
    if attached:
        details["results_attached"] = attached
    return out


def _stored_notice(
    session: Session,
    source: str,
    result_of: dict[str, Any],
    cache: dict[str, InstrumentRecord],
) -> InstrumentRecord | None:
    """The catalog's record of the procedure's notice (same source), as a record to re-store."""
    wanted = set(_wanted(result_of))
    stmt = select(Instrument).where(Instrument.source == source, Instrument.withdrawn_at.is_(None))
    for instrument in session.scalars(stmt):
        extra = instrument.extra or {}
        if extra.get("result_of") or not (_keys(extra) & wanted):
            continue
        if instrument.id in cache:
            return cache[instrument.id]
        data = instrument_to_dict(instrument)
        record = parse_record({k: v for k, v in data.items() if k != "status"})
        cache[instrument.id] = record
        return record
    return None
