"""The crawl use case: named sources or all enabled ones into the catalog, then the index.

One failing source never stops the others: each is reported on its own (status, counts,
errors), and what the others brought in is stored and indexed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from wijzer.app.indexing import update_index
from wijzer.app.services import Services

if TYPE_CHECKING:
    from wijzer.crawler.store import RunStats

ALL: Literal["all"] = "all"


class NoSources(ValueError):
    """A crawl was asked for without naming any source."""


@dataclass
class CrawlReport:
    """Per source what its crawl did, the instruments that changed and what indexing did."""

    runs: list[RunStats]  # one per source
    changed: list[str] = field(default_factory=list)
    index: str | None = None

    @property
    def failed(self) -> list[str]:
        return [run.source for run in self.runs if run.status == "failed"]

    @property
    def all_failed(self) -> bool:
        return bool(self.runs) and len(self.failed) == len(self.runs)

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready row per source (without the long list of changed ids)."""
        rows = []
        for run in self.runs:
            row = run.as_dict()
            row.pop("changed_ids", None)
            rows.append(row)
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "sources": self.rows(),
            "failed": self.failed,
            "changed": len(self.changed),
            "index": self.index,
        }


def source_names(sources: Sequence[str] | Literal["all"]) -> list[str]:
    """The sources to crawl: every enabled one for ALL; UnknownSource names a bad name."""
    from wijzer.crawler.sources import enabled, resolve

    if sources == ALL:
        return enabled()
    if not sources:
        raise NoSources("name one or more sources, or use --all (see wijzer crawl --list)")
    return [s.name for s in resolve(list(sources))]


def crawl(
    services: Services,
    sources: Sequence[str] | Literal["all"],
    *,
    offline: bool = False,
    index: bool = True,
    now: dt.datetime | None = None,
    warn: Callable[[str], None] | None = None,
    incremental: bool = False,
) -> CrawlReport:
    """Crawl the sources into the catalog, then bring the search index up to date.

    offline replays the recordings shipped with the crawler over a local server; otherwise
    WIJZER_CRAWL_REPLAY_URL, when set, names a replay server to use in place of the web.
    incremental asks each source only for what changed since its last good crawl (and never
    withdraws). Raises UnknownSource / NoSources (bad input) or CrawlError (the crawl process
    failed).
    """
    from wijzer.crawler.crawling import run_crawl

    names = source_names(sources)
    replay_url = None if offline else services.settings.crawl_replay_url
    runs = run_crawl(
        services.catalog,
        names,
        offline=offline,
        replay_url=replay_url,
        now=now,
        incremental=incremental,
    )
    return _finish(services, runs, index, warn)


def import_ted_bulk(
    services: Services,
    path: Path,
    *,
    index: bool = True,
    warn: Callable[[str], None] | None = None,
) -> CrawlReport:
    """A TED bulk package (directory or tarball of notices) into the catalog and the index."""
    from wijzer.crawler.crawling import import_bulk

    return _finish(services, [import_bulk(services.catalog, path)], index, warn)


def _finish(
    services: Services, runs: list[RunStats], index: bool, warn: Callable[[str], None] | None
) -> CrawlReport:
    report = CrawlReport(runs, sorted({i for run in runs for i in run.changed_ids}))
    if index:
        report.index = update_index(services, report.changed, warn)
    return report


def list_sources(services: Services) -> list[dict[str, Any]]:
    """Every source with its kind, last run and how many listed instruments it has."""
    from wijzer.crawler.crawling import list_sources as rows

    return rows(services.catalog)
