"""Write one source's crawl into the catalog: upserts, safe withdrawal, and the run's stats."""

from __future__ import annotations

import contextlib
import datetime as dt
import traceback
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from wijzer.catalog.crawl_pages import PageState, page_states, record_pages
from wijzer.catalog.crawl_runs import CrawlRun
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.policy import review_state_for_new
from wijzer.catalog.curation.resolution import resolve
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import Instrument
from wijzer.catalog.registers import RegisterEntryRecord, schemes_in_catalog, upsert_entries
from wijzer.catalog.schema import InstrumentRecord
from wijzer.crawler.results import attach_results


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
    # Seconds the spider ran (Scrapy's own clock; process start-up and storing not included).
    elapsed_s: float = 0.0
    # Seconds of the storage pass that stored this crawl (shared by the sources stored in it).
    store_s: float = 0.0
    # CPU seconds of the crawl process while the spiders ran, and during the storage pass
    # (shared by every source of the crawl): a load-independent cost per page for the bench.
    spiders_cpu_s: float = 0.0
    store_cpu_s: float = 0.0
    # full | incremental
    kind: str = "full"
    # skipped / not_modified pages, register rows stored, results attached, ...
    details: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunStats:
        return cls(**data)


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class Batch:
    """Everything one crawl of one source hands to the store besides its counts."""

    records: list[InstrumentRecord] = field(default_factory=list)
    #: Records built from a partial view: created when new, never overwriting a stored one.
    provisional: set[str] = field(default_factory=set)
    register_entries: list[RegisterEntryRecord] = field(default_factory=list)
    pages: list[PageState] = field(default_factory=list)


def crawl_state(
    catalog_url: str, sources: Iterable[str]
) -> dict[str, tuple[dict[str, dict[str, Any]], str | None]]:
    """Per source: the pages earlier crawls recorded (by URL) and when its last good crawl
    started (what an incremental crawl asks the source for changes since)."""
    catalog = Catalog(catalog_url)
    out: dict[str, tuple[dict[str, dict[str, Any]], str | None]] = {}
    try:
        with catalog.session() as session:
            for source in sources:
                pages = {url: s.as_dict() for url, s in page_states(session, source).items()}
                since = session.scalar(
                    select(func.max(CrawlRun.started_at)).where(
                        CrawlRun.source == source, CrawlRun.status.in_(("ok", "partial"))
                    )
                )
                out[source] = (pages, since.isoformat() if since else None)
    finally:
        catalog.dispose()
    return out


@dataclass
class SourceCrawl:
    """One source's crawl as its spider leaves it: what to store and how the crawl went."""

    source: str
    records: list[InstrumentRecord]
    status: str
    mode: str
    fetched: int
    dropped: dict[str, int]
    errors: list[str]
    started_at: dt.datetime
    now: dt.datetime | None = None
    complete: bool = True
    batch: Batch = field(default_factory=Batch)
    kind: str = "full"
    details: dict[str, Any] = field(default_factory=dict)


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
    batch: Batch | None = None,
    kind: str = "full",
    details: dict[str, Any] | None = None,
) -> RunStats:
    """Upsert every record (and register row, and page state) and record the run, in one
    transaction. Only a complete, clean, full crawl withdraws what the source no longer lists.
    An error rolls the transaction back and is raised."""
    crawl = SourceCrawl(
        source=source,
        records=records,
        status=status,
        mode=mode,
        fetched=fetched,
        dropped=dropped,
        errors=errors,
        started_at=started_at,
        now=now,
        complete=complete,
        batch=batch or Batch(),
        kind=kind,
        details=dict(details or {}),
    )
    catalog = catalog_url if isinstance(catalog_url, Catalog) else Catalog(catalog_url)
    try:
        with catalog.session() as session:
            return _store_together(session, [crawl])[0]
    finally:
        if not isinstance(catalog_url, Catalog):
            catalog.dispose()


def store_runs(catalog_url: str, crawls: list[SourceCrawl]) -> list[RunStats]:
    """Store the crawls of several sources in one transaction with one entity resolution:
    each source's own store work is as in store_run, but the live catalog is read and
    fingerprinted once, not once per source (26 sources: 26 resolutions before).

    A source that fails still fails alone: when anything in the shared pass raises, it is
    rolled back and each source is stored in a transaction of its own; a source whose store
    raises then is reported failed with the error (and a failed run for its health), and the
    others are stored.
    """
    catalog = Catalog(catalog_url)
    try:
        try:
            with catalog.session() as session:
                return _store_together(session, crawls)
        except Exception:  # any error: redo source by source, below
            if len(crawls) == 1:
                return [_store_failed(catalog, crawls[0])]
        results = []
        for crawl in crawls:
            try:
                with catalog.session() as session:
                    results.extend(_store_together(session, [crawl]))
            except Exception:  # reported as the source's failure
                results.append(_store_failed(catalog, crawl))
        return results
    finally:
        catalog.dispose()


def _store_failed(catalog: Catalog, crawl: SourceCrawl) -> RunStats:
    """A source whose records could not be stored: nothing of it is kept, the run says why."""
    error = f"store failed: {traceback.format_exc(limit=1).strip().splitlines()[-1]}"
    errors = [error, *crawl.errors][:50]
    finished = crawl.now or _utcnow()
    started = crawl.now or crawl.started_at
    with contextlib.suppress(Exception), catalog.session() as session:
        session.add(
            CrawlRun(
                source=crawl.source,
                started_at=started,
                finished_at=finished,
                status="failed",
                mode=crawl.mode,
                fetched=crawl.fetched,
                new=0,
                changed=0,
                unchanged=0,
                withdrawn=0,
                dropped=crawl.dropped,
                errors=errors,
                kind=crawl.kind,
                details=crawl.details,
            )
        )
    return RunStats(
        source=crawl.source,
        status="failed",
        mode=crawl.mode,
        fetched=crawl.fetched,
        dropped=crawl.dropped,
        errors=errors,
        started_at=started.isoformat(),
        finished_at=finished.isoformat(),
        kind=crawl.kind,
        details=crawl.details,
    )


