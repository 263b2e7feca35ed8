"""The review queue: pending listings and flagged changes; approve/publish or reject/hide."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, load_only

from wijzer.catalog.curation import CurationError, CurationErrorCode, audit
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


def _item(session: Session, instrument: Instrument, flags: list[ReviewFlag]) -> QueueItem:
    diff = latest_source_diff(session, instrument.id)
    diff.update(flag_changes(flags))
    return QueueItem(instrument, flags, diff)


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
    return [
        _item(session, i, [f for f in flags if f.instrument_id == i.id])
        for i in session.scalars(stmt)
    ]


# Why an item waits: a listing never published, a source change, a change to a field staff set.
NEW = "new"
CHANGE_KINDS = (NEW, "changed", "override_conflict")
# How long an item has waited, as the queue filters it: (at least, less than) days.
AGES: dict[str, tuple[int, int | None]] = {
    "day": (0, 1),
    "week": (1, 7),
    "month": (7, 30),
    "older": (30, None),
}
PAGE_SIZE = 20


@dataclass(frozen=True)
class QueueFilter:
    """What the curator narrowed the queue to (None: everything)."""

    source: str | None = None
    kind: str | None = None
    age: str | None = None


@dataclass
class QueuePage:
    """One page of the filtered queue, with what the filters can choose from."""

    items: list[QueueItem]
    total: int
    page: int
    pages: int
    sources: list[str]
    waiting_since: dict[str, dt.datetime]


@dataclass(frozen=True)
class _Waiting:
    id: str
    source: str
    kinds: frozenset[str]
    since: dt.datetime


def _waiting(session: Session) -> tuple[list[_Waiting], dict[str, list[ReviewFlag]]]:
    """Every item of the queue with only what filtering needs (no record bodies)."""
    flags: dict[str, list[ReviewFlag]] = {}
    for flag in open_flags(session):
        flags.setdefault(flag.instrument_id, []).append(flag)
    stmt = (
        select(Instrument)
        .options(
            load_only(
                Instrument.id, Instrument.source, Instrument.review_state, Instrument.updated_at
            )
        )
        .where(or_(Instrument.review_state == "pending", Instrument.id.in_(list(flags))))
        .where(Instrument.merged_into.is_(None))
    )
    waiting = []
    for instrument in session.scalars(stmt):
        mine = flags.get(instrument.id, [])
        kinds = {f.kind for f in mine} | ({NEW} if instrument.review_state == "pending" else set())
        since = min([f.created_at for f in mine] or [instrument.updated_at])
        waiting.append(_Waiting(instrument.id, instrument.source, frozenset(kinds), since))
    waiting.sort(key=lambda w: (w.since, w.id))
    return waiting, flags


def _kept(item: _Waiting, wanted: QueueFilter, now: dt.datetime) -> bool:
    if wanted.source and item.source != wanted.source:
        return False
    if wanted.kind and wanted.kind not in item.kinds:
        return False
    if wanted.age in AGES:
        low, high = AGES[wanted.age]
        days = (now - item.since) / dt.timedelta(days=1)
        if days < low or (high is not None and days >= high):
            return False
    return True


def queue_page(
    session: Session,
    wanted: QueueFilter = QueueFilter(),
    page: int = 1,
    *,
    per_page: int = PAGE_SIZE,
    now: dt.datetime | None = None,
) -> QueuePage:
    """One page of the queue, oldest wait first; only that page's records and diffs are read."""
    now = now or utcnow()
    waiting, flags = _waiting(session)
    kept = [w for w in waiting if _kept(w, wanted, now)]
    pages = max(1, -(-len(kept) // per_page))
    page = min(max(1, page), pages)
    shown = kept[(page - 1) * per_page : page * per_page]
    records = {
        i.id: i
        for i in session.scalars(select(Instrument).where(Instrument.id.in_([w.id for w in shown])))
    }
    return QueuePage(
        items=[_item(session, records[w.id], flags.get(w.id, [])) for w in shown],
        total=len(kept),
        page=page,
        pages=pages,
        sources=sorted({w.source for w in waiting}),
        waiting_since={w.id: w.since for w in shown},
    )


def flag_changes(flags: list[ReviewFlag]) -> dict[str, list[Any]]:
    """{field: [crawled before, crawled now]} of what the flags asked staff to look at."""
    changes: dict[str, list[Any]] = {}
    for flag in flags:
        for name, pair in (flag.details.get("changes") or {}).items():
            changes[name] = list(pair)
        for name, info in (flag.details.get("fields") or {}).items():
            changes[name] = [info.get("crawled_before"), info.get("crawled_now")]
    return changes


def _resolve(
    session: Session, instrument_id: str, who: str, now: dt.datetime
) -> tuple[list[str], dict[str, list[Any]]]:
    flags = open_flags(session, instrument_id)
    for flag in flags:
        flag.resolved_at = now
        flag.resolved_by = who
    return [f.kind for f in flags], flag_changes(flags)


def _decide(
    session: Session, instrument_id: str, who: str, state: str, reason: str, action: str
) -> Instrument:
    now = utcnow()
    instrument = get_instrument(session, instrument_id)
    before = instrument.review_state
    resolved, changes = _resolve(session, instrument_id, who, now)
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
        # The changes approved, so the audit log can say what was accepted.
        before={"review_state": before, "flags": resolved, "changes": changes},
        after={"review_state": state},
        reason=reason,
        now=now,
    )
    return instrument


def decide_many(
    session: Session, ids: list[str], decision: str, who: str, reason: str = ""
) -> list[str]:
    """Approve or reject several items in one transaction; every id or none is decided."""
    if decision not in ("approve", "reject"):
        raise CurationError("decision", "must be approve or reject")
    if not ids:
        raise CurationError("ids", "select at least one item", CurationErrorCode.MISSING)
    act = approve if decision == "approve" else reject
    for instrument_id in dict.fromkeys(ids):
        act(session, instrument_id, who, reason)
    return list(dict.fromkeys(ids))


def approve(session: Session, instrument_id: str, who: str, reason: str = "") -> Instrument:
    """Publish the instrument and close its flags (overrides stay as they are)."""
    return _decide(session, instrument_id, who, "published", reason, "approve")


def reject(session: Session, instrument_id: str, who: str, reason: str) -> Instrument:
    """Hide the instrument from the public; a reason is required."""
    if not (reason or "").strip():
        raise CurationError("reason", "is required to reject", CurationErrorCode.MISSING)
    return _decide(session, instrument_id, who, "rejected", reason.strip(), "reject")
