"""Politeness on the sites' real robots.txt: each real file is read as the crawler reads it
(an empty file and a 404 page included), and a crawl leaves the paths they close alone."""

from __future__ import annotations

import pytest
from scrapy.robotstxt import ProtegoRobotParser

from tests.conftest import SHARED
from tests.crawler.conftest import FAST, NOW, Recordings, by_source
from wijzer.catalog.db import Catalog
from wijzer.crawler.crawling import run_crawl
from wijzer.crawler.replay import ReplayServer
from wijzer.crawler.settings import SETTINGS

ROBOTS = SHARED / "data" / "robots_txt"
AGENT = SETTINGS["ROBOTSTXT_USER_AGENT"]

CASES = {
    # host: (allowed paths, disallowed paths)
    "www.rvo.nl": (
        ["/subsidies-financiering/vff", "/subsidies-financiering/tvl"],
        ["/subsidies-financiering/tvl/q4-2020/aanvraag"],
    ),
    "english.rvo.nl": (
        ["/en/subsidies-financing/eurostars"],
        ["/subsidies-financiering/tvl/tvl1/aanvraag"],
    ),
    "www.kvk.nl": (["/financiering/", "/en/finance/x"], ["/page/1", "/bestellen/x"]),
    "zoek.officielebekendmakingen.nl": (
        ["/prb-2018-4958.html"],
        ["/zoeken/resultaat?q=subsidie", "/resultaten", "/noindex/x"],
    ),
    "www.officielebekendmakingen.nl": (["/prb-2025-4732.html"], ["/zoeken/resultaat"]),
    "www.rijksoverheid.nl": (["/actueel/nieuws/2026/02/11/x"], ["/zoeken?trefwoord=x", "/error/1"]),
    "ec.europa.eu": (
        ["/info/funding-tenders/opportunities/data/topicDetails/X.json"],
        ["/research/participants/cofund/x", "/archives/x"],
    ),
    "data.overheid.nl": (["/dataset/x", "/core/misc/x.css"], ["/core/misc/x.php", "/README.md"]),
    "eismea.ec.europa.eu": (["/programmes/x"], ["/core/x"]),
    "www.nwo.nl": (["/calls"], ["/profiles/x"]),
    "open.overheid.nl": ([], ["/", "/documenten/x"]),
    "wetten.overheid.nl": (["/BWBR0038451"], []),
    "ondernemersplein.kvk.nl": (["/subsidies/"], []),
    # An empty file allows everything.
    "ondernemersplein.nl": (["/", "/subsidies/"], []),
    # A 404 page where robots.txt should be: its HTML holds no rules, so nothing is closed.
    "lokaleregelgeving.overheid.nl": (["/CVDR656685/2"], []),
    "projects.rvo.nl": (["/"], []),
}


def test_every_real_robots_file_is_covered() -> None:
    assert {p.name.removesuffix(".robots.txt") for p in ROBOTS.glob("*.robots.txt")} == set(CASES)


@pytest.mark.parametrize("host", sorted(CASES))
def test_real_robots_files_as_the_crawler_reads_them(host: str) -> None:
    body = (ROBOTS / f"{host}.robots.txt").read_bytes()
    parser = ProtegoRobotParser(body, None)
    allowed, closed = CASES[host]
    for path in allowed:
        assert parser.allowed(f"https://{host}{path}", AGENT), path
    for path in closed:
        assert not parser.allowed(f"https://{host}{path}", AGENT), path


CLOSED = "https://www.rvo.nl/subsidies-financiering/tvl/q4-2020/aanvraag"
SITEMAP = "https://www.rvo.nl/sitemap.xml"


def test_a_crawl_obeys_the_real_robots_files(
    recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    # rvo.nl's real robots.txt closes the TVL application pages; list one in the sitemap.
    sitemap = recordings.body_path("rvo", SITEMAP)
    sitemap.write_text(
        sitemap.read_text(encoding="utf-8").replace(
            "</urlset>", f"  <url><loc>{CLOSED}</loc></url>\n</urlset>"
        ),
        encoding="utf-8",
    )
    page = recordings.body_path("rvo", "https://www.rvo.nl/subsidies-financiering/vff")
    recordings.add("rvo", CLOSED, page.read_bytes())
    with ReplayServer(recordings.root) as server:
        runs = by_source(
            run_crawl(
                sqlite_catalog,
                ["rvo", "provincie-zuid-holland"],
                replay_url=server.url,
                settings=FAST,
                now=NOW,
            )
        )
        answered = dict(server.responses)
        requested = [url for _, url in server.requests]
    assert runs["rvo"].dropped == {"robots_forbidden": 1} and runs["rvo"].new == 15
    assert CLOSED not in requested
    # The real files were served; lokaleregelgeving's is a 404 page, which closes nothing.
    assert answered["https://www.rvo.nl/robots.txt"] == 200
    assert answered["https://lokaleregelgeving.overheid.nl/robots.txt"] == 404
    assert "https://lokaleregelgeving.overheid.nl/CVDR656685/2" in requested
    assert runs["provincie-zuid-holland"].new == 3
