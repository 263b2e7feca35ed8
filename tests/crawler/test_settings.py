"""What a site sees of a crawl: politeness on the real web, speed only against the replay."""

from __future__ import annotations

from wijzer.crawler.settings import REPLAY_SETTINGS, SETTINGS


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

