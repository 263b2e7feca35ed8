"""The functional overview: counts by level, type, theme, status, deadline month and province."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wijzer.catalog import taxonomy
from wijzer.search.results import record_status

# Chart geometry (SVG user units); bars scale to the largest count of a chart.
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 260
BAR_WIDTH = 360
CHART_WIDTH = LABEL_WIDTH + BAR_WIDTH + 60


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    y: int
    width: int


def bars(rows: Iterable[tuple[str, int]]) -> list[Bar]:
    """Horizontal bars for (label, count) rows, laid out top to bottom."""
    rows = list(rows)
    peak = max((count for _, count in rows), default=0) or 1
    return [
        Bar(label, count, i * (BAR_HEIGHT + BAR_GAP), round(BAR_WIDTH * count / peak))
        for i, (label, count) in enumerate(rows)
    ]


def chart_height(rows: list[Bar]) -> int:
    return max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP)


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
