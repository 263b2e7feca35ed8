"""Downloading: allowed domains only, replay through the local server, fetch counting, and
retries with backoff."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from scrapy import Request, Spider, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet import reactor, task

from wijzer.crawler.replay import replay_path
from wijzer.crawler.spiders.base import OFFSITE


class ReplayDownloadHandler(HTTP11DownloadHandler):
    """With WIJZER_REPLAY_URL set, fetch every URL from the replay server instead of its host.

    Sitting below all middlewares, robots.txt, offsite filtering, redirects and provenance
    see the original URLs exactly as in a live crawl; only the socket goes to 127.0.0.1.
    """

    def __init__(self, crawler: Any):
        super().__init__(crawler)
        replay_url = crawler.settings.get("WIJZER_REPLAY_URL")
        self.replay_url = replay_url.rstrip("/") if replay_url else None

    async def download_request(self, request: Request) -> Response:
        if not self.replay_url:
            return await super().download_request(request)
        target = request.replace(url=self.replay_url + replay_path(request.url))
        response = await super().download_request(target)
        return response.replace(url=request.url)


def host_allowed(host: str, allowed: tuple[str, ...] | list[str]) -> bool:
    """Whether a host is one of the allowed domains or below one (api.ted.europa.eu under
    ted.europa.eu); an IP address or any other host is not."""
    host = host.lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in (a.lower() for a in allowed))


class AllowedDomainsMiddleware:
    """Every request stays on its spider's `allowed_domains`, whatever produced it: a link in
    an API response, a sitemap entry, a redirect (redirected requests pass here again).

    Scrapy's own offsite filter lets through requests marked dont_filter and every request of
    a spider without allowed_domains; this one lets nothing through, so a source that points
    at 169.254.169.254 or another site cannot make the crawler fetch it. It sits before the
    robots.txt middleware, so not even the other host's robots.txt is asked for.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> AllowedDomainsMiddleware:
        middleware = cls(crawler)
        # Requests are checked when scheduled (counted as an "offsite" drop there) and again
        # when downloaded (requests that never pass the scheduler, e.g. robots.txt).
        crawler.signals.connect(middleware.request_scheduled, signal=signals.request_scheduled)
        return middleware

    def _refuse(self, request: Request, spider: Any) -> IgnoreRequest | None:
        allowed = tuple(getattr(spider, "allowed_domains", None) or ())
        host = urlsplit(request.url).hostname or ""
        if allowed and host_allowed(host, allowed):
            return None
        return IgnoreRequest(f"{OFFSITE}: {request.url} is not on {', '.join(allowed)}")

    def request_scheduled(self, request: Request, spider: Any = None) -> None:
        spider = spider or self.crawler.spider
        refused = self._refuse(request, spider)
        if refused is not None:
            spider.drop(OFFSITE, request.url)
            raise refused

    def process_request(self, request: Request, spider: Spider | None = None) -> None:
        refused = self._refuse(request, spider or self.crawler.spider)
        if refused is not None:
            raise refused


class FetchCountMiddleware:
    """Counts the pages a crawl fetched (robots.txt excluded) for the run statistics."""

    def __init__(self, stats: Any):
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Any) -> FetchCountMiddleware:
        return cls(crawler.stats)

    def process_response(
        self, request: Request, response: Response, spider: Spider | None = None
    ) -> Response:
        if not request.url.endswith("/robots.txt"):
            self.stats.inc_value("wijzer/fetched")
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retries on 5xx and timeouts, waiting longer before each new attempt."""

    def __init__(self, settings: Any):
        super().__init__(settings)
        self.backoff = settings.getfloat("WIJZER_RETRY_BACKOFF", 1.0)

    def _retry(self, request: Request, reason: Any, *args: Any) -> Request | None:
        retry = super()._retry(request, reason, *args)
        if retry is not None:
            attempt = retry.meta.get("retry_times", 1)
            # Read by process_request: the retried request waits before it is sent.
            retry.meta["wijzer_wait"] = self.backoff * (2 ** (attempt - 1))
        return retry

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        wait = request.meta.pop("wijzer_wait", 0)
        if wait:
            # Works under both the asyncio and the plain Twisted reactor.
            await maybe_deferred_to_future(task.deferLater(reactor, wait, lambda: None))
