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
        self.relevance = re.compile(config.relevance) if config.relevance else None

    def is_scheme_page(self, url: str) -> bool:
        return any(p.search(url) for p in self.patterns)

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.config.sitemap_urls:
            yield self.request(url, self.parse_sitemap, discovery=True, conditional=True)
        for url in self.config.listing_urls:
            yield self.request(url, self.parse_listing, discovery=True, conditional=True)

    def page_request(self, url: str, lastmod: str | None = None) -> scrapy.Request | None:
        """The request for a scheme page, once per crawl. An incremental crawl fetches only
        pages it never saw, or whose sitemap lastmod changed since it last fetched them; the
        nightly full crawl fetches every page."""
        key = page_native_id(url)
        if key in self.requested:
            return None
        self.requested.add(key)
        known = self.known(url)
        if (
            self.incremental
            and known is not None
            and (lastmod is None or lastmod == known.get("version"))
        ):
            self.skipped()
            return None
        return self.request(url, self.parse_scheme, cb_kwargs={"lastmod": lastmod})

    def parse_sitemap(self, response: Response) -> Iterator[Any]:
        if self.not_modified(response):
            return
        try:
            root = etree.fromstring(response.body, _PARSER)
        except etree.XMLSyntaxError as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop("malformed_xml", f"{response.url}: {exc.msg}")
            return
        self.remember(response.url, response)
        is_index = etree.QName(root).localname == "sitemapindex"
        for entry in root:
            if not isinstance(entry.tag, str):
                continue  # comments and processing instructions
            loc = entry.find(f"{_SITEMAP_NS}loc")
            if loc is None:
                loc = entry.find("loc")
            url = (loc.text or "").strip() if loc is not None else ""
            if not url:
                continue
            modified = entry.find(f"{_SITEMAP_NS}lastmod")
            lastmod = (modified.text or "").strip() or None if modified is not None else None
            if is_index:
                yield self.request(url, self.parse_sitemap, discovery=True, conditional=True)
            elif self.is_scheme_page(url):
                request = self.page_request(url, lastmod)
                if request is not None:
                    yield request

    def parse_listing(self, response: Response) -> Iterator[Any]:
        if self.not_modified(response):
            return
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop("not_html", response.url)
            return
        self.remember(response.url, response)
        for link in self.links.extract_links(response):
            request = self.page_request(link.url)
            if request is not None:
                yield request
        # Paginated listings announce the next page; follow it within the site.
        for href in response.css('a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)'):
            yield self.request(
                response.urljoin(href.get()), self.parse_listing, discovery=True, conditional=True
            )

    def parse_scheme(self, response: Response, lastmod: str | None = None) -> Iterator[Any]:
        content_type = (response.headers.get(b"Content-Type") or b"text/html").decode("latin-1")
        if "html" not in content_type:
            self.drop("not_html", f"{response.url}: {content_type}")
            return
        try:
            page = parse_page(response.body, response.url)
        except ParseError as exc:
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        if self.relevance and not self.relevance.search(f"{page.title}\n{page.text}"):
            self.drop("not_a_scheme", f"{response.url}: {page.title}")
            self.remember(response.url, response, version=lastmod)
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
        item = self.make_item(page_native_id(response.url), fields, response)
        self.remember(response.url, response, version=lastmod, item_id=item["id"])
        yield item
