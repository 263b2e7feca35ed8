"""The spider base: declarative source attributes, error and drop accounting, item provenance."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any, ClassVar

import scrapy
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectionRefusedError, DNSLookupError, TCPTimedOutError
from twisted.internet.error import TimeoutError as TwistedTimeoutError
from twisted.python.failure import Failure

MAX_ERRORS = 50
# The drop reason of a request to a host outside the spider's allowed domains.
OFFSITE = "offsite"


def native_id(value: str) -> str:
    """A source's own identifier squeezed into the catalog's id alphabet."""
    cleaned = re.sub(r"[^A-Za-z0-9._:/-]+", "-", value).strip("-/.")
    return cleaned[:180]


def classify_failure(failure: Failure) -> str:
    """A short, countable reason for a failed request."""
    exc = failure.value
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if (
        isinstance(exc, TwistedTimeoutError | TCPTimedOutError)
        or "timeout" in type(exc).__name__.lower()
    ):
        return "timeout"
    if isinstance(exc, DNSLookupError | ConnectionRefusedError):
        return "unreachable"
    message = str(exc)
    if isinstance(exc, IgnoreRequest) and message.startswith(OFFSITE):
        return OFFSITE
    if "max redirections" in message:
        return "redirect_loop"
    if "robots.txt" in message:
        return "robots_forbidden"
    if "max size" in message:
        return "too_large"
    return type(exc).__name__


class WijzerSpider(scrapy.Spider):
    """Base of every Wijzer spider; subclasses declare their source through class attributes."""

    # Declarative description of the source (kingfisher-collect style).
    source: ClassVar[str] = ""
    funder: ClassVar[str] = ""
    level: ClassVar[str] = "national"
    regions: ClassVar[tuple[str, ...]] = ()
    default_type: ClassVar[str | None] = None
    description: ClassVar[str] = ""
    # True when one crawl sees everything the source lists (withdrawal is then safe).
    complete_listing: ClassVar[bool] = True
    # The only hosts (and their subdomains) a crawl of the source may contact; requests
    # elsewhere are dropped as "offsite" (crawler.middlewares.AllowedDomainsMiddleware).
    allowed_domains: list[str] = []

    def __init__(
        self,
        *args: Any,
        now: str | None = None,
        incremental: bool = False,
        pages: dict[str, dict[str, Any]] | None = None,
        since: str | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.now = dt.datetime.fromisoformat(now) if now else None
        self.errors: list[str] = []
        # Incremental: ask only for what changed since the last successful crawl (`since`),
        # using what earlier crawls stored about each page (`pages`, by URL).
        self.incremental = incremental
        self.pages: dict[str, dict[str, Any]] = pages or {}
        self.since = dt.datetime.fromisoformat(since) if since else None
        # What this crawl learnt about pages (validators, versions), stored at the end.
        self.seen_pages: dict[str, dict[str, Any]] = {}
        # Records built from a partial view (a detail page failed): stored only when new,
        # so a failing detail page never overwrites what an earlier crawl stored.
        self.provisional_ids: set[str] = set()
        # Set by the store pipeline when the spider closes (the crawl to store, and how long
        # the spider ran); read by crawler.runner.
        self.wijzer_crawl: Any = None
        self.wijzer_elapsed_s = 0.0

    # --- accounting --------------------------------------------------------------------
    def drop(self, reason: str, detail: str = "") -> None:
        """Count a dropped page or item under its reason; keep the detail as an error line."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"wijzer/dropped/{reason}")
        if detail and len(self.errors) < MAX_ERRORS:
            self.errors.append(f"{reason}: {detail}")

    def on_error(self, failure: Failure) -> None:
        request = getattr(failure, "request", None)
        url = request.meta.get("wijzer_original_url", request.url) if request else "?"
        reason = classify_failure(failure)
        if request is not None and request.meta.get("wijzer_discovery"):
            assert self.crawler.stats is not None
            self.crawler.stats.inc_value("wijzer/discovery_errors")
        self.drop(reason, url)

    def request(
        self, url: str, callback: Callable[..., Any], *, discovery: bool = False, **kwargs: Any
    ) -> scrapy.Request:
        """A request whose failure is counted; discovery pages (listings, APIs) mark the crawl
        incomplete when they fail. conditional=True sends the stored validators in an
        incremental crawl; the callback then sees a 304 (check `self.not_modified`)."""
        meta = dict(kwargs.pop("meta", {}) or {})
        meta["wijzer_discovery"] = discovery
        if kwargs.pop("conditional", False):
            headers = {**self.conditional_headers(url), **(kwargs.pop("headers", None) or {})}
            if headers:
                kwargs["headers"] = headers
            meta["handle_httpstatus_list"] = [304]
        kwargs.setdefault("errback", self.on_error)
        return scrapy.Request(url, callback=callback, meta=meta, **kwargs)

    # --- incremental state ---------------------------------------------------------------
    def known(self, url: str) -> dict[str, Any] | None:
        """What an earlier crawl stored about this URL, or None for a page never seen."""
        return self.pages.get(url)

    def remember(
        self,
        url: str,
        response: Response | None = None,
        *,
        version: str | None = None,
        item_id: str | None = None,
    ) -> None:
        """Record a fetched (or confirmed unchanged) page with its validators and version."""
        state = self.seen_pages.setdefault(url, {"url": url})
        if response is not None:
            for header, key in ((b"ETag", "etag"), (b"Last-Modified", "last_modified")):
                value = response.headers.get(header)
                if value:
                    state[key] = value.decode("latin-1")[:300]
        if version is not None:
            state["version"] = version[:100]
        if item_id is not None:
            state["item_id"] = item_id
        state["fetched_at"] = self.fetched_now().isoformat()

    def conditional_headers(self, url: str) -> dict[str, str]:
        """If-None-Match / If-Modified-Since from the stored validators (incremental only)."""
        page = self.known(url) if self.incremental else None
        headers = {}
        if page and page.get("etag"):
            headers["If-None-Match"] = page["etag"]
        if page and page.get("last_modified"):
            headers["If-Modified-Since"] = page["last_modified"]
        return headers

    def not_modified(self, response: Response) -> bool:
        """True (and counted) when a conditional request was answered 304 Not Modified."""
        if response.status != 304:
            return False
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("wijzer/not_modified")
        self.remember(response.url, response)
        return True

    def skipped(self, count: int = 1) -> None:
        """Count pages an incremental crawl did not fetch because they did not change."""
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value("wijzer/skipped", count)

    # --- items -------------------------------------------------------------------------
    def fetched_now(self) -> dt.datetime:
        return self.now or dt.datetime.now(dt.UTC).replace(tzinfo=None)

    def make_item(self, native: str, fields: dict[str, Any], response: Response) -> dict[str, Any]:
        """An item with the source's defaults, the deterministic id and provenance."""
        item: dict[str, Any] = {
            "funder": self.funder,
            "level": self.level,
            "regions": list(self.regions),
        }
        item.update({k: v for k, v in fields.items() if v is not None or k not in item})
        item["id"] = f"{self.source}:{native_id(native)}"
        item["source"] = self.source
        item.setdefault("source_id", native)
        item["source_url"] = response.url
        item["fetched_at"] = self.fetched_now()
        if self.default_type and not item.get("instrument_type"):
            item["instrument_type"] = self.default_type
        return item
