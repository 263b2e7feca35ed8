"""Bad input and faults: each page is dropped with a counted reason, the crawl goes on,
and nothing already stored is lost."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.crawler.conftest import Recordings, by_source
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore
from wijzer.crawler.store import RunStats

RVO = "https://www.rvo.nl/subsidies-financiering/"
SEDIA_URL = (
    "https://api.tech.ec.europa.eu/search-api/prod/rest/search?apiKey=SEDIA&text=***"
    "&pageSize=100&pageNumber=1"
)
SOURCES = ["rvo", "ted", "tenderned", "sedia"]


def _break_everything(rec: Recordings) -> None:
    rec.body_path("rvo", RVO + "vff").write_bytes(
        b"<html><head><title>VFF</title></head><body><nav>Home</nav></body></html>"
    )
    rec.body_path("rvo", RVO + "innovatiekrediet/voorwaarden").write_bytes(b"\x00\x01 binary junk")
    rec.update("rvo", "https://www.rvo.nl/subsidies-regelingen/seed-capital", status=404)
    rec.update("rvo", "https://www.rvo.nl/subsidies-regelingen/seed-business-angels", status=500)
    # Never answered: the client's own timeout decides, however loaded the machine is.
    rec.update("rvo", "https://www.rvo.nl/subsidies-regelingen/sbir/hoe-werkt-sbir", hold=True)
    rec.update(
        "rvo",
        "https://english.rvo.nl/subsidies-programmes/energy-investment-allowance-eia",
        file=None,
        generate_bytes=6 * 1024 * 1024,
    )
    # A redirect chain longer than REDIRECT_MAX_TIMES (each hop a new URL, like session ids).
    mooi = "https://www.rvo.nl/subsidie-en-financieringswijzer/mooi"
    rec.update("rvo", mooi, status=301, headers={"Location": mooi + "?hop=1"})
    for hop in range(1, 8):
        rec.add(
            "rvo",
            f"{mooi}?hop={hop}",
            None,
            status=302,
            headers={"Location": f"{mooi}?hop={hop + 1}"},
        )
    # Malformed XML for one TED notice, malformed JSON for the second TenderNed page.
    xml = rec.body_path("ted", "https://ted.europa.eu/en/notice/67028-2021/xml")
    xml.write_bytes(xml.read_bytes()[:5000])
    rec.body_path(
        "tenderned", "https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties?page=1&size=1"
    ).write_bytes(b'{"content": [{"publicatieId": ')
    # A SEDIA result without its identifier (a missing field).
    path = rec.body_path("sedia", SEDIA_URL)
    data = json.loads(path.read_bytes())
    data["results"][0]["metadata"].pop("identifier")
    path.write_text(json.dumps(data))


def test_faults_are_dropped_counted_and_lose_nothing(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    first = by_source(crawl(sqlite_catalog, SOURCES))
    assert all(run.status == "ok" for run in first.values())
    with sqlite_catalog.session() as session:
        before = {i.id: i.content_hash for i in InstrumentStore(session).all()}

    _break_everything(recordings)
    second = by_source(crawl(sqlite_catalog, SOURCES))

    rvo = second["rvo"]
    assert rvo.status == "partial"
    assert rvo.dropped == {
        "page_without_main_text": 1,
        "not_html": 1,
        "http_404": 1,
        "http_500": 1,
        "timeout": 1,
        "too_large": 1,
        "redirect_loop": 1,
    }
    assert rvo.unchanged == 15 - 7 and rvo.withdrawn == 0
    assert any("seed-capital" in e for e in rvo.errors)
    assert second["ted"].dropped == {"malformed_xml": 1} and second["ted"].unchanged == 7
    assert second["tenderned"].dropped == {"malformed_json": 1}
    assert second["tenderned"].status == "partial" and second["tenderned"].unchanged == 1
    sedia = second["sedia"]
    assert sedia.dropped.get("result_without_identifier") == 1 and sedia.unchanged == 11
    assert all(run.withdrawn == 0 and run.changed == 0 for run in second.values())
    with sqlite_catalog.session() as session:
        store = InstrumentStore(session)
        after = {i.id: (i.content_hash, i.withdrawn_at) for i in store.all()}
    assert {k: v[0] for k, v in after.items()} == before
    assert all(withdrawn is None for _, withdrawn in after.values())


def test_unreachable_listing_fails_the_source_and_keeps_its_records(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    crawl(sqlite_catalog, ["liof"])
    recordings.update("liof", "https://liof.nl/sitemap.xml", status=503)
    run = by_source(crawl(sqlite_catalog, ["liof"]))["liof"]
    assert run.status == "failed" and run.dropped == {"http_503": 1}
    assert run.withdrawn == 0
    with sqlite_catalog.session() as session:
        kept = [i for i in InstrumentStore(session).all() if i.source == "liof"]
        assert len(kept) == 2
        # An HTML source's new instruments wait for staff review before they go public.
        assert {i.review_state for i in kept} == {"pending"}


def test_robots_txt_is_obeyed(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    robots = recordings.body_path("liof", "https://liof.nl/robots.txt")
    robots.write_text("User-agent: Wijzer\nDisallow: /en/\n")
    run = by_source(crawl(sqlite_catalog, ["liof"]))["liof"]
    assert run.new == 1 and run.dropped == {"robots_forbidden": 1}
    with sqlite_catalog.session() as session:
        assert InstrumentStore(session).get("liof:liof.nl/en/archief/mkb-leningenfonds") is None


def test_sedia_follows_pages_until_the_total_is_reached(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    path = recordings.body_path("sedia", SEDIA_URL)
    data = json.loads(path.read_bytes())
    data["totalResults"] = 101
    path.write_text(json.dumps(data))
    extra = {**data, "pageNumber": 2, "results": [json.loads(json.dumps(data["results"][1]))]}
    extra["results"][0]["metadata"]["identifier"] = ["HORIZON-TEST-PAGE-2"]
    extra["results"][0]["metadata"]["url"] = ["https://ec.europa.eu/topic-details/page-2"]
    recordings.add(
        "sedia",
        SEDIA_URL.replace("pageNumber=1", "pageNumber=2"),
        json.dumps(extra).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    run = by_source(crawl(sqlite_catalog, ["sedia"]))["sedia"]
    # Two search pages, then the details of each of the 13 distinct topics on them.
    assert run.fetched == 2 + 13 and run.new == 13 and run.status == "ok"
    with sqlite_catalog.session() as session:
        assert InstrumentStore(session).get("sedia:HORIZON-TEST-PAGE-2") is not None
