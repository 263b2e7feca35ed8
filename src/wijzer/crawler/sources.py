"""The registry of crawl sources: name -> spider class and its arguments."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from wijzer.crawler.sites import SITES
from wijzer.crawler.spiders.base import WijzerSpider
from wijzer.crawler.spiders.sedia import SediaSpider
from wijzer.crawler.spiders.site import SiteSpider
from wijzer.crawler.spiders.ted import TedSpider
from wijzer.crawler.spiders.tenderned import TenderNedSpider


@dataclass(frozen=True)
class Source:
    name: str
    spider: type[WijzerSpider]
    kind: str
    description: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    #: Scheduled crawls ("all sources") take only enabled sources; named ones always run.
    enabled: bool = True


SOURCES: dict[str, Source] = {
    "sedia": Source("sedia", SediaSpider, "eu", SediaSpider.description),
    "ted": Source("ted", TedSpider, "eu", TedSpider.description),
    "tenderned": Source("tenderned", TenderNedSpider, "national", TenderNedSpider.description),
    **{
        site.name: Source(
            site.name, SiteSpider, site.kind, f"{site.funder} (website)", {"site": site.name}
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
