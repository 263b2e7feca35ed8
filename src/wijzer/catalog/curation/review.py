"""The review queue: pending listings and flagged changes; approve/publish or reject/hide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, audit
from wijzer.catalog.curation.editing import _new_version, get_instrument
from wijzer.catalog.curation_models import ReviewFlag
from wijzer.catalog.models import Instrument, InstrumentVersion, utcnow

FLAG_LABELS = {
    "override_conflict": "source changed an overridden field",
    "changed": "changed by its source",
}


@dataclass
class QueueItem:
    instrument: Instrument
    flags: list[ReviewFlag] = field(default_factory=list)
    # {field: [previous, current]} of the latest source change (or all fields when new).
    diff: dict[str, list[Any]] = field(default_factory=dict)

    @property
    def reasons(self) -> list[str]:
        out = ["new listing"] if self.instrument.review_state == "pending" else []
        return out + [FLAG_LABELS.get(f.kind, f.kind) for f in self.flags]


def open_flags(session: Session, instrument_id: str | None = None) -> list[ReviewFlag]:
    stmt = select(ReviewFlag).where(ReviewFlag.resolved_at.is_(None)).order_by(ReviewFlag.id)
    if instrument_id is not None:
        stmt = stmt.where(ReviewFlag.instrument_id == instrument_id)
    return list(session.scalars(stmt))


def latest_source_diff(session: Session, instrument_id: str) -> dict[str, list[Any]]:
    """The changes of the newest version written by something other than staff."""
    stmt = (
        select(InstrumentVersion)
        .where(InstrumentVersion.instrument_id == instrument_id)
        .where(InstrumentVersion.changed_by.not_like("staff:%"))
        .order_by(InstrumentVersion.version.desc())
    )
    version = session.scalars(stmt).first()
    return dict(version.changes) if version else {}


def queue(session: Session) -> list[QueueItem]:
    """Everything waiting for a curator, oldest change first."""
    flags = open_flags(session)
    flagged = {f.instrument_id for f in flags}
    stmt = (
        select(Instrument)
        .where(or_(Instrument.review_state == "pending", Instrument.id.in_(flagged)))
        .where(Instrument.merged_into.is_(None))
        .order_by(Instrument.updated_at, Instrument.id)
    )
    items = []
    for instrument in session.scalars(stmt):
        mine = [f for f in flags if f.instrument_id == instrument.id]
        diff = latest_source_diff(session, instrument.id)
        for flag in mine:
            for name, info in (flag.details.get("fields") or {}).items():
                diff[name] = [info.get("crawled_before"), info.get("crawled_now")]
        items.append(QueueItem(instrument, mine, diff))
    return items


def _resolve(session: Session, instrument_id: str, who: str, now: dt.datetime) -> list[str]:
    kinds = []
    for flag in open_flags(session, instrument_id):
        flag.resolved_at = now
        flag.resolved_by = who
        kinds.append(flag.kind)
    return kinds


def _decide(
    session: Session, instrument_id: str, who: str, state: str, reason: str, action: str
) -> Instrument:
    now = utcnow()
    instrument = get_instrument(session, instrument_id)
    before = instrument.review_state
    resolved = _resolve(session, instrument_id, who, now)
    if before != state:
        instrument.review_state = state
        _new_version(
            session,
            instrument,
            who,
            state,
            {"review_state": [before, state]},
            now,
        )
    audit.record(
        session,
        who,
        action,
        instrument_id,
        before={"review_state": before, "flags": resolved},
        after={"review_state": state},
        reason=reason,
        now=now,
    )
    return instrument


def approve(session: Session, instrument_id: str, who: str, reason: str = "") -> Instrument:
    """Publish the instrument and close its flags (overrides stay as they are)."""
    return _decide(session, instrument_id, who, "published", reason, "approve")


def reject(session: Session, instrument_id: str, who: str, reason: str) -> Instrument:
    """Hide the instrument from the public; a reason is required."""
    if not (reason or "").strip():
        raise CurationError("reason", "is required to reject")
    return _decide(session, instrument_id, who, "rejected", reason.strip(), "reject")
