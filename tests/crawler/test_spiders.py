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
    # 8 topics from the search page alone (their details are not published: 404) and 4
    # with their topic details.
    "sedia": 12,
    "ted": 8,
    "tenderned": 2,
    "cvdr": 1,
    "officielebekendmakingen": 1,
    # One candidate listing per register scheme (208 after folding spellings of one name).
    "subsidieregister-amsterdam": 208,
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
    "rijksoverheid": 1,
    "wetten-overheid": 1,
    "invest-nl": 1,
    "qredits": 1,
    "eib-advisory": 1,
    "horizon-ncp-portal": 1,
    "ncp-brussels": 1,
    "funding-portal-cy": 1,
}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every source crawled twice into one SQLite catalog (module-wide: crawls take seconds)."""
    from tests.crawler.conftest import FAST
    from wijzer.crawler.crawling import run_crawl
    from wijzer.crawler.replay import RECORDINGS, ReplayServer

    # Every source at once on a shared 2-core machine: a generous timeout (faults have theirs).
    settings = {**FAST, "DOWNLOAD_TIMEOUT": 15}
    path = tmp_path_factory.mktemp("crawl")
    catalog = upgraded_catalog(f"sqlite:///{path / 'catalog.sqlite'}")
    with ReplayServer(RECORDINGS) as server:
        first = run_crawl(catalog, list(SOURCES), replay_url=server.url, settings=settings, now=NOW)
        with catalog.session() as session:
            store = InstrumentStore(session)
            after_first = {i.id: len(store.history(i.id)) for i in store.all()}
        second = run_crawl(
            catalog, list(SOURCES), replay_url=server.url, settings=settings, now=NOW
        )
        requests = list(server.requests)
        agents = set(server.user_agents)
        incremental = run_crawl(
            catalog,
            list(SOURCES),
            replay_url=server.url,
            settings=settings,
            now=NOW,
            incremental=True,
        )
    with catalog.session() as session:
        store = InstrumentStore(session)
        records = {i.id: instrument_to_dict(i) for i in store.all()}
        versions = {i: len(store.history(i)) for i in records}
        runs = [r.as_dict() for r in session.query(CrawlRun).all()]
    catalog.dispose()
    return {
        "first": by_source(first),
        "second": by_source(second),
        "incremental": by_source(incremental),
        "records": records,
        "versions": versions,
        "versions_after_first": after_first,
        "runs": runs,
        "agents": agents,
        "requests": requests,
    }


def test_smoke_every_spider_fills_the_catalog(crawled: dict[str, Any]) -> None:
    first: dict[str, RunStats] = crawled["first"]
    assert set(first) == set(SOURCES) == set(EXPECTED_NEW) and len(SOURCES) >= 25
    for name, run in first.items():
        assert run.status == "ok", (name, run.errors)
        assert run.new == EXPECTED_NEW[name], name
        assert run.fetched >= run.new or name in ("sedia", "subsidieregister-amsterdam")
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
        # A province's listing of a regulation and the regulation itself: one page.
        "provincie-utrecht:zoek.officielebekendmakingen.nl/prb-2025-4732.html": (
            "officielebekendmakingen:prb-2025-4732"
        ),
        "provincie-zuid-holland:lokaleregelgeving.overheid.nl/CVDR656685/2": "cvdr:CVDR656685",
    }
    assert set(crawled["versions"].values()) == {1, 2}
    assert sum(r.fetched for r in crawled["second"].values()) == sum(
        r.fetched for r in crawled["first"].values()
    )


def test_an_incremental_run_of_unchanged_sources_asks_only_for_listings(
    crawled: dict[str, Any],
) -> None:
    full: dict[str, RunStats] = crawled["second"]
    runs: dict[str, RunStats] = crawled["incremental"]
    for name, run in runs.items():
        assert run.status == "ok" and run.kind == "incremental", name
        assert (run.new, run.changed, run.withdrawn, run.unchanged) == (0, 0, 0, 0), name
    # The APIs: one search or listing page each; details, notices, XML and the register
    # file are not fetched again (the register answers 304 Not Modified).
    for name in ("sedia", "ted", "tenderned", "cvdr", "officielebekendmakingen"):
        assert runs[name].fetched == 1, name
    assert runs["sedia"].details["skipped"] == 12
    assert runs["subsidieregister-amsterdam"].details == {"not_modified": 1}
    # Sites: their sitemaps and listings answer 304; no scheme page is fetched again.
    assert runs["rvo"].fetched == 2 and runs["rvo"].details["not_modified"] == 2
    assert sum(r.fetched for r in runs.values()) * 2 < sum(r.fetched for r in full.values())


def test_runs_are_recorded_per_source(crawled: dict[str, Any]) -> None:
    runs = [r for r in crawled["runs"] if r["kind"] == "full"]
    assert len(runs) == 2 * len(SOURCES)
    sedia = [r for r in runs if r["source"] == "sedia"]
    assert sedia[0]["new"] == 12
    assert sedia[0]["dropped"] == {"duplicate": 1, "topic_details_http_404": 8}
    assert all(r["mode"] == "offline" and r["kind"] == "full" for r in runs)


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


def test_sedia_follows_each_hit_to_its_topic_details(crawled: dict[str, Any]) -> None:
    widera = _rec(crawled, "sedia:HORIZON-WIDERA-2025-ACCESS-01-01-two-stage")
    assert widera["title"] == "Teaming for Excellence"
    assert widera["source_url"].endswith(
        "/topicDetails/HORIZON-WIDERA-2025-ACCESS-01-01-two-stage.json"
    )
    assert widera["url"].endswith("/topic-details/HORIZON-WIDERA-2025-ACCESS-01-01-two-stage")
    # Budget per grant and in total, from the topic's own budget line.
    assert (widera["amount_min"], widera["amount_max"]) == (8_000_000, 15_000_000)
    assert widera["budget_total"] == 270_000_000 and widera["extra"]["expected_grants"] == 18
    # Both stages of a two-stage topic (portal dates are midnight in Brussels).
    assert widera["deadlines"] == ["2025-04-10", "2026-01-20"]
    [stage] = widera["extra"]["deadlines_by_stage"]
    assert stage["model"] == "two-stage" and stage["deadlines"] == widera["deadlines"]
    assert widera["extra"]["types_of_action"] == [
        "HORIZON-CSA HORIZON Coordination and Support Actions"
    ]
    assert widera["extra"]["programme"] == "Horizon Europe (HORIZON)"
    assert widera["extra"]["call_identifier"] == "HORIZON-WIDERA-2025-ACCESS-01"
    assert widera["extra"]["source_status"] == "forthcoming"
    assert "Admissibility conditions" in widera["extra"]["conditions"]
    assert widera["description"].startswith("Expected Outcome:")
    assert "<" not in widera["description"]
    # The call's budget map names only another topic: this topic's budget is unknown.
    border = _rec(crawled, "sedia:CEF-T-2024-SAFEMOBGEN-EXTBORDER-WORKS")
    assert border["budget_total"] is None and border["amount_max"] is None
    assert border["deadlines"] == ["2025-01-21"] and border["opens_at"] == "2024-09-24"
    # A contribution of 1 euro is the portal's "not set", not a minimum grant.
    tourism = _rec(crawled, "sedia:PPPA-2024-SKILL-FOR-TOURISM")
    assert (tourism["amount_min"], tourism["amount_max"]) == (None, 995_000)
    # Topics whose details the portal does not publish keep their search data, marked so.
    soil = _rec(crawled, "sedia:HORIZON-MISS-2027-05-SOIL-01-two-stage")
    assert soil["extra"]["topic_details"] == "unavailable"
    assert soil["deadlines"] == ["2027-04-08", "2027-09-14"]


def test_ted_notices_are_classified_and_awards_are_results(crawled: dict[str, Any]) -> None:
    categories = {
        rid: r["extra"]["notice_category"]
        for rid, r in crawled["records"].items()
        if r["source"] == "ted"
    }
    assert categories == {
        "ted:365590-2020": "contract_notice",
        "ted:67028-2021": "contract_notice",
        "ted:649921-2023": "call_for_competition",
        "ted:671881-2023": "call_for_competition",
        "ted:127505-2024": "call_for_competition",
        "ted:137599-2024": "call_for_competition",
        "ted:191536-2024": "result",
        "ted:8380-2021": "result",
    }
    award = _rec(crawled, "ted:191536-2024")
    assert award["funder"] == "Waterschap Rivierenland" and award["deadlines"] == []
    assert award["extra"]["source_status"] == "closed"
    assert award["extra"]["result"]["winners"] == ["Hegeman Bouw & Infra B.V."]
    assert award["extra"]["result"]["value"] == 3_887_000
    assert award["extra"]["result_of"]["notices"] == ["629133-2023"]
    legacy = _rec(crawled, "ted:8380-2021")
    assert legacy["extra"]["result"]["winners"] == ["Park Line Aqua bv"]
    assert "Vervallen" not in legacy["funder"]
    police = _rec(crawled, "ted:649921-2023")
    assert police["funder"] == "Politie" and police["budget_total"] == 80_000_000
    assert "source_status" not in police["extra"]  # open or not is decided by its dates


def test_regulations_become_regional_instruments(crawled: dict[str, Any]) -> None:
    deals = _rec(crawled, "cvdr:CVDR656685")
    assert deals["title"] == "Subsidieregeling MKB-Deals Zuid-Holland"
    assert deals["funder"] == "Provincie Zuid-Holland"
    assert (deals["level"], deals["regions"]) == ("regional", ["Zuid-Holland"])
    assert deals["url"] == "https://lokaleregelgeving.overheid.nl/CVDR656685/2"
    assert deals["extra"]["in_force_from"] == "2023-01-27"
    assert deals["extra"]["expression"] == "CVDR656685_2"
    assert "Subsidie kan worden verstrekt voor activiteiten" in deals["description"]
    assert deals["instrument_type"] == "subsidy" and deals["review_state"] == "pending"
    utrecht = _rec(crawled, "officielebekendmakingen:prb-2025-4732")
    assert utrecht["funder"] == "Provincie Utrecht" and utrecht["regions"] == ["Utrecht"]
    assert utrecht["url"] == "https://zoek.officielebekendmakingen.nl/prb-2025-4732.html"
    # The real regulations and gazette notices grant nothing: dropped with their reason.
    assert not any(rid.startswith(("cvdr:CVDR1", "cvdr:CVDR6807")) for rid in crawled["records"])
    second = crawled["second"]
    assert second["cvdr"].dropped == {"not_about_subsidies": 3}
    assert second["officielebekendmakingen"].dropped == {"not_about_subsidies": 4}


def test_register_schemes_wait_for_staff_as_candidates(crawled: dict[str, Any]) -> None:
    candidates = [
        r for r in crawled["records"].values() if r["source"] == "subsidieregister-amsterdam"
    ]
    assert {r["review_state"] for r in candidates} == {"pending"}
    bewoners = next(r for r in candidates if r["title"] == "Subsidieregeling Bewonersinitiatieven")
    assert bewoners["funder"] == "Gemeente Amsterdam" and bewoners["municipality"] == "Amsterdam"
    assert bewoners["regions"] == ["Noord-Holland"] and bewoners["url"] is None
    assert bewoners["extra"]["register_scheme"] == "subsidieregeling bewonersinitiatieven"
    assert crawled["first"]["subsidieregister-amsterdam"].details["register"]["created"] == 4911
    assert crawled["second"]["subsidieregister-amsterdam"].details["register"] == {
        "created": 0,
        "updated": 0,
        "unchanged": 4911,
    }


@pytest.mark.parametrize(
    ("record_id", "funder", "level", "itype", "language"),
    [
        (
            "rijksoverheid:rijksoverheid.nl/actueel/nieuws/2026/02/11/"
            "60-miljoen-voor-innovatieve-bedrijven-in-noord-nederland",
            "Rijksoverheid",
            "national",
            "equity",
            "nl",
        ),
        (
            "qredits:qredits.nl/krediet/veelgestelde-vragen",
            "Qredits Microfinanciering Nederland",
            "national",
            "loan",
            "nl",
        ),
        (
            "eib-advisory:advisory.eib.org/future-finance-programme/eic-transition",
            "European Investment Bank (EIB Advisory)",
            "eu",
            "subsidy",
            "en",
        ),
        (
            "ncp-brussels:ncp.brussels/horizon-europe/innovative-europe/eic/eic-accelerator.html",
            "NCP Brussels (Horizon Europe contact point)",
            "eu",
            "equity",
            "en",
        ),
    ],
)
def test_new_site_sources(
    crawled: dict[str, Any], record_id: str, funder: str, level: str, itype: str, language: str
) -> None:
    r = _rec(crawled, record_id)
    assert (r["funder"], r["level"], r["instrument_type"], r["language"]) == (
        funder,
        level,
        itype,
        language,
    )
    assert r["url"] == r["source_url"] and r["description"]
