"""Derive an instrument's status (forthcoming/open/closed) from its dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence


def closes_at(deadlines: Sequence[str | dt.date]) -> dt.date | None:
    """The last closing date, or None when the source gives none."""
    dates = [d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in deadlines]
    return max(dates) if dates else None


def next_deadline(deadlines: Sequence[str | dt.date], today: dt.date) -> dt.date | None:
    """The first closing date on or after today, else None."""
    dates = sorted(d if isinstance(d, dt.date) else dt.date.fromisoformat(d) for d in deadlines)
    return next((d for d in dates if d >= today), None)


def derive_status(
    opens_at: dt.date | None, deadlines: Sequence[str | dt.date], today: dt.date
) -> str:
    """forthcoming before opening, closed after the last deadline, open otherwise.

    No deadline means the source names none (rolling schemes, or unknown): shown as open.
    """
    last = closes_at(deadlines)
    if last is not None and last < today:
        return "closed"
    if opens_at is not None and opens_at > today:
        return "forthcoming"
    return "open"
