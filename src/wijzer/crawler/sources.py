"""The registry of crawl sources: name -> spider, its arguments and how often it is refreshed.

Plain data without importing Scrapy, so the job registry (and beat) can list the sources and
their schedules cheaply; `Source.spider_class()` imports the spider when a crawl runs.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wijzer.crawler.sites import SITES

if TYPE_CHECKING:
    from wijzer.crawler.spiders.base import WijzerSpider

#: Minutes between incremental crawls: a new item is stored within this time, and indexed
#: right after (the nightly full crawl still refetches everything).
REFRESH_MINUTES = 30


@dataclass(frozen=True)
class Source:
    name: str
    #: "module:Class" of the spider; imported only when a crawl runs.
    spider: str
    kind: str
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    #: Scheduled crawls ("all sources") take only enabled sources; named ones always run.
    enabled: bool = True
    #: How an incremental crawl finds what changed (shown by `wijzer crawl --list`).
    incremental: str = "sitemap lastmod, conditional requests, new links only"
    refresh_minutes: int = REFRESH_MINUTES

    def spider_class(self) -> type[WijzerSpider]:
        module, _, name = self.spider.partition(":")
        cls: type[WijzerSpider] = getattr(importlib.import_module(module), name)
        return cls


_SPIDERS = "wijzer.crawler.spiders"

SOURCES: dict[str, Source] = {
    "sedia": Source(
        "sedia",
        f"{_SPIDERS}.sedia:SediaSpider",
        "eu",
        "EU Funding & Tenders portal (SEDIA search API and topic details)",
        incremental="topic details fetched again only when the search hit's checksum changed",
    ),
    "ted": Source(
        "ted",
        f"{_SPIDERS}.ted:TedSpider",
        "eu",
        "TED (EU public procurement): search API v3 and notice XML",
        incremental="newest notices first, until a page holds only known notices",
    ),
    "tenderned": Source(
        "tenderned",
        f"{_SPIDERS}.tenderned:TenderNedSpider",
        "national",
        "TenderNed public notices (publicaties API)",
        incremental="newest notices first, until a page holds only known notices",
    ),
    "cvdr": Source(
        "cvdr",
        f"{_SPIDERS}.regulations:CvdrSpider",
        "regional",
        "Local and provincial subsidy regulations (CVDR, lokaleregelgeving.overheid.nl)",
        incremental="SRU sorted by dcterms.modified; XML fetched again only when modified",
    ),
    "officielebekendmakingen": Source(
        "officielebekendmakingen",
        f"{_SPIDERS}.regulations:OfficialPublicationsSpider",
        "regional",
        "Subsidy regulations in municipal, provincial and water-board gazettes "
        "(officielebekendmakingen.nl)",
        incremental="SRU sorted by dt.modified; XML fetched again only when modified",
    ),
    "subsidieregister-amsterdam": Source(
        "subsidieregister-amsterdam",
        f"{_SPIDERS}.registers:AmsterdamRegisterSpider",
        "register",
        "Gemeente Amsterdam subsidy register (grants per scheme; evidence and candidates)",
        incremental="conditional request (ETag / Last-Modified) for the register file",
    ),
    **{
        site.name: Source(
            site.name,
            f"{_SPIDERS}.site:SiteSpider",
            site.kind,
            f"{site.funder} (website)",
            {"site": site.name},
        )
        for site in SITES
    },
}


class UnknownSource(ValueError):
    def __init__(self, name: str):
        super().__init__(f"unknown source {name!r}; known: {', '.join(SOURCES)}")
        self.name = name


def resolve(names: list[str]) -> list[Source]:
    """Sources by name in registry order; UnknownSource names the first bad one."""
    for name in names:
        if name not in SOURCES:
            raise UnknownSource(name)
    return [SOURCES[name] for name in SOURCES if name in names]


def enabled() -> list[str]:
    """The sources a crawl of "all" sources runs, in registry order."""
    return [name for name, source in SOURCES.items() if source.enabled]
