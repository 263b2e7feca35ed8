"""Source health: the last crawl runs per source, with warnings for empty or failing runs.

The crawler records runs in a `crawl_runs` table (catalog/crawl_runs.py, built in parallel).
This module reads it through one small interface, `recent_runs`, tolerant of column names,
and returns nothing (not an error) while no runs are recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, inspect, select
from sqlalchemy.orm import Session

# Column names we accept for each value, first match wins.
_COLUMNS = {
    "source": ("source", "spider", "source_name"),
    "started_at": ("started_at", "start", "started"),
    "finished_at": ("finished_at", "ended_at", "finished"),
    "items": ("items", "item_count", "items_scraped", "stored", "seen"),
    "errors": ("errors", "error_count"),
    "dropped": ("dropped", "drop_reasons", "drops"),
    "status": ("status", "outcome", "state"),
}
ERROR_RATE_JUMP = 2.0  # latest error rate at least this many times the earlier average
MIN_ERROR_RATE = 0.1  # ... and at least 10 %, so one error in a tiny run does not alarm


@dataclass(frozen=True)
class CrawlRun:
    source: str
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    items: int
    errors: int
    dropped: dict[str, int] = field(default_factory=dict)
    status: str = ""

    @property
    def error_rate(self) -> float:
        total = self.items + self.errors
        return self.errors / total if total else 0.0


@dataclass
class SourceHealth:
    source: str
    runs: list[CrawlRun]
    warnings: list[str]


def _pick(row: dict[str, Any], name: str) -> Any:
    for column in _COLUMNS[name]:
        if column in row:
            return row[column]
    return None


def _dropped(value: Any) -> dict[str, int]:
    if isinstance(value, dict):
        return {str(k): int(v) for k, v in value.items() if isinstance(v, int | float)}
    if isinstance(value, int):
        return {"dropped": value} if value else {}
    return {}


def recent_runs(session: Session, per_source: int = 5) -> dict[str, list[CrawlRun]]:
    """The newest runs of each source, newest first; {} when no crawl runs are recorded."""
    bind = session.get_bind()
    if "crawl_runs" not in inspect(bind).get_table_names():
        return {}
    table = Table("crawl_runs", MetaData(), autoload_with=bind)
    runs: dict[str, list[CrawlRun]] = defaultdict(list)
    for raw in session.execute(select(table)).mappings():
        row = dict(raw)
        source = _pick(row, "source")
        if not source:
            continue
        runs[str(source)].append(
            CrawlRun(
                source=str(source),
                started_at=_pick(row, "started_at"),
                finished_at=_pick(row, "finished_at"),
                items=int(_pick(row, "items") or 0),
                errors=int(_pick(row, "errors") or 0),
                dropped=_dropped(_pick(row, "dropped")),
                status=str(_pick(row, "status") or ""),
            )
        )
    oldest = dt.datetime.min
    return {
        source: sorted(rows, key=lambda r: r.started_at or oldest, reverse=True)[:per_source]
        for source, rows in sorted(runs.items())
    }


def warnings_for(runs: list[CrawlRun]) -> list[str]:
    """Warnings about a source's newest run compared with the runs before it."""
    if not runs:
        return []
    latest, earlier = runs[0], runs[1:]
    out = []
    if latest.items == 0:
        out.append("the latest run returned zero items")
    if earlier:
        baseline = sum(r.error_rate for r in earlier) / len(earlier)
        if latest.error_rate >= MIN_ERROR_RATE and latest.error_rate >= ERROR_RATE_JUMP * max(
            baseline, 0.01
        ):
            out.append(
                f"error rate jumped to {latest.error_rate:.0%} (earlier runs {baseline:.0%})"
            )
    elif latest.error_rate >= MIN_ERROR_RATE:
        out.append(f"error rate {latest.error_rate:.0%}")
    return out


def source_health(session: Session, per_source: int = 5) -> list[SourceHealth]:
    return [
        SourceHealth(source, runs, warnings_for(runs))
        for source, runs in recent_runs(session, per_source).items()
    ]
