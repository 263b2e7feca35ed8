"""The functional overview: counts by level, type, theme, status, amount band, deadline month
and province, each bar with the search that lists exactly the instruments it counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wijzer.catalog import taxonomy
from wijzer.search.results import record_status

# Amount bands in euros, as the search filters amounts: an instrument counts in every band its
# stated range (amount_min..amount_max) overlaps, so one may count in two bands. Bounds do not
# touch (25,000 / 25,001), so "up to 25,000" is not also counted in the next band.
AMOUNT_BANDS: tuple[tuple[int | None, int | None], ...] = (
    (None, 25_000),
    (25_001, 100_000),
    (100_001, 500_000),
    (500_001, 2_500_000),
    (2_500_001, None),
)
# Months of deadlines shown: this one and the next eleven.
MONTHS_AHEAD = 12


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    #: Share of the chart's largest count, 0-100 (the bar's length).
    percent: int
    #: Search parameters that list exactly the counted instruments.
    search: dict[str, Any]


def bars(rows: Iterable[tuple[str, int, dict[str, Any]]]) -> list[Bar]:
    """Bars for (label, count, search parameters) rows, scaled to the largest count."""
    rows = list(rows)
    peak = max((count for _, count, _ in rows), default=0) or 1
    return [Bar(label, n, round(100 * n / peak), search) for label, n, search in rows]


def _overlaps(record: dict[str, Any], low: int | None, high: int | None) -> bool:
    stated_low, stated_high = record.get("amount_min"), record.get("amount_max")
    if stated_low is None and stated_high is None:
        return False
    if low is not None and stated_high is not None and stated_high < low:
        return False
    return not (high is not None and stated_low is not None and stated_low > high)


def amount_bands(
    records: list[dict[str, Any]], today: dt.date, *, include_closed: bool = False
) -> list[tuple[int | None, int | None, int]]:
    """(low, high, instruments) per AMOUNT_BANDS band."""
    counted = [r for r in records if include_closed or record_status(r, today) != "closed"]
    return [
        (low, high, sum(_overlaps(r, low, high) for r in counted)) for low, high in AMOUNT_BANDS
    ]


def month_range(first: dt.date) -> tuple[dt.date, dt.date]:
    following = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def coming_deadlines(
    records: list[dict[str, Any]], today: dt.date, *, include_closed: bool = False
) -> list[tuple[dt.date, dt.date, int]]:
    """(from, to, instruments with a deadline in it) for this month (from today) and the
    MONTHS_AHEAD - 1 after it."""
    counted = [r for r in records if include_closed or record_status(r, today) != "closed"]
    out = []
    first = today.replace(day=1)
    for _ in range(MONTHS_AHEAD):
        start, end = month_range(first)
        start = max(start, today)
        low, high = start.isoformat(), end.isoformat()
        hits = sum(
            any(low <= str(d)[:10] <= high for d in r.get("deadlines") or []) for r in counted
        )
        out.append((start, end, hits))
        first = end + dt.timedelta(days=1)
    return out


def compute(
    records: list[dict[str, Any]], today: dt.date, *, include_closed: bool = False
) -> dict[str, Any]:
    """All overview counts as codes (JSON-ready); labels are added by the page.

    The status counts cover every instrument; the other counts leave closed ones out unless
    `include_closed` (what can still be applied for, or might be: check with the funder).
    """
    level_type: dict[str, Counter[str]] = {lv: Counter() for lv in taxonomy.LEVELS}
    theme_level: dict[str, Counter[str]] = {th: Counter() for th in taxonomy.THEMES}
    status: Counter[str] = Counter({s: 0 for s in taxonomy.STATUSES})
    months: Counter[str] = Counter()
    provinces: Counter[str] = Counter({p: 0 for p in taxonomy.PROVINCES})
    counted = 0
    for record in records:
        current = record_status(record, today)
        status[current] += 1
        if current == "closed" and not include_closed:
            continue
        counted += 1
        level = record.get("level") or ""
        level_type.setdefault(level, Counter())[record.get("instrument_type") or ""] += 1
        for theme in record.get("themes") or []:
            theme_level.setdefault(theme, Counter())[level] += 1
        for deadline in record.get("deadlines") or []:
            months[str(deadline)[:7]] += 1
        if level == "regional":
            for region in record.get("regions") or []:
                provinces[region] += 1
    return {
        "total": len(records),
        "counted": counted,
        "include_closed": include_closed,
        "today": today.isoformat(),
        "by_level_and_type": {lv: dict(c) for lv, c in level_type.items()},
        "by_theme_and_level": {th: dict(c) for th, c in theme_level.items()},
        "by_status": dict(status),
        "deadlines_per_month": dict(sorted(months.items())),
        "regional_per_province": dict(provinces),
    }


def level_totals(data: dict[str, Any]) -> dict[str, int]:
    return {lv: sum(types.values()) for lv, types in data["by_level_and_type"].items()}


def type_totals(data: dict[str, Any]) -> dict[str, int]:
    totals: Counter[str] = Counter({t: 0 for t in taxonomy.INSTRUMENT_TYPES})
    for types in data["by_level_and_type"].values():
        totals.update(types)
    return dict(totals)


def theme_totals(data: dict[str, Any]) -> dict[str, int]:
    return {th: sum(levels.values()) for th, levels in data["by_theme_and_level"].items()}
