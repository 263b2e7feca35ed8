"""Source health: the last crawl runs per source, with warnings for empty or failing runs.

The crawler records runs in the `crawl_runs` table (catalog/crawl_runs.py); this module turns
them into per-source health rows and returns nothing (not an error) while none are recorded.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.crawl_runs import CrawlRun as RecordedRun

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


def _from_record(run: RecordedRun) -> CrawlRun:
    """A health row from a recorded run: items are what the source returned, stored or not."""
    items = run.new + run.changed + run.unchanged
    return CrawlRun(
        source=run.source,
        started_at=run.started_at,
        finished_at=run.finished_at,
        items=items,
        errors=len(run.errors or []),
        dropped={str(k): int(v) for k, v in (run.dropped or {}).items()},
        status=run.status,
    )


def recent_runs(session: Session, per_source: int = 5) -> dict[str, list[CrawlRun]]:
    """The newest runs of each source, newest first; {} when no crawl runs are recorded."""
    runs: dict[str, list[CrawlRun]] = defaultdict(list)
    stmt = select(RecordedRun).order_by(RecordedRun.started_at.desc(), RecordedRun.id.desc())
    for recorded in session.scalars(stmt):
        if len(runs[recorded.source]) < per_source:
            runs[recorded.source].append(_from_record(recorded))
    return dict(sorted(runs.items()))


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
