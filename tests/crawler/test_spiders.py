"""Every spider over real HTTP against the replay server: field asserts per source, re-runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import upgraded_catalog
from tests.crawler.conftest import NOW, by_source
from wijzer.catalog.crawl_runs import CrawlRun
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.crawler.sources import SOURCES
from wijzer.crawler.store import RunStats

EXPECTED_NEW = {
    "sedia": 8,
    "ted": 2,
    "tenderned": 2,
    "rvo": 15,
    "kvk": 6,
    "provincie-utrecht": 2,
    "provincie-zuid-holland": 3,
    "provincie-noord-brabant": 1,
    "provincie-overijssel": 1,
    "provincie-limburg": 1,
    "provincie-zeeland": 1,
    "innovationquarter": 1,
    "oost-nl": 2,
    "liof": 2,
    "nom": 1,
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every source crawled twice into one SQLite catalog (module-wide: crawls take seconds)."""
    from tests.crawler.conftest import FAST
    from wijzer.crawler.crawling import run_crawl
    from wijzer.crawler.replay import RECORDINGS, ReplayServer

    path = tmp_path_factory.mktemp("crawl")
    catalog = upgraded_catalog(f"sqlite:///{path / 'catalog.sqlite'}")
    with ReplayServer(RECORDINGS) as server:
        first = run_crawl(catalog, list(SOURCES), replay_url=server.url, settings=FAST, now=NOW)
        with catalog.session() as session:
            store = InstrumentStore(session)
            after_first = {i.id: len(store.history(i.id)) for i in store.all()}
        second = run_crawl(catalog, list(SOURCES), replay_url=server.url, settings=FAST, now=NOW)
        requests = list(server.requests)
        agents = set(server.user_agents)
    with catalog.session() as session:
        store = InstrumentStore(session)
        records = {i.id: instrument_to_dict(i) for i in store.all()}
        versions = {i: len(store.history(i)) for i in records}
        runs = [r.as_dict() for r in session.query(CrawlRun).all()]
    catalog.dispose()
    return {
        "first": by_source(first),
        "second": by_source(second),
        "records": records,
        "versions": versions,
        "versions_after_first": after_first,
        "runs": runs,
        "agents": agents,
        "requests": requests,
    }


def test_smoke_every_spider_fills_the_catalog(crawled: dict[str, Any]) -> None:
    first: dict[str, RunStats] = crawled["first"]
    assert set(first) == set(SOURCES)
    for name, run in first.items():
        assert run.status == "ok", (name, run.errors)
        assert run.new == EXPECTED_NEW[name], name
        assert run.fetched >= run.new or name == "sedia"
    assert len(crawled["records"]) == sum(EXPECTED_NEW.values())


def test_second_run_changes_nothing(crawled: dict[str, Any]) -> None:
    for name, run in crawled["second"].items():
        assert (run.new, run.changed, run.withdrawn) == (0, 0, 0), name
        assert run.unchanged == EXPECTED_NEW[name] and run.merged == 0
    assert crawled["versions"] == crawled["versions_after_first"]
    # Created once; the first run merged what describes one instrument twice (a version on
    # each side), nothing else was written: the TenderNed listings of two TED notices, and the
    # Innovatiekrediet's conditions page into its page of the same scheme (both Dutch RVO pages
    # of the one continuous credit facility).
    merged = {i: r["merged_into"] for i, r in crawled["records"].items() if r["merged_into"]}
    assert merged == {
        "tenderned:54c78e8bb850db2546fcfd71b862b86a": "ted:67028-2021",
        "tenderned:wur-dps-sequencing-2020": "ted:365590-2020",
        "rvo:rvo.nl/subsidies-financiering/innovatiekrediet/voorwaarden": (
            "rvo:rvo.nl/subsidies-financiering/innovatiekrediet/na-uw-aanvraag"
        ),
    }
    assert set(crawled["versions"].values()) == {1, 2}


