"""What a searcher notices on the site and the API: Dutch compounds, the other language found by
meaning, exact identifiers and phrases first, and bad input answered without an error page."""

from __future__ import annotations

import re
from urllib.parse import quote

from tests.web.conftest import Site, make_app
from wijzer.app.services import Services


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def result_ids(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/instruments/([^"]+)"', html)


def api_ids(client, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    data = client.get(f"/api/v1/instruments?closed=1&per_page=10&q={quote(query)}").get_json()
    return [row["id"] for row in data["results"]]


def test_dutch_compound_part_finds_the_compound_in_dutch(client) -> None:
    page = text(client.get("/search?q=energie&closed=1&lang=nl"))
    assert "nl-nb-energiefonds-brabant" in result_ids(page)
    # The part is marked inside the compound the reader sees.
    assert "<mark>Energiefonds</mark>" in page


def test_dutch_word_finds_the_english_guarantee_scheme_by_meaning(client) -> None:
    hybrid = client.get("/api/v1/instruments?q=garantie&closed=1&per_page=20").get_json()
    assert hybrid["mode"] == "hybrid"
    assert "nl-bmkb" in [row["id"] for row in hybrid["results"]]
    # Words alone do not know that "guarantee" is "garantie".
    lexical = client.get("/api/v1/instruments?q=garantie&closed=1&mode=lexical").get_json()
    assert lexical["mode"] == "lexical"
    assert "nl-bmkb" not in [row["id"] for row in lexical["results"]]
    assert hybrid["total"] > lexical["total"]


def test_english_query_finds_a_dutch_instrument(client) -> None:
    page = text(client.get("/search?q=emergency+fund+for+startups&closed=1&lang=en"))
    assert "nl-nb-bright-move-noodfonds" in result_ids(page)[:3]


def test_meaning_never_lifts_an_unknown_scheme_above_an_open_one(client) -> None:
    tier = {"open": 0, "forthcoming": 0, "unknown": 1, "closed": 2}
    for query in ("garantie", "energie", "innovation loan", "subsidie voor zorg"):
        data = client.get(f"/api/v1/instruments?q={quote(query)}&per_page=50").get_json()
        assert data["mode"] == "hybrid"
        # What words or close meaning found comes first, by status; the nearest that fill a
        # short list come after it.
        far = [row["nearest_only"] for row in data["results"]]
        assert far == sorted(far) and not far[0], query
        rows = [r for r in data["results"] if not r["nearest_only"]]
        statuses = [tier[row["status"]] for row in rows]
        assert statuses == sorted(statuses), (query, [r["status"] for r in rows])


def test_a_word_few_instruments_contain_lists_the_nearest_in_meaning_after_them(client) -> None:
    # "zorg" is in one title only; the health-care loan says "klinische ontwikkelprojecten".
    data = client.get("/api/v1/instruments?q=zorg&closed=1").get_json()
    rows = data["results"]
    assert data["mode"] == "hybrid" and data["total"] == len(rows) == 10
    far = [r["nearest_only"] for r in rows]
    assert any(far) and far == sorted(far)
    assert "nl-rvo-innovatiekrediet" in [r["id"] for r in rows]
    dutch = text(client.get("/search?q=zorg&closed=1&lang=nl"))
    assert "Deze liggen er in betekenis het dichtst bij:" in dutch
    english = text(client.get("/search?q=zorg&closed=1&lang=en"))
    assert "These are the nearest in meaning:" in english
    # The filled list is numbered on from the first part.
    assert 'class="result-list far" start="' in english


def test_a_word_many_instruments_contain_is_not_filled(client) -> None:
    data = client.get("/api/v1/instruments?q=subsidie&closed=1&per_page=50").get_json()
    assert data["total"] > 10
    assert not any(r["nearest_only"] for r in data["results"])
    page = text(client.get("/search?q=subsidie&closed=1&lang=en"))
    assert "nearest in meaning" not in page


def test_hybrid_totals_and_facets_agree_with_the_list(client) -> None:
    data = client.get("/api/v1/instruments?q=garantie&closed=1&per_page=100").get_json()
    assert data["total"] == len(data["results"])
    assert sum(data["facets"]["level"].values()) == data["total"]
    # Paging walks the same list: two pages of 3 are the first 6 rows.
    first = client.get("/api/v1/instruments?q=garantie&closed=1&per_page=3").get_json()
    second = client.get("/api/v1/instruments?q=garantie&closed=1&per_page=3&page=2").get_json()
    rows = [r["id"] for r in first["results"] + second["results"]]
    assert rows == [r["id"] for r in data["results"][:6]]


def test_identifier_and_quoted_phrase_rank_the_exact_hit_first(client) -> None:
    topic = "HORIZON-CL3-2026-02-CS-ECCC-01"
    assert api_ids(client, topic)[0] == "eu-sedia-horizon-cl3-2026-02-cs-eccc-01"
    assert api_ids(client, '"openbare verlichting"')[0] == "ted-2021-s027-067028"
    data = client.get(f"/api/v1/instruments?closed=1&q={topic}").get_json()
    assert data["mode"] == "lexical"


def test_only_common_words_or_punctuation_get_a_note_in_the_pages_language(client) -> None:
    for query in ("de het een", "?!...", "the of and"):
        dutch = client.get(f"/search?q={quote(query)}&lang=nl")
        assert dutch.status_code == 200
        assert "alleen heel gewone woorden of leestekens" in text(dutch)
        english = client.get(f"/search?q={quote(query)}&lang=en")
        assert "only very common words or punctuation" in text(english)
        api = client.get(f"/api/v1/instruments?q={quote(query)}").get_json()
        assert api["total"] == 0 and api["notes"] == ["only_common_words"]


def test_a_very_long_query_is_refused_clearly_in_dutch(client) -> None:
    long = "subsidie " * 1200
    page = client.get(f"/search?q={quote(long)}&lang=nl")
    assert page.status_code == 400
    assert "Gebruik minder zoekwoorden (hoogstens 1000 tekens)." in text(page)
    api = client.get(f"/api/v1/instruments?q={quote(long)}")
    assert api.status_code == 400
    assert "1000" in api.get_json()["detail"]


def test_a_query_in_a_third_language_answers_without_an_error(client) -> None:
    page = client.get(f"/search?q={quote('Wirtschaftsförderung für kleine Unternehmen')}&lang=nl")
    assert page.status_code == 200
    assert "gevonden" in text(page)
    api = client.get(f"/api/v1/instruments?q={quote('ayuda para pequeñas empresas')}")
    assert api.status_code == 200


def test_search_without_the_encoder_answers_by_words_and_says_so(site: Site) -> None:
    settings = site.settings.model_copy(update={"encoder": "no-such-encoder"})
    broken = Services(settings)
    broken.__dict__["backend"] = site.services.backend
    app = make_app(site)
    app.extensions["wijzer"] = broken
    client = app.test_client()
    page = client.get("/search?q=energie&closed=1&lang=nl")
    assert page.status_code == 200
    assert "Zoeken op betekenis is nu niet beschikbaar" in text(page)
    assert "nl-nb-energiefonds-brabant" in result_ids(text(page))
    api = client.get("/api/v1/instruments?q=energie").get_json()
    assert api["mode"] == "lexical" and api["notes"] == ["meaning_unavailable"]
