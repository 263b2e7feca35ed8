"""The public page says truthfully whose page a link is, in Dutch and English; after a merge it
shows the official link and every source; other rounds are linked; search lists one record."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import upgraded_data_dir
from tests.offline_runs import store_offline
from tests.web.conftest import TEST_SECRET
from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.exchange import import_records
from wijzer.catalog.schema import parse_record
from wijzer.web import create_app

NOTE = {"source_file": "thirdparty/thirdparty_notes.jsonl"}
NEWS = {
    "id": "kkc-news",
    "title": "Klein Krediet Corona garantieregeling",
    "funder": "Rijksoverheid / banken",
    "level": "national",
    "instrument_type": "guarantee",
    "language": "nl",
    "summary": "Coronamaatregel: garantie op kleine kredieten via banken.",
    "url": "https://nos.nl/artikel/2341992-weinig-leningen.html",
    **NOTE,
}
OFFICIAL = {
    **{k: v for k, v in NEWS.items() if k != "source_file"},
    "id": "rvo:rvo.nl/kkc",
    "funder": "Rijksdienst voor Ondernemend Nederland (RVO)",
    "url": "https://www.rvo.nl/subsidies-financiering/kkc",
    "source": "rvo",
    "source_id": "rvo.nl/kkc",
}
REGIONAL = {
    "id": "fl-voucher",
    "title": "Voucherregeling voor ondernemers Flevoland",
    "funder": "Provincie Flevoland",
    "level": "regional",
    "regions": ["Flevoland"],
    "instrument_type": "voucher",
    "language": "nl",
    "url": "https://denoordoostpolder.nl/artikel/591481/innovatie.html",
    **NOTE,
}
ROUNDS = [
    {
        "id": f"mooi-{year}",
        "title": f"Missiegedreven Onderzoek, Ontwikkeling en Innovatie (MOOI) {year}",
        "funder": "RVO / Ministerie van EZK",
        "level": "national",
        "instrument_type": "subsidy",
        "language": "nl",
        "url": f"https://www.rvo.nl/mooi-{year}",
        "deadline": f"{year}-09-03",
    }
    for year in (2020, 2026)
]


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, upgraded_sqlite_file: Path) -> Iterator[Flask]:
    data_dir = upgraded_data_dir(
        tmp_path_factory.mktemp("provenance") / "data", upgraded_sqlite_file
    )
    settings = Settings(data_dir=data_dir)
    services = Services(settings)
    import_records(services.catalog, [parse_record(r) for r in (NEWS, REGIONAL, *ROUNDS)])
    # The official page of the same scheme comes in later, from a crawl.
    official = parse_record({**OFFICIAL, "fetched_at": "2026-11-20T08:00:00"})
    run = store_offline(
        services.catalog, "rvo", [official], dt.datetime(2026, 11, 20, 8), complete=False
    )
    assert run.merged == 1
    rebuild_index(services.catalog, services.backend, None)
    app = create_app(
        {"SETTINGS": settings, "TESTING": True, "SECRET_KEY": TEST_SECRET, "API_RATE_LIMIT": 0}
    )
    app.extensions["wijzer"] = services
    yield app
    services.close()


def page_text(app: Flask, path: str) -> str:
    response = app.test_client().get(path)
    assert response.status_code == 200, response.status_code
    body = response.get_data(as_text=True)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", body)))


def link_of(app: Flask, path: str) -> str:
    body = app.test_client().get(path).get_data(as_text=True)
    match = re.search(r'class="source-link[^"]*">.*?<a href="([^"]+)"', body, re.S)
    assert match, "no source link on the page"
    return match.group(1)


@pytest.mark.parametrize(
    ("lang", "label", "words"),
    [
        (
            "nl",
            "Bron van derden",
            "Niet de eigen pagina van de financier maar een regionaal medium",
        ),
        ("en", "Third-party source", "Not the funder's own page but regional media"),
    ],
)
def test_a_news_article_is_called_a_third_party_page(
    app: Flask, lang: str, label: str, words: str
) -> None:
    text = page_text(app, f"/instruments/fl-voucher?lang={lang}")
    assert label in text and words in text
    assert "officiële pagina van de financier" not in text.lower()
    assert "official page of the funder" not in text.lower()


@pytest.mark.parametrize(
    ("lang", "label", "link"),
    [
        ("nl", "Officiële bron", "Lees de officiële pagina van de financier (rvo.nl)"),
        ("en", "Official source", "Read the official page of the funder (rvo.nl)"),
    ],
)
def test_after_a_merge_the_page_shows_the_official_link_and_every_source(
    app: Flask, lang: str, label: str, link: str
) -> None:
    path = f"/instruments/kkc-news?lang={lang}"
    text = page_text(app, path)
    assert label in text and link in text
    assert link_of(app, path) == OFFICIAL["url"]
    # Both sources are listed, each labelled, and the crawl's check date is the page's.
    assert "nos.nl" in text and "rvo.nl" in text
    assert ("derden" if lang == "nl" else "third party") in text
    assert ("20 november 2026" if lang == "nl" else "20 November 2026") in text
    # The merged record's own address leads to the public record.
    moved = app.test_client().get("/instruments/rvo:rvo.nl/kkc")
    assert moved.status_code == 301 and moved.headers["Location"].endswith("/instruments/kkc-news")


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("nl", "Samengevoegd met dezelfde regeling uit een andere bron"),
        ("en", "Combined with the same instrument from another source"),
    ],
)
def test_the_history_says_a_merge_in_words_without_record_ids(
    app: Flask, lang: str, sentence: str
) -> None:
    text = page_text(app, f"/instruments/kkc-news?lang={lang}")
    assert sentence in text
    # Neither the merged record's id nor the source's code is shown to the public.
    assert "rvo:rvo.nl/kkc" not in text


def test_other_rounds_are_linked_not_merged(app: Flask) -> None:
    dutch = page_text(app, "/instruments/mooi-2026?lang=nl")
    assert "Eerdere rondes en verwante regelingen" in dutch and "(MOOI) 2020" in dutch
    english = page_text(app, "/instruments/mooi-2020?lang=en")
    assert "Earlier rounds and related listings" in english and "(MOOI) 2026" in english


def test_search_and_export_list_the_merged_instrument_once(app: Flask) -> None:
    client = app.test_client()
    # A closed scheme: listed once when the reader asks for closed ones too.
    found: dict[str, Any] = client.get(
        "/api/v1/instruments?q=Klein Krediet Corona&closed=1"
    ).get_json()
    ids = [hit["id"] for hit in found["results"]]
    assert ids.count("kkc-news") == 1 and "rvo:rvo.nl/kkc" not in ids
    record = client.get("/api/v1/instruments/kkc-news").get_json()
    assert record["official_url"] is False  # its own link is the news article
    assert record["official_url_evidence"]["kind"] == "news"
