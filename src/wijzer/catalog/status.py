"""An instrument's status as of a day: open, forthcoming, closed or unknown, with its evidence.

The catalog keeps what the source said (`catalog.facts.signals`: dates with their clause,
closed or standing wording, a dated round, a Corona measure, a tax scheme or guarantee that
says how to apply today, an "open" banner and the page's own date) and decides the status for
the day asked, so nothing has to be rewritten when the calendar moves on:

1. A Corona (emergency) measure is closed.
2. A closing sign (a passed deadline, closed or exhausted wording, a past dated round) and a
   standing one ("doorlopend", "continuously") contradict each other: unknown, both quoted.
3. Dates decide where they can: a window that includes the day is open, one that opens later
   is forthcoming, one whose last deadline passed is closed.
4. Otherwise closed wording, then a past dated round, say closed; standing wording, a standing
   facility (tax scheme, guarantee, lender product) in the present tense, or an "open" banner
   on a page dated within FRESH_DAYS say open; a budget of a past year says closed.
5. Anything else is unknown: the source does not tell, and the page says to ask the funder.

A status an API reported ("Open", "Forthcoming") is never read: only its dates are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog.facts.signals import (
    CLOSES,
    DATED_BUDGET,
    EMERGENCY,
    ENDED,
    FACILITY,
    FRESH_DAYS,
    OPEN_BANNER,
    OPENS,
    ROUND,
    SEEN,
    STANDING,
    Signal,
)

OPEN, FORTHCOMING, CLOSED, UNKNOWN = "open", "forthcoming", "closed", "unknown"
# How each status ranks in default listings: confirmed open first, closed last.
RANK = {OPEN: 0, FORTHCOMING: 0, UNKNOWN: 1, CLOSED: 2}


def closes_at(deadlines: Sequence[str | dt.date]) -> dt.date | None:
    """The last closing date, or None when the source gives none."""
    dates = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in deadlines]
    return max(dates) if dates else None


def next_deadline(deadlines: Sequence[str | dt.date], today: dt.date) -> dt.date | None:
    """The first closing date on or after today, else None."""
    dates = sorted(d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in deadlines)
    return next((d for d in dates if d >= today), None)


@dataclass(frozen=True)
class Decision:
    """A status on a day, the signals that decided it, and any that contradict it."""

    status: str
    evidence: tuple[Signal, ...] = ()
    conflicts: tuple[Signal, ...] = ()
    #: The date the status rests on where there is one (the deadline, the opening).
    date: dt.date | None = field(default=None)

    def as_json(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "date": self.date.isoformat() if self.date else None,
            "evidence": [s.as_json() for s in self.evidence],
            "conflicts": [s.as_json() for s in self.conflicts],
        }


def _of(signals: Sequence[Signal], kind: str) -> list[Signal]:
    return [s for s in signals if s.kind == kind]


def _day(signal: Signal) -> dt.date:
    """The date of a dated signal (callers keep only those with one)."""
    assert signal.date is not None
    return signal.date


def _by_dates(signals: Sequence[Signal], today: dt.date) -> Decision | None:
    opens = [s for s in _of(signals, OPENS) if s.date]
    closes = [s for s in _of(signals, CLOSES) if s.date]
    later = sorted((s for s in opens if s.date and s.date > today), key=_day)
    current = sorted((s for s in closes if s.date and s.date >= today), key=_day)
    past = sorted((s for s in closes if s.date and s.date < today), key=_day)
    if current:
        nearest = current[0]
        before = [s for s in later if s.date and nearest.date and s.date <= nearest.date]
        if before:
            return Decision(FORTHCOMING, (before[0],), date=before[0].date)
        return Decision(OPEN, (nearest,), date=nearest.date)
    if later:
        return Decision(FORTHCOMING, (later[0],), date=later[0].date)
    if past:
        return Decision(CLOSED, (past[-1],), date=past[-1].date)
    return None


def _page_date(signals: Sequence[Signal], today: dt.date) -> dt.date | None:
    dates = [s.date for s in _of(signals, SEEN) if s.date and s.date <= today]
    return max(dates) if dates else None


def decide(signals: Sequence[Signal], today: dt.date) -> Decision:
    """The status on `today` from the stored signals (see the module's rules)."""
    emergency = _of(signals, EMERGENCY)
    if emergency:
        return Decision(CLOSED, (emergency[0],))
    dated = _by_dates(signals, today)
    page_date = _page_date(signals, today)
    ended = _of(signals, ENDED)
    if dated and dated.status != CLOSED and ended and page_date and dated.date:
        # A "closed" banner from before the window opened says nothing about the window.
        ended = [] if page_date < dated.date or dated.status == FORTHCOMING else ended
    rounds = [s for s in _of(signals, ROUND) if s.date and s.date < today]
    closing = [*ended, *rounds]
    if dated and dated.status == CLOSED:
        closing = [*dated.evidence, *closing]
    standing = _of(signals, STANDING)
    if closing and standing and not (dated and dated.status != CLOSED):
        return Decision(UNKNOWN, (), (closing[0], standing[0]))
    if dated and dated.status != CLOSED:
        if ended:
            return Decision(UNKNOWN, (), (*dated.evidence, ended[0]))
        return dated
    if dated:
        return Decision(CLOSED, (*dated.evidence, *ended[:1]), date=dated.date)
    if ended:
        return Decision(CLOSED, (ended[0],))
    if rounds:
        return Decision(CLOSED, (rounds[-1],), date=rounds[-1].date)
    if standing:
        return Decision(OPEN, (standing[0],))
    facility = _of(signals, FACILITY)
    if facility:
        return Decision(OPEN, (facility[0],))
    banners = _of(signals, OPEN_BANNER)
    if banners and page_date and (today - page_date).days <= FRESH_DAYS:
        return Decision(OPEN, (banners[0], *_of(signals, SEEN)[:1]))
    budgets = [s for s in _of(signals, DATED_BUDGET) if s.date and s.date < today]
    if budgets:
        return Decision(CLOSED, (budgets[-1],), date=budgets[-1].date)
    # Unknown: what there is (an old "open" banner, an undated opening) stays as a note.
    notes = [*banners[:1], *_of(signals, SEEN)[:1], *_of(signals, OPENS)[:1]]
    return Decision(UNKNOWN, (), tuple(notes))


def signals_of(record: dict[str, Any]) -> list[Signal]:
    """The stored signals of a record dict (export, index, API), or its bare dates."""
    stored = record.get("status_signals")
    if isinstance(stored, list) and stored:
        return [Signal.from_json(s) for s in stored if isinstance(s, dict) and s.get("kind")]
    # A record not written through the catalog (or from before signals were kept): its dates
    # are all there is.
    out = []
    if record.get("opens_at"):
        out.append(
            Signal(
                OPENS,
                f"opens_at: {record['opens_at']}",
                "data",
                dt.date.fromisoformat(str(record["opens_at"])[:10]),
            )
        )
    for deadline in record.get("deadlines") or []:
        out.append(
            Signal(
                CLOSES, f"deadline: {deadline}", "data", dt.date.fromisoformat(str(deadline)[:10])
            )
        )
    return out


def status_of(record: dict[str, Any], today: dt.date) -> Decision:
    """The status of a record dict on a day."""
    confirmed = record.get("confirmed_status")
    if confirmed in RANK:
        return Decision(str(confirmed), (Signal("staff", str(confirmed), "staff"),))
    return decide(signals_of(record), today)


Period = tuple[dt.date | None, dt.date | None, str]


def record_timeline(record: dict[str, Any]) -> list[Period]:
    """The status periods of a record dict (what the search indexes store)."""
    confirmed = record.get("confirmed_status")
    if confirmed in RANK:
        return [(None, None, str(confirmed))]
    return timeline(signals_of(record))


def _shift(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, held at the calendar's ends (a deadline of 9999-12-31)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min


def timeline(signals: Sequence[Signal]) -> list[Period]:
    """The status for every day, as [start, end) periods (None: unbounded).

    The decision only compares the day with the signals' dates, so it is constant between
    them: deciding once per interval gives the status on every day. Indexes store these
    periods and find the status on the day of a query without re-deciding.
    """
    points: set[dt.date] = set()
    for s in signals:
        if s.date:
            points.update({s.date, _shift(s.date, 1)})
            if s.kind == SEEN:
                points.add(_shift(s.date, FRESH_DAYS + 1))
    bounds = sorted(points)
    starts: list[dt.date | None] = [None, *bounds]
    periods: list[Period] = []
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else None
        day = start if start is not None else (_shift(bounds[0], -1) if bounds else dt.date.today())
        status = decide(signals, day).status
        if periods and periods[-1][2] == status:
            periods[-1] = (periods[-1][0], end, status)
        else:
            periods.append((start, end, status))
    return periods
