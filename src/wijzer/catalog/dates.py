"""Dates in Dutch and English text: "tot en met 9 september 2021", "1 June–3 September 2026",
and the coarser ones schemes also use: "april 2024", "eind 2021", "end of 2021"."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = {
    "januari": 1,
    "jan": 1,
    "january": 1,
    "februari": 2,
    "feb": 2,
    "february": 2,
    "maart": 3,
    "mrt": 3,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "may": 5,
    "juni": 6,
    "jun": 6,
    "june": 6,
    "juli": 7,
    "jul": 7,
    "july": 7,
    "augustus": 8,
    "aug": 8,
    "august": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_TEXT_DATE = re.compile(
    rf"\b(?P<day>\d{{1,2}})(?:e|st|nd|rd|th)?\s+(?P<month>{_MONTH})\.?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
# "1 June–3 September 2026" / "1 t/m 3 juni 2026": the first day borrows month and year.
_RANGE = re.compile(
    rf"\b(?P<d1>\d{{1,2}})(?:\s+(?P<m1>{_MONTH}))?\s*(?:–|-|—|t/m|tot en met|to|until)\s*"
    rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH})\.?\s+(?P<y2>\d{{4}})\b",
    re.IGNORECASE,
)
_ENGLISH_DATE = re.compile(
    rf"\b(?P<month>{_MONTH})\.?\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_NUMERIC = re.compile(r"\b(?P<day>\d{1,2})[-/.](?P<month>\d{1,2})[-/.](?P<year>\d{4})\b")
_ISO = re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})")


def _make(year: int | str, month: int | str, day: int | str) -> dt.date | None:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _month(name: str) -> int:
    return MONTHS[name.lower().rstrip(".")]


# Every date pattern here holds a four-digit year: a text without one has no date, and most
# text units of a record have none (fact extraction reads dates in every unit).
_FOUR_DIGITS = re.compile(r"\d{4}")


def find_dates(text: str) -> list[tuple[int, dt.date]]:
    """Every date in the text with its position, in order of appearance."""
    if not _FOUR_DIGITS.search(text):
        return []
    found: dict[int, dt.date] = {}
    for m in _RANGE.finditer(text):
        year = int(m.group("y2"))
        first = _make(year, _month(m.group("m1") or m.group("m2")), m.group("d1"))
        if first:
            found[m.start()] = first
    for m in _TEXT_DATE.finditer(text):
        date = _make(m.group("year"), _month(m.group("month")), m.group("day"))
        if date:
            found.setdefault(m.start(), date)
    for pattern in (_ENGLISH_DATE,):
        for m in pattern.finditer(text):
            date = _make(m.group("year"), _month(m.group("month")), m.group("day"))
            if date and not any(abs(pos - m.start()) < 4 for pos in found):
                found[m.start()] = date
    for pattern in (_NUMERIC, _ISO):
        for m in pattern.finditer(text):
            date = _make(m.group("year"), m.group("month"), m.group("day"))
            if date:
                found.setdefault(m.start(), date)
    return sorted(found.items())


def parse_date(text: str) -> dt.date | None:
    """The first date in the text, or None."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


def parse_range(text: str) -> tuple[dt.date, dt.date] | None:
    """(opens, closes) of "1 June–3 September 2026" style ranges, else None."""
    m = _RANGE.search(text)
    if not m:
        return None
    year = int(m.group("y2"))
    first = _make(year, _month(m.group("m1") or m.group("m2")), m.group("d1"))
    last = _make(year, _month(m.group("m2")), m.group("d2"))
    return (first, last) if first and last else None


_DEADLINE_WORDS = re.compile(
    r"tot en met|t/m|uiterlijk|deadline|sluit|sluiting|indienen tot|aanvragen tot|aanvragen kan"
    r"|closing|closes|close on|until|before|submit by|openstelling|open van|open from"
    r"|aanvraagperiode"
    r"|application period|cut-off",
    re.IGNORECASE,
)
_NOT_DEADLINE = re.compile(
    r"gepubliceerd|laatst gecontroleerd|bijgewerkt|published|last checked|updated|datum publicatie",
    re.IGNORECASE,
)


def deadline_dates(text: str) -> tuple[dt.date | None, list[dt.date]]:
    """(opens_at, deadlines) from sentences that talk about applying or closing.

    Publication and "last checked" dates are ignored: they say nothing about the scheme.
    """
    opens: dt.date | None = None
    deadlines: set[dt.date] = set()
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
        if not _DEADLINE_WORDS.search(sentence) or _NOT_DEADLINE.search(sentence):
            continue
        span = parse_range(sentence)
        if span:
            opens = span[0] if opens is None else min(opens, span[0])
            deadlines.add(span[1])
            continue
        for _, date in find_dates(sentence):
            deadlines.add(date)
    return opens, sorted(deadlines)


@dataclass(frozen=True)
class Found:
    """A date stated in a text, how precisely, and where."""

    date: dt.date
    start: int
    end: int
    #: day | month | year: "1 april 2024", "april 2024", "eind 2021"
    precision: str = "day"


_MONTH_YEAR = re.compile(
    rf"\b(?:(?P<part>begin|early|start of|half|mid|medio|eind|end of|late)\s+)?"
    rf"(?P<month>{_MONTH})\.?\s+(?P<year>\d{{4}})\b",
    re.IGNORECASE,
)
_YEAR_END = re.compile(
    r"\b(?:eind|einde|end of|ultimo|year-end)\s+(?P<year>\d{4})\b", re.IGNORECASE
)
_ISO_WITH_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2}(?=T|\b)")


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


def dates_in(text: str, *, closing: bool = False) -> list[Found]:
    """Every date with its span: exact ones first, then "april 2024" and "eind 2021".

    A month or a year alone stands for its first day, or its last one when `closing` (a
    window "tot eind 2021" is open through 31 December).
    """
    if not _FOUR_DIGITS.search(text):
        return []
    found = [
        Found(date, pos, pos + _span_length(text, pos), "day") for pos, date in find_dates(text)
    ]
    taken = [(f.start, f.end) for f in found]

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    for m in _MONTH_YEAR.finditer(text):
        if not free(m.start("month"), m.end()):
            continue
        year, month = int(m.group("year")), _month(m.group("month"))
        part = (m.group("part") or "").lower()
        if part in ("eind", "end of", "late") or (closing and not part):
            date = _month_end(year, month)
        elif part in ("half", "mid", "medio"):
            date = dt.date(year, month, 15)
        else:
            date = dt.date(year, month, 1)
        found.append(Found(date, m.start(), m.end(), "month"))
        taken.append((m.start(), m.end()))
    for m in _YEAR_END.finditer(text):
        if free(m.start(), m.end()):
            found.append(Found(dt.date(int(m.group("year")), 12, 31), m.start(), m.end(), "year"))
    return sorted(found, key=lambda f: f.start)


def _span_length(text: str, pos: int) -> int:
    """How long the exact date starting at pos is (for quoting and overlap checks)."""
    for pattern in (_RANGE, _TEXT_DATE, _ENGLISH_DATE, _NUMERIC, _ISO):
        m = pattern.match(text, pos)
        if m:
            return m.end() - m.start()
    return 10
