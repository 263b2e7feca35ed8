"""Relations between two records: merged, kept apart, a duplicate hint for staff, or rounds of
one scheme. One row per pair and kind of relation; staff decisions are never overwritten by
automatic resolution."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from wijzer.catalog.curation_models import InstrumentRelation
from wijzer.catalog.models import Instrument, utcnow

DUPLICATE = "duplicate"
SAME_SCHEME = "same_scheme"
# States of a duplicate relation, and of a scheme link.
MERGED = "merged"
OPEN = "open"
KEPT_APART = "kept_apart"
LINKED = "linked"
# Refusals of an automatic merge that the staff queue explains.
DIFFERENT_FUNDERS = "different_funders"


def ordered(left: str, right: str) -> tuple[str, str]:
    return (left, right) if left < right else (right, left)


# session.info key of the relations `preloaded` holds for one pass over many records.
_PRELOADED = "wijzer.relations.preloaded"


@dataclass
class _Preloaded:
    """Every relation of one kind that touches `ids`, by pair: for a pair with a member in
    `ids`, a missing entry means no such relation (new ones are added as they are made)."""

    relation: str
    ids: frozenset[str]
    rows: dict[tuple[str, str], InstrumentRelation]

    def covers(self, pair: tuple[str, str], relation: str) -> bool:
        return relation == self.relation and (pair[0] in self.ids or pair[1] in self.ids)


@contextlib.contextmanager
def preloaded(session: Session, ids: Iterable[str], relation: str) -> Iterator[None]:
    """Within the block, `get` answers for pairs touching `ids` from one query instead of one
    query each (entity resolution of a crawl asked ~1,100 times, ~5% of the crawl's CPU).
    Only for a block in which these relations change through this module alone."""
    wanted = frozenset(ids)
    rows = {(row.left_id, row.right_id): row for row in of(session, wanted, relation)}
    session.info[_PRELOADED] = _Preloaded(relation, wanted, rows)
    try:
        yield
    finally:
        session.info.pop(_PRELOADED, None)


def get(session: Session, left: str, right: str, relation: str) -> InstrumentRelation | None:
    a, b = ordered(left, right)
    cache: _Preloaded | None = session.info.get(_PRELOADED)
    if cache is not None and cache.covers((a, b), relation):
        return cache.rows.get((a, b))
    stmt = (
        select(InstrumentRelation)
        .where(InstrumentRelation.left_id == a)
        .where(InstrumentRelation.right_id == b)
        .where(InstrumentRelation.relation == relation)
    )
    return session.scalars(stmt).first()


def put(
    session: Session,
    left: str,
    right: str,
    relation: str,
    state: str,
    rule: str,
    evidence: dict[str, Any] | None = None,
    *,
    refusal: str | None = None,
    decided_by: str | None = None,
    now: dt.datetime | None = None,
    flush: bool = True,
) -> InstrumentRelation:
    """Create or update the relation of a pair (the caller decides whether it may);
    flush=False leaves the flush to the caller (many puts in one pass)."""
    now = now or utcnow()
    row = get(session, left, right, relation)
    if row is None:
        row = create(
            session, left, right, relation, state, rule, evidence, refusal=refusal, now=now
        )
    else:
        _fill(row, state, rule, evidence, refusal, now)
    if decided_by is not None:
        row.decided_by = decided_by
        row.decided_at = now
    if flush:
        session.flush()
    return row


def create(
    session: Session,
    left: str,
    right: str,
    relation: str,
    state: str,
    rule: str,
    evidence: dict[str, Any] | None = None,
    *,
    refusal: str | None = None,
    now: dt.datetime,
) -> InstrumentRelation:
    """A new relation for a pair the caller knows has none of that kind (not flushed)."""
    a, b = ordered(left, right)
    row = InstrumentRelation(left_id=a, right_id=b, relation=relation, created_at=now)
    _fill(row, state, rule, evidence, refusal, now)
    session.add(row)
    cache: _Preloaded | None = session.info.get(_PRELOADED)
    if cache is not None and cache.covers((a, b), relation):
        cache.rows[(a, b)] = row
    return row


def _fill(
    row: InstrumentRelation,
    state: str,
    rule: str,
    evidence: dict[str, Any] | None,
    refusal: str | None,
    now: dt.datetime,
) -> None:
    row.state = state
    row.rule = rule
    row.evidence = evidence or {}
    row.refusal = refusal
    row.updated_at = now


def of(session: Session, ids: Iterable[str], relation: str) -> list[InstrumentRelation]:
    """Every relation of that kind touching one of the ids."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    stmt = (
        select(InstrumentRelation)
        .where(InstrumentRelation.relation == relation)
        .where(or_(InstrumentRelation.left_id.in_(wanted), InstrumentRelation.right_id.in_(wanted)))
        .order_by(InstrumentRelation.id)
    )
    return list(session.scalars(stmt))


