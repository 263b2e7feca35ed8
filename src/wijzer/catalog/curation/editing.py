"""Staff edits: per-field overrides that survive recrawls, and direct edits of manual listings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, CurationErrorCode, audit
from wijzer.catalog.curation_models import FieldOverride
from wijzer.catalog.facts import FACT_FIELDS
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.repository import InstrumentStore, instrument_content, instrument_to_dict
from wijzer.catalog.schema import DESCRIPTIVE_FIELDS, RecordError, parse_record

# What staff may change; provenance (source, source_id, source_url) stays the crawler's.
EDITABLE_FIELDS = DESCRIPTIVE_FIELDS
MANUAL_SOURCE = "manual"


def staff(email: str) -> str:
    """The changed_by of a staff action in the version history."""
    return f"staff:{email}"


def set_attr(instrument: Instrument, field: str, value: Any) -> None:
    """Write a JSON-ready value onto the instrument (dates parsed back)."""
    if field == "opens_at":
        value = dt.date.fromisoformat(value) if value else None
    setattr(instrument, field, value)


def overrides(session: Session, instrument_id: str) -> dict[str, FieldOverride]:
    stmt = select(FieldOverride).where(FieldOverride.instrument_id == instrument_id)
    return {o.field: o for o in session.scalars(stmt)}


def overridden_fields(session: Session) -> dict[str, list[str]]:
    """{instrument id: fields staff set} for every instrument with an override."""
    out: dict[str, list[str]] = {}
    for override in session.scalars(select(FieldOverride).order_by(FieldOverride.field)):
        out.setdefault(override.instrument_id, []).append(override.field)
    return out


def validate_fields(instrument: Instrument, values: dict[str, Any]) -> dict[str, Any]:
    """Normalised JSON-ready values, validated as part of the whole record; names a bad field."""
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise CurationError(unknown[0], "cannot be edited", CurationErrorCode.NOT_EDITABLE)
    data = instrument_to_dict(instrument)
    data.update(values)
    try:
        record = parse_record(data)
    except RecordError as exc:
        raise CurationError(exc.field, exc.reason) from None
    normalised = record.model_dump(mode="json")
    return {field: normalised[field] for field in values}


def get_instrument(session: Session, instrument_id: str) -> Instrument:
    instrument = session.get(Instrument, instrument_id)
    if instrument is None:
        raise CurationError("id", f"no instrument {instrument_id!r}", CurationErrorCode.NOT_FOUND)
    return instrument


def edit_fields(
    session: Session,
    instrument_id: str,
    values: dict[str, Any],
    who: str,
    reason: str = "",
    *,
    action: str = "edit",
    now: dt.datetime | None = None,
) -> dict[str, list[Any]]:
    """Apply staff values; crawled instruments get overrides, manual ones change directly.

    Returns {field: [old, new]} of what the public now sees differently.
    """
    now = now or utcnow()
    instrument = get_instrument(session, instrument_id)
    clean = validate_fields(instrument, values)
    current = instrument_content(instrument)
    changes = {f: [current[f], v] for f, v in clean.items() if current[f] != v}
    if not changes:
        return {}
    if instrument.source == MANUAL_SOURCE:
        _edit_manual(session, instrument, clean, who, now)
    else:
        _override(session, instrument, changes, who, now)
    audit.record(
        session,
        who,
        action,
        instrument_id,
        before={f: c[0] for f, c in changes.items()},
        after={f: c[1] for f, c in changes.items()},
        reason=reason,
        now=now,
    )
    return changes


def _edit_manual(
    session: Session, instrument: Instrument, clean: dict[str, Any], who: str, now: dt.datetime
) -> None:
    # A manual listing has no crawled value to protect: the single write path stores it.
    data = instrument_to_dict(instrument)
    data.update(clean)
    # What staff typed rests on their word, not on a sentence of the text.
    evidence = {
        k: v for k, v in (data.get("evidence") or {}).items() if k.split(".")[0] not in clean
    }
    for field, value in clean.items():
        if value not in (None, "", []) and field in FACT_FIELDS:
            evidence[field] = {"quote": f"{field}: set by Wijzer staff", "origin": "staff"}
    data["evidence"] = evidence
    InstrumentStore(session).upsert(
        parse_record(data), staff(who), review_state=instrument.review_state, now=now
    )


def _override(
    session: Session,
    instrument: Instrument,
    changes: dict[str, list[Any]],
    who: str,
    now: dt.datetime,
) -> None:
    existing = overrides(session, instrument.id)
    for field, (old, new) in changes.items():
        override = existing.get(field)
        # The crawled value is what the field held before the first override.
        crawled = override.crawled_value if override is not None else old
        if new == crawled:
            if override is not None:
                session.delete(override)
        elif override is None:
            session.add(
                FieldOverride(
                    instrument_id=instrument.id,
                    field=field,
                    value=new,
                    crawled_value=crawled,
                    changed_by=who,
                    changed_at=now,
                )
            )
        else:
            override.value = new
            override.changed_by = who
            override.changed_at = now
        set_attr(instrument, field, new)
    _new_version(session, instrument, who, "edited", changes, now)


def remove_override(
    session: Session, instrument_id: str, field: str, who: str, reason: str = ""
) -> bool:
    """Drop a staff override so the crawled value shows again; False when there was none."""
    instrument = get_instrument(session, instrument_id)
    override = overrides(session, instrument_id).get(field)
    if override is None:
        return False
    now = utcnow()
    before = instrument_content(instrument)[field]
    set_attr(instrument, field, override.crawled_value)
    session.delete(override)
    _new_version(
        session,
        instrument,
        who,
        "override_removed",
        {field: [before, override.crawled_value]},
        now,
    )
    audit.record(
        session,
        who,
        "remove_override",
        instrument_id,
        before={field: before},
        after={field: override.crawled_value},
        reason=reason,
        now=now,
    )
    return True


def _new_version(
    session: Session,
    instrument: Instrument,
    who: str,
    kind: str,
    changes: dict[str, Any],
    now: dt.datetime,
) -> None:
    instrument.version += 1
    instrument.updated_at = now
    InstrumentStore(session)._add_version(instrument, staff(who), kind, changes, now)
