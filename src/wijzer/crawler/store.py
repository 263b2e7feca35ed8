"""Write one source's crawl into the catalog: upserts, safe withdrawal, and the run's stats."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from wijzer.catalog.crawl_runs import CrawlRun
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.policy import review_state_for_new
from wijzer.catalog.curation.resolution import resolve
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import Instrument
from wijzer.catalog.schema import InstrumentRecord


@dataclass
class RunStats:
    """The outcome of crawling one source, as the CLI, the jobs and crawl_runs see it."""

    source: str
    status: str
    mode: str = "online"
    fetched: int = 0
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    # Records merged into another source's record of the same instrument (entity resolution).
    merged: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    started_at: str | None = None
    finished_at: str | None = None
    changed_ids: list[str] = field(default_factory=list)
    # Seconds the spider ran (Scrapy's own clock; process start-up not included).
    elapsed_s: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStats:
        return cls(**data)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def store_run(
    catalog_url: str | Catalog,
    *,
    source: str,
    records: list[InstrumentRecord],
    status: str,
    mode: str,
    fetched: int,
    dropped: dict[str, int],
    errors: list[str],
    started_at: dt.datetime,
    now: dt.datetime | None = None,
    complete: bool = True,
) -> RunStats:
    """Upsert every record and record the run, in one transaction."""
    catalog = catalog_url if isinstance(catalog_url, Catalog) else Catalog(catalog_url)
    counts: Counter[str] = Counter()
    changed_ids: list[str] = []
    withdrawn: list[str] = []
    try:
        with catalog.session() as session:
            store = source_store(session)
            # One query loads the stored versions; upsert then finds them in the session.
            ids = [r.id for r in records]
            for start in range(0, len(ids), 500):
                session.scalars(
                    select(Instrument).where(Instrument.id.in_(ids[start : start + 500]))
                ).all()
            # New instruments from sources that need review wait in the staff queue.
            review_state = review_state_for_new(source, session)
            for record in records:
                outcome = store.upsert(
                    record, f"source:{source}", now=now, review_state=review_state
                )
                counts[outcome.kind] += 1
                if outcome.kind != "unchanged":
                    changed_ids.append(record.id)
            # Only a complete, clean crawl proves that a missing record is really gone.
            if status == "ok" and complete:
                withdrawn = store.withdraw_missing(
                    source, [r.id for r in records], f"source:{source}", now=now
                )
                changed_ids.extend(withdrawn)
            # One public record per instrument: what this crawl brought in is resolved
            # against every source in the catalog before anyone can see it twice.
            resolution = resolve(session, changed_ids, f"source:{source}", now=now)
            changed_ids.extend(sorted(resolution.changed - set(changed_ids)))
            finished = now or _utcnow()
            run = CrawlRun(
                source=source,
                started_at=now or started_at,
                finished_at=finished,
                status=status,
                mode=mode,
                fetched=fetched,
                new=counts["created"],
                changed=counts["updated"] + counts["restored"],
                unchanged=counts["unchanged"],
                withdrawn=len(withdrawn),
                dropped=dropped,
                errors=errors[:50],
            )
            session.add(run)
            session.flush()
            result = RunStats(
                source=source,
                status=status,
                mode=mode,
                fetched=fetched,
                new=run.new,
                changed=run.changed,
                unchanged=run.unchanged,
                withdrawn=run.withdrawn,
                merged=len(resolution.merged),
                dropped=dropped,
                errors=errors[:50],
                started_at=run.started_at.isoformat(),
                finished_at=finished.isoformat(),
                changed_ids=changed_ids,
            )
    finally:
        if not isinstance(catalog_url, Catalog):
            catalog.dispose()
    return result
