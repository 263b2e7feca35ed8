"""Source health: the last crawl runs per source, with warnings for empty or failing runs.

The crawler records runs in the `crawl_runs` table (catalog/crawl_runs.py); this module turns
them into per-source health rows (last success, listed and pending items, drops by reason, age
of the newest item) and returns nothing (not an error) while none are recorded. Incremental
runs that found nothing new are normal: only full runs are judged for empty results.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijzer.catalog.crawl_runs import CrawlRun as RecordedRun
from wijzer.catalog.models import Instrument, utcnow

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
    kind: str = "full"

    @property
    def error_rate(self) -> float:
        total = self.items + self.errors
        return self.errors / total if total else 0.0


@dataclass
class SourceHealth:
    source: str
    runs: list[CrawlRun]
    warnings: list[str]
    #: When a run last finished with status ok (None: never).
    last_success: dt.datetime | None = None
    #: Instruments of the source that are not withdrawn: published, and waiting for review.
    listed: int = 0
    pending: int = 0
    #: When the source's newest instrument entered the catalog, and how long ago that was.
    newest_item_at: dt.datetime | None = None
    newest_item_age: dt.timedelta | None = None

    @property
    def latest_drops(self) -> dict[str, int]:
        """Drops by reason in the latest run."""
        return dict(self.runs[0].dropped) if self.runs else {}


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
        kind=run.kind or "full",
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
    """Warnings about a source's newest full run compared with the full runs before it (an
    incremental run that found nothing new is what an unchanged source looks like)."""
    runs = [r for r in runs if r.kind == "full"]
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


def _counts(session: Session, condition: Any) -> dict[str, int]:
    stmt = select(Instrument.source, func.count()).where(condition).group_by(Instrument.source)
    return {source: int(count) for source, count in session.execute(stmt).all()}


def _latest(session: Session, stmt: Any) -> dict[str, dt.datetime]:
    return {source: moment for source, moment in session.execute(stmt).all() if moment}


def source_health(
    session: Session, per_source: int = 5, now: dt.datetime | None = None
) -> list[SourceHealth]:
    now = now or utcnow()
    # Enough runs to find the latest full ones among a day of incremental runs.
    history = recent_runs(session, max(per_source, 60))
    last_ok = _latest(
        session,
        select(RecordedRun.source, func.max(RecordedRun.finished_at))
        .where(RecordedRun.status == "ok")
        .group_by(RecordedRun.source),
    )
    current = Instrument.withdrawn_at.is_(None) & Instrument.merged_into.is_(None)
    listed = _counts(session, current)
    pending = _counts(session, current & (Instrument.review_state == "pending"))
    newest = _latest(
        session,
        select(Instrument.source, func.max(Instrument.created_at))
        .where(current)
        .group_by(Instrument.source),
    )
    out = []
    for source, runs in history.items():
        newest_at = newest.get(source)
        out.append(
            SourceHealth(
                source,
                runs[:per_source],
                warnings_for(runs),
                last_success=last_ok.get(source),
                listed=listed.get(source, 0),
                pending=pending.get(source, 0),
                newest_item_at=newest_at,
                newest_item_age=now - newest_at if newest_at else None,
            )
        )
    return out