@dataclass
class _Written:
    """What storing one source's records did, before entity resolution."""

    details: dict[str, Any]
    counts: Counter[str] = field(default_factory=Counter)
    changed_ids: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)


def _store_together(session: Session, crawls: list[SourceCrawl]) -> list[RunStats]:
    """Every source's records, then one resolution over all that changed, then the runs."""
    written = [_write(session, crawl) for crawl in crawls]
    # One public record per instrument: what the crawls brought in is resolved against every
    # source in the catalog before anyone can see it twice; each merge is recorded under the
    # source whose record led to it.
    causes = {
        instrument_id: f"source:{crawl.source}"
        for crawl, done in zip(crawls, written, strict=True)
        for instrument_id in done.changed_ids
    }
    now = next((c.now for c in crawls if c.now is not None), None)
    resolution = resolve(
        session,
        [i for done in written for i in done.changed_ids],
        f"source:{crawls[0].source}",
        now=now,
        causes=causes,
    )
    results = []
    for crawl, done in zip(crawls, written, strict=True):
        cause = f"source:{crawl.source}"
        changed_ids = done.changed_ids
        changed_ids.extend(sorted(resolution.changed_by.get(cause, set()) - set(changed_ids)))
        finished = crawl.now or _utcnow()
        run = CrawlRun(
            source=crawl.source,
            started_at=crawl.now or crawl.started_at,
            finished_at=finished,
            status=crawl.status,
            mode=crawl.mode,
            fetched=crawl.fetched,
            new=done.counts["created"],
            changed=done.counts["updated"] + done.counts["restored"],
            unchanged=done.counts["unchanged"],
            withdrawn=len(done.withdrawn),
            dropped=crawl.dropped,
            errors=crawl.errors[:50],
            kind=crawl.kind,
            details=done.details,
        )
        session.add(run)
        results.append(
            RunStats(
                source=crawl.source,
                status=crawl.status,
                mode=crawl.mode,
                fetched=crawl.fetched,
                new=run.new,
                changed=run.changed,
                unchanged=run.unchanged,
                withdrawn=run.withdrawn,
                merged=resolution.merges_by[cause],
                dropped=crawl.dropped,
                errors=crawl.errors[:50],
                started_at=run.started_at.isoformat(),
                finished_at=finished.isoformat(),
                changed_ids=changed_ids,
                kind=crawl.kind,
                details=done.details,
            )
        )
    session.flush()
    return results


def _write(session: Session, crawl: SourceCrawl) -> _Written:
    """Upsert one source's records, register rows and page states; withdraw what a complete,
    clean, full crawl no longer lists."""
    source, batch, now = crawl.source, crawl.batch, crawl.now
    # A copy: a pass that is rolled back and redone starts from the spider's details again.
    details = dict(crawl.details)
    done = _Written(details)
    store = source_store(session)
    records = attach_results(session, crawl.records, details)
    records = _without_listed_schemes(session, source, records, details)
    # One query loads the stored versions; upsert then finds them in the session.
    ids = [r.id for r in records]
    for start in range(0, len(ids), 500):
        session.scalars(select(Instrument).where(Instrument.id.in_(ids[start : start + 500]))).all()
    # New instruments from sources that need review wait in the staff queue.
    review_state = review_state_for_new(source, session)
    # Nothing this loop reads was written by it (each record once, stored versions
    # loaded above), so flushing before every lookup is wasted work: with autoflush
    # on, storing 650 records took 10 s of the crawl, with it off under 2 s.
    with session.no_autoflush:
        for record in records:
            if record.id in batch.provisional and store.get(record.id) is not None:
                done.counts["unchanged"] += 1
                continue
            outcome = store.upsert(record, f"source:{source}", now=now, review_state=review_state)
            done.counts[outcome.kind] += 1
            if outcome.kind != "unchanged":
                done.changed_ids.append(record.id)
        if batch.register_entries:
            rows = upsert_entries(session, batch.register_entries, now=now)
            details["register"] = {k: rows[k] for k in ("created", "updated", "unchanged")}
        if batch.pages:
            record_pages(session, source, batch.pages, now=now)
    # Only a complete, clean crawl proves that a missing record is really gone.
    if crawl.status == "ok" and crawl.complete and crawl.kind == "full":
        done.withdrawn = store.withdraw_missing(
            source, [r.id for r in records], f"source:{source}", now=now
        )
        done.changed_ids.extend(done.withdrawn)
    return done


def _without_listed_schemes(
    session: Any, source: str, records: list[InstrumentRecord], details: dict[str, Any]
) -> list[InstrumentRecord]:
    """A register's candidate listings, minus schemes the catalog already has from another
    source (those are linked to the register instead of listed twice)."""
    kept = []
    known: dict[str, set[str]] = {}
    linked = 0
    for record in records:
        scheme = record.extra.get("register_scheme")
        municipality = record.municipality
        if not scheme or not municipality:
            kept.append(record)
            continue
        if municipality not in known:
            known[municipality] = schemes_in_catalog(session, municipality, source)
        if scheme in known[municipality] and not session.get(Instrument, record.id):
            linked += 1
            continue
        kept.append(record)
    if linked:
        details["linked_to_catalog"] = linked
    return kept
