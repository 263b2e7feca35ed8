"""What a site sees of a crawl: politeness on the real web, speed only against the replay."""

from __future__ import annotations

import inspect

from scrapy.utils.misc import is_generator_with_return_value

from wijzer.crawler.settings import REPLAY_SETTINGS, SETTINGS
from wijzer.crawler.sources import SOURCES


def test_a_real_site_gets_robots_txt_obeyed_few_requests_and_adaptive_delays() -> None:
    assert SETTINGS["ROBOTSTXT_OBEY"] is True
    assert SETTINGS["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2
    assert SETTINGS["AUTOTHROTTLE_ENABLED"] is True
    assert SETTINGS["AUTOTHROTTLE_START_DELAY"] >= 1.0
    assert SETTINGS.get("DOWNLOAD_DELAY", 0) == 0 or SETTINGS["DOWNLOAD_DELAY"] >= 1.0


def test_only_the_replay_is_fetched_without_delays_and_robots_txt_stays_obeyed() -> None:
    # The replay overrides delays and per-domain limits, never robots.txt or the user agent.
    assert set(REPLAY_SETTINGS) == {
        "AUTOTHROTTLE_ENABLED",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "DOWNLOAD_DELAY",
        "WIJZER_RETRY_BACKOFF",
        "DOWNLOAD_TIMEOUT",
    }
    assert {**SETTINGS, **REPLAY_SETTINGS}["ROBOTSTXT_OBEY"] is True


def test_no_spider_callback_is_a_generator_that_returns_a_value() -> None:
    # What Scrapy checked on every response (turned off there for its cost): a generator
    # callback's `return value` would silently drop that value. Every generator method of
    # every spider is checked, callbacks or not.
    generators = {
        f"{klass.__name__}.{name}": function
        for source in SOURCES.values()
        for klass in source.spider_class().__mro__
        if klass.__module__.startswith("wijzer.")
        for name, function in vars(klass).items()
        if inspect.isgeneratorfunction(function)
    }
    assert {"parse_scheme", "parse_sitemap", "parse_listing"} <= {
        name.rsplit(".", 1)[1] for name in generators
    }
    assert [name for name, f in generators.items() if is_generator_with_return_value(f)] == []
