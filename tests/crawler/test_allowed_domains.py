"""Every spider stays on its allowed domains, over real HTTP against the replay server: a
source pointing at the cloud metadata address or another site makes nobody fetch it."""

from __future__ import annotations

import json

import pytest

from tests.conftest import upgraded_catalog
from tests.crawler.conftest import FAST, NOW, Recordings
from wijzer.crawler.crawling import run_crawl
from wijzer.crawler.middlewares import host_allowed
from wijzer.crawler.replay import ReplayServer
from wijzer.crawler.sources import SOURCES

SEARCH = "https://api.ted.europa.eu/v3/notices/search"
METADATA = "http://169.254.169.254/latest/meta-data/iam/security-credentials/"
EVIL = "https://evil.example/notice/365590-2020/xml"
REDIRECTED = "https://ted.europa.eu/en/notice/67028-2021/xml"


def test_ted_does_not_follow_an_api_response_to_other_hosts(
    recordings: Recordings, tmp_path
) -> None:
    """The search API answers with notice links to the metadata address and to evil.example;
    the first notice's own XML also redirects off-site. None of them is fetched."""
    body_path = recordings.body_path("ted", SEARCH)
    data = json.loads(body_path.read_text(encoding="utf-8"))
    data["notices"][0]["links"]["xml"] = {"MUL": METADATA}
    data["notices"][1]["links"]["xml"] = {"MUL": EVIL}
    data["notices"].append({"publication-number": "1-2099", "links": {"xml": {"MUL": REDIRECTED}}})
    data["totalNoticeCount"] = 3
    body_path.write_text(json.dumps(data), encoding="utf-8")
    # Recorded, so that a fetch would succeed and show in the server's log.
    for url in (
        METADATA,
        EVIL,
        "http://169.254.169.254/robots.txt",
        "https://evil.example/robots.txt",
    ):
        recordings.add("ted", url, b"<secret/>", headers={"Content-Type": "application/xml"})
    recordings.update("ted", REDIRECTED, status=302, headers={"Location": "https://evil.example/x"})
    recordings.add("ted", "https://evil.example/x", b"<secret/>")

    catalog = upgraded_catalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    try:
        with ReplayServer(recordings.root) as server:
            (run,) = run_crawl(catalog, ["ted"], replay_url=server.url, settings=FAST, now=NOW)
            fetched = [url for _method, url in server.requests]
    finally:
        catalog.dispose()
    assert not [u for u in fetched if "169.254.169.254" in u or "evil.example" in u], fetched
    assert SEARCH in fetched and REDIRECTED in fetched  # the crawl itself ran
    assert run.dropped.get("offsite") == 3, run.dropped


@pytest.mark.parametrize("name", list(SOURCES))
def test_every_source_declares_the_domains_it_may_contact(name: str) -> None:
    source = SOURCES[name]
    spider = source.spider_class()(**source.kwargs)
    assert spider.allowed_domains, f"{name} declares no allowed domains"


def test_hosts_must_be_the_domain_or_below_it() -> None:
    allowed = ["ted.europa.eu"]
    assert host_allowed("ted.europa.eu", allowed)
    assert host_allowed("api.ted.europa.eu", allowed)
    for host in ("europa.eu", "evilted.europa.eu.example", "169.254.169.254", "eviltED.europa.eu"):
        assert not host_allowed(host, allowed), host
