"""A clean offline crawl run of given records, stored the way every crawl is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wijzer.catalog.db import Catalog
from wijzer.catalog.schema import InstrumentRecord
from wijzer.crawler.store import RunStats, SourceCrawl, store_run

CRAWL_DAY = dt.datetime(2026, 11, 27)


def _clean(records: Sequence[InstrumentRecord]) -> dict[str, Any]:
    # Fresh containers per run: the store adds to a run's drops and errors.
    return {
        "records": list(records),
        "status": "ok",
        "mode": "offline",
        "fetched": len(records),
        "dropped": {},
        "errors": [],
    }


def offline_crawl(
    source: str,
    records: Sequence[InstrumentRecord],
    started_at: dt.datetime = CRAWL_DAY,
    **more: Any,
) -> SourceCrawl:
    """One source's clean offline crawl, as its spider hands it to the storage pass."""
    return SourceCrawl(source=source, started_at=started_at, **_clean(records), **more)


def store_offline(
    catalog: Catalog,
    source: str,
    records: Sequence[InstrumentRecord],
    started_at: dt.datetime = CRAWL_DAY,
    **more: Any,
) -> RunStats:
    """Store one source's clean offline crawl in its own transaction (crawler.store.store_run)."""
    return store_run(catalog, source=source, started_at=started_at, **_clean(records), **more)
