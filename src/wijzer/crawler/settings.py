"""Scrapy settings for every Wijzer crawl: polite, bounded, and replayable."""

from __future__ import annotations

from typing import Any

USER_AGENT = "Wijzer/0.1 (+https://wijzer.example/bot)"

SETTINGS: dict[str, Any] = {
    "BOT_NAME": "wijzer",
    "USER_AGENT": USER_AGENT,
    "ROBOTSTXT_OBEY": True,
    "ROBOTSTXT_USER_AGENT": "Wijzer",
    # Politeness: few parallel requests per site, adaptive delay, retries on transient errors.
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
    "AUTOTHROTTLE_ENABLED": True,
    "AUTOTHROTTLE_START_DELAY": 1.0,
    "AUTOTHROTTLE_MAX_DELAY": 30.0,
    "AUTOTHROTTLE_TARGET_CONCURRENCY": 1.0,
    # Items of one response pass the pipelines one at a time. Scrapy's default (100) starts
    # 100 asyncio tasks per response whatever it yields; the pipelines never wait, so they
    # bought nothing. Local work only, no effect on what a site sees: 481 replayed pages with
    # 26 spiders ran at 48.5 pages/s with 100, 73.6 with 1 (bench/crawl.py 10, same run).
    "CONCURRENT_ITEMS": 1,
    # Scrapy's check for generator callbacks that return a value reads and parses the
    # callback's source on every response (its cache is keyed by a bound method made anew per
    # request): ~3 ms a response, 1.4 s of 481. tests/crawler/test_settings.py runs the same
    # check once over every spider's callbacks instead.
    "WARN_ON_GENERATOR_RETURN_VALUE": False,
    "RETRY_ENABLED": True,
    "RETRY_TIMES": 2,
    "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408, 429],
    "WIJZER_RETRY_BACKOFF": 1.0,  # seconds before the first retry, doubled each time
    "DOWNLOAD_TIMEOUT": 30,
    "DOWNLOAD_MAXSIZE": 5 * 1024 * 1024,
    "DOWNLOAD_WARNSIZE": 2 * 1024 * 1024,
    "REDIRECT_MAX_TIMES": 5,
    "COOKIES_ENABLED": False,
    "TELNETCONSOLE_ENABLED": False,
    "REMOTE_CONTROL_ENABLED": False,  # no listening ports in a crawl process
    "LOG_LEVEL": "WARNING",
    "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
    "DOWNLOADER_MIDDLEWARES": {
        # Before Scrapy's own offsite filter (50) and robots.txt (100): a host outside the
        # spider's domains is never contacted, not even for its robots.txt.
        "wijzer.crawler.middlewares.AllowedDomainsMiddleware": 40,
        "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
        "wijzer.crawler.middlewares.BackoffRetryMiddleware": 550,
        "wijzer.crawler.middlewares.FetchCountMiddleware": 990,
    },
    # The replay handler behaves as Scrapy's own unless WIJZER_REPLAY_URL is set.
    "DOWNLOAD_HANDLERS": {
        "http": "wijzer.crawler.middlewares.ReplayDownloadHandler",
        "https": "wijzer.crawler.middlewares.ReplayDownloadHandler",
    },
    "LOG_FORMATTER": "wijzer.crawler.logformat.QuietDrops",
    "ITEM_PIPELINES": {
        "wijzer.crawler.pipelines.NormalisePipeline": 100,
        "wijzer.crawler.pipelines.ValidatePipeline": 200,
        "wijzer.crawler.pipelines.DedupePipeline": 300,
        "wijzer.crawler.pipelines.StorePipeline": 400,
    },
}

# Offline replays come from loopback: no need to be slow to ourselves.
REPLAY_SETTINGS: dict[str, Any] = {
    "AUTOTHROTTLE_ENABLED": False,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
    "DOWNLOAD_DELAY": 0,
    "WIJZER_RETRY_BACKOFF": 0.1,
    "DOWNLOAD_TIMEOUT": 10,
}