def test_runs_are_recorded_per_source(crawled: dict[str, Any]) -> None:
    runs = crawled["runs"]
    assert len(runs) == 2 * len(SOURCES)
    sedia = [r for r in runs if r["source"] == "sedia"]
    assert sedia[0]["new"] == 8 and sedia[0]["dropped"] == {"duplicate": 1}
    assert all(r["mode"] == "offline" for r in runs)


def test_requests_are_polite_and_on_the_configured_hosts(crawled: dict[str, Any]) -> None:
    assert crawled["agents"] == {"Wijzer/0.1 (+https://wijzer.example/bot)"}
    urls = [url for _, url in crawled["requests"]]
    assert "https://www.rvo.nl/robots.txt" in urls
    assert not any("linkedin.com" in u or "twitter.com" in u for u in urls)
    # Sitemap entries that are no scheme pages are not fetched.
    assert "https://www.rvo.nl/over-ons/organisatie/" not in urls


def _rec(crawled: dict[str, Any], record_id: str) -> dict[str, Any]:
    return crawled["records"][record_id]


def test_sedia_topic_fields(crawled: dict[str, Any]) -> None:
    r = _rec(crawled, "sedia:HORIZON-CL3-2026-02-CS-ECCC-01")
    assert (
        r["title"]
        == "Approaches and tools for security in software and hardware development and assessment"
        or r["title"].startswith("Approaches and tools for security")
    )
    assert r["funder"] == "European Commission" and r["level"] == "eu"
    assert r["instrument_type"] == "subsidy" and r["language"] == "en"
    assert r["deadlines"] == ["2026-09-15"]
    assert r["extra"]["programme"] == "Horizon Europe (HORIZON)"
    assert r["extra"]["call_identifier"] == "HORIZON-CL3-2026-02-CS-ECCC"
    assert r["extra"]["topic_status"] == "open"
    assert r["amount_max"] == 4_000_000
    assert r["source_url"].startswith("https://api.tech.ec.europa.eu/search-api/prod/rest/search")
    assert r["fetched_at"] == NOW.isoformat()


def test_ted_notice_fields_from_both_schemas(crawled: dict[str, Any]) -> None:
    eforms = _rec(crawled, "ted:67028-2021")
    assert eforms["title"].startswith("Raamovereenkomst onderhoud openbare verlichting")
    assert eforms["funder"].startswith("Stichting Regionaal Inkoopbureau IJmond & Kennemerland")
    assert eforms["deadlines"] == ["2021-03-18"] and eforms["regions"] == ["Noord-Holland"]
    assert eforms["instrument_type"] == "procurement" and eforms["level"] == "eu"
    assert eforms["url"] == "https://ted.europa.eu/en/notice/-/detail/67028-2021"
    assert eforms["extra"]["cpv_codes"] == ["50232100"]
    assert eforms["extra"]["notice_schema"] == "eforms"
    legacy = _rec(crawled, "ted:365590-2020")
    assert legacy["extra"]["notice_schema"] == "ted-xml"
    assert legacy["funder"] == "Wageningen University and Research"
    assert legacy["budget_total"] == 15_000_000 and legacy["language"] == "en"
    assert legacy["source_url"] == "https://ted.europa.eu/en/notice/365590-2020/xml"


def test_tenderned_notice_fields(crawled: dict[str, Any]) -> None:
    r = _rec(crawled, "tenderned:54c78e8bb850db2546fcfd71b862b86a")
    assert r["title"].startswith("Raamovereenkomst onderhoud openbare verlichting")
    assert r["funder"] == "Stichting Regionaal Inkoopbureau IJmond & Kennemerland"
    assert r["deadlines"] == ["2021-03-18"] and r["regions"] == ["Noord-Holland"]
    assert r["level"] == "eu" and r["instrument_type"] == "procurement"
    assert r["url"].startswith("https://www.tenderned.nl/tenderned-web/aankondiging/")
    assert r["extra"]["ted_publication_number"] == "67028-2021"


