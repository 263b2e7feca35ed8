"""The generic HTML spider: sitemaps and listing pages for discovery, metadata + main text."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor

from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.page import parse_page
from wijzer.crawler.sites import SITES_BY_NAME, SiteConfig
from wijzer.crawler.spiders.base import WijzerSpider

_SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)


def page_native_id(url: str) -> str:
    """host/path of a page, without www and trailing slash: stable across crawls."""
    parts = urlsplit(url)
    host = parts.netloc.lower().rstrip(".").removeprefix("www.")
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{path}{query}"


class SiteSpider(WijzerSpider):
    """One instance per configured site (crawler.sites); no per-site selectors."""

    name = "site"

    def __init__(self, site: str, *args: Any, **kwargs: Any):
        config: SiteConfig = SITES_BY_NAME[site]
        super().__init__(*args, name=config.name, **kwargs)
        self.config = config
        # Instance attributes shadow the declarative class ones: one class, many sites.
        self.source = config.name  # type: ignore[misc]
        self.funder = config.funder  # type: ignore[misc]
        self.level = config.level  # type: ignore[misc]
        self.regions = config.regions  # type: ignore[misc]
        self.default_type = config.instrument_type  # type: ignore[misc]
        self.allowed_domains = list(config.allowed_domains)
        self.patterns = [re.compile(p) for p in config.scheme_patterns]
        self.links = LinkExtractor(
            allow=config.scheme_patterns, allow_domains=config.allowed_domains, unique=True
        )
        self.requested: set[str] = set()

    def is_scheme_page(self, url: str) -> bool:
        return any(p.search(url) for p in self.patterns)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.config.sitemap_urls:
            yield self.request(url, self.parse_sitemap, discovery=True)
        for url in self.config.listing_urls:
            yield self.request(url, self.parse_listing, discovery=True)

    def page_request(self, url: str) -> scrapy.Request | None:
        key = page_native_id(url)
        if key in self.requested:
            return None
        self.requested.add(key)
        return self.request(url, self.parse_scheme)

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        try:
            root = etree.fromstring(response.body, _PARSER)
        except etree.XMLSyntaxError as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop("malformed_xml", f"{response.url}: {exc.msg}")
            return
        is_index = etree.QName(root).localname == "sitemapindex"
        for loc in root.iter(f"{_SITEMAP_NS}loc", "loc"):
            url = (loc.text or "").strip()
            if not url:
                continue
            if is_index:
                yield self.request(url, self.parse_sitemap, discovery=True)
            elif self.is_scheme_page(url):
                request = self.page_request(url)
                if request is not None:
                    yield request

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop("not_html", response.url)
            return
        for link in self.links.extract_links(response):
            request = self.page_request(link.url)
            if request is not None:
                yield request
        # Paginated listings announce the next page; follow it within the site.
        for href in response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)'):
            yield self.request(response.urljoin(href.get()), self.parse_listing, discovery=True)

    def parse_scheme(self, response: Response) -> Iterator[Any]:
        content_type = (response.headers.get(b"Content-Type") or b"text/html").decode("latin-1")
        if "html" not in content_type:
            self.drop("not_html", f"{response.url}: {content_type}")
            return
        try:
            page = parse_page(response.body, response.url)
        except ParseError as exc:
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        lang = (page.language or "")[:2].lower()
        fields: dict[str, Any] = {
            "title": page.title,
            "summary": page.description,
            "description": page.text,
            "language": lang if lang in ("nl", "en") else None,
            "url": response.url,
            "_text": page.text,
        }
        if page.publisher and not self.funder:
            fields["funder"] = page.publisher
        yield self.make_item(page_native_id(response.url), fields, response)