def kept_apart(session: Session) -> set[tuple[str, str]]:
    """Pairs staff kept apart (split merges, dismissed hints)."""
    stmt = (
        select(InstrumentRelation.left_id, InstrumentRelation.right_id)
        .where(InstrumentRelation.relation == DUPLICATE)
        .where(InstrumentRelation.state == KEPT_APART)
    )
    return {(a, b) for a, b in session.execute(stmt)}


@dataclass
class Hint:
    """A duplicate hint in the staff queue: the pair, why, and why it was not merged."""

    relation: InstrumentRelation
    left: Instrument
    right: Instrument

    @property
    def refused(self) -> bool:
        return self.relation.refusal is not None


def open_hints(session: Session) -> list[Hint]:
    """Duplicate hints waiting for staff whose records are both still there and apart."""
    stmt = (
        select(InstrumentRelation)
        .where(InstrumentRelation.relation == DUPLICATE)
        .where(InstrumentRelation.state == OPEN)
        .order_by(InstrumentRelation.refusal.is_(None), InstrumentRelation.id)
    )
    hints = []
    for row in session.scalars(stmt):
        left = session.get(Instrument, row.left_id)
        right = session.get(Instrument, row.right_id)
        if left is None or right is None:
            continue
        if (left.merged_into or left.id) == (right.merged_into or right.id):
            continue
        hints.append(Hint(row, left, right))
    return hints


def group(session: Session, canonical_id: str) -> list[Instrument]:
    """A public record first, then the records merged into it (oldest first)."""
    canonical = session.get(Instrument, canonical_id)
    stmt = (
        select(Instrument)
        .where(Instrument.merged_into == canonical_id)
        .order_by(Instrument.created_at, Instrument.id)
    )
    members = list(session.scalars(stmt))
    return ([canonical] if canonical is not None else []) + members


def scheme_relatives(session: Session, canonical_id: str, limit: int = 12) -> list[Instrument]:
    """Public records of other rounds, years, regions or components of the same scheme,
    newest first (by the latest date they state)."""
    ids = [i.id for i in group(session, canonical_id)]
    others = set()
    for row in of(session, ids, SAME_SCHEME):
        other = row.right_id if row.left_id in ids else row.left_id
        others.add(other)
    found: dict[str, Instrument] = {}
    for other_id in sorted(others):
        instrument = session.get(Instrument, other_id)
        if instrument is None:
            continue
        if instrument.merged_into:
            instrument = session.get(Instrument, instrument.merged_into)
        if instrument is None or instrument.id == canonical_id or not instrument.is_listed:
            continue
        found[instrument.id] = instrument

    def latest(instrument: Instrument) -> str:
        dates = [*(instrument.deadlines or []), str(instrument.opens_at or "")]
        return max((d for d in dates if d), default="")

    return sorted(found.values(), key=lambda i: (latest(i), i.id), reverse=True)[:limit]


def hints_beside(session: Session, ids: Iterable[str]) -> dict[str, list[Instrument]]:
    """{id: look-alikes with an open duplicate hint} for the given records (one queue page)."""
    out: dict[str, list[Instrument]] = {}
    wanted = set(ids)
    for row in of(session, wanted, DUPLICATE):
        if row.state != OPEN:
            continue
        for mine, other_id in ((row.left_id, row.right_id), (row.right_id, row.left_id)):
            if mine not in wanted:
                continue
            other = session.get(Instrument, other_id)
            if other is not None and other.merged_into != mine:
                out.setdefault(mine, []).append(other)
    return out