@pytest.mark.parametrize(
    ("record_id", "title", "funder", "itype", "level", "regions", "language"),
    [
        (
            "rvo:rvo.nl/subsidies-financiering/vff",
            "Vroegefasefinanciering (VFF)",
            "Rijksdienst voor Ondernemend Nederland (RVO)",
            "loan",
            "national",
            [],
            "nl",
        ),
        (
            "rvo:english.rvo.nl/en/subsidies-financing/innovation-credit",
            "Innovation Credit",
            "Rijksdienst voor Ondernemend Nederland (RVO)",
            "loan",
            "national",
            [],
            "en",
        ),
        (
            "rvo:english.rvo.nl/subsidies-programmes/energy-investment-allowance-eia",
            "Energy Investment Allowance (EIA)",
            "Rijksdienst voor Ondernemend Nederland (RVO)",
            "tax_credit",
            "national",
            [],
            "en",
        ),
        (
            "kvk:business.gov.nl/subsidy/bmkb",
            "SME loan guarantee scheme (BMKB)",
            "KVK / Ondernemersplein",
            "guarantee",
            "national",
            [],
            "en",
        ),
        (
            "provincie-limburg:limburg.nl/actueel/kennisgevingen/kennisgevingen/"
            "limburg-startup-capital-fund",
            "Limburg Startup Capital Fund",
            "Provincie Limburg",
            "equity",
            "regional",
            ["Limburg"],
            "nl",
        ),
        (
            "provincie-utrecht:economicboardutrecht.nl/mit-haalbaarheidsprojecten-mkb",
            "MIT-Haalbaarheidsprojecten MKB",
            "Provincie Utrecht",
            "subsidy",
            "regional",
            ["Utrecht"],
            "nl",
        ),
        (
            "liof:liof.nl/en/archief/mkb-leningenfonds",
            "MKB Leningenfonds Limburg",
            "LIOF",
            "loan",
            "regional",
            ["Limburg"],
            "en",
        ),
        (
            "nom:jaarverslag2016.nom.nl/kerntaken-nom/resultaten-en-effecten-in-de-regio-2",
            "Wat doet NOM Finance?",
            "NOM (Investerings- en Ontwikkelingsmaatschappij Noord-Nederland)",
            "equity",
            "regional",
            ["Drenthe", "Friesland", "Groningen"],
            "nl",
        ),
    ],
)
def test_site_page_fields(
    crawled: dict[str, Any],
    record_id: str,
    title: str,
    funder: str,
    itype: str,
    level: str,
    regions: list[str],
    language: str,
) -> None:
    r = _rec(crawled, record_id)
    assert r["title"] == title
    assert r["funder"] == funder
    assert r["instrument_type"] == itype
    assert r["level"] == level and r["regions"] == regions
    assert r["language"] == language
    assert r["url"] == r["source_url"] and r["url"].startswith("http")
    assert r["description"] and "<" not in r["description"]
    assert "cookies" not in r["description"].lower()


def test_site_amounts_come_from_the_page_text(crawled: dict[str, Any]) -> None:
    seed = _rec(crawled, "rvo:rvo.nl/subsidies-regelingen/seed-capital")
    assert seed["amount_max"] == 3_500_000
    assert (
        _rec(crawled, "provincie-utrecht:economicboardutrecht.nl/mit-haalbaarheidsprojecten-mkb")[
            "amount_max"
        ]
        == 20_000
    )
    vff = _rec(crawled, "rvo:rvo.nl/subsidies-financiering/vff-regionaal/voorwaarden")
    assert (vff["amount_min"], vff["amount_max"]) == (50_000, 350_000)


def test_crawl_refuses_unknown_sources(
    crawl: Callable[..., list[RunStats]], sqlite_catalog: Catalog
) -> None:
    from wijzer.crawler.sources import UnknownSource

    with pytest.raises(UnknownSource) as info:
        crawl(sqlite_catalog, ["rvo", "nope"])
    assert "nope" in str(info.value)
