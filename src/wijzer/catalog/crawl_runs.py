"""The crawl_runs table: one row per source per crawl with its counts, drops and errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, DateTime, Integer, String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wijzer.catalog.models import Base, Instrument, utcnow


class CrawlRun(Base):
    """What one crawl of one source fetched, stored, withdrew and dropped."""

    __tablename__ = "crawl_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(100), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # ok = complete and clean; partial = some pages failed; failed = the crawl did not finish.
    status: Mapped[str] = mapped_column(String(20), default="ok")
    mode: Mapped[str] = mapped_column(String(20), default="online")  # online | offline | bulk
    fetched: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    withdrawn: Mapped[int] = mapped_column(Integer, default=0)
    # {reason: count}
    dropped: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    # Short messages, newest last, capped so a broken site cannot bloat the table.
    errors: Mapped[list[str]] = mapped_column(JSON, default=list)
    # full = everything the source lists; incremental = only what changed since the last run.
    kind: Mapped[str] = mapped_column(String(20), default="full")
    # Counts beyond the instruments: pages not fetched again (skipped, not_modified) and,
    # for registers, the rows stored ({"register": {"created": n, ...}}).
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "started_at": self.started_at.isoformat() if self.started_at else None,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "status": self.status,
            "mode": self.mode,
            "fetched": self.fetched,
            "new": self.new,
            "changed": self.changed,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "dropped": dict(self.dropped or {}),
            "errors": list(self.errors or []),
            "kind": self.kind or "full",
            "details": dict(self.details or {}),
        }


def last_runs(session: Session) -> dict[str, CrawlRun]:
    """The newest run of every source that has one."""
    newest = (
        select(CrawlRun.source, func.max(CrawlRun.id).label("id")).group_by(CrawlRun.source)
    ).subquery()
    stmt = select(CrawlRun).join(newest, CrawlRun.id == newest.c.id)
    return {run.source: run for run in session.scalars(stmt)}


def item_counts(session: Session) -> dict[str, int]:
    """Listed (not withdrawn) instruments per source."""
    stmt = (
        select(Instrument.source, func.count())
        .where(Instrument.withdrawn_at.is_(None))
        .group_by(Instrument.source)
    )
    return {source: count for source, count in session.execute(stmt).all()}
