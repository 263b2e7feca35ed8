"""The public site through the Flask test client: pages, filters, match, instrument pages."""

from __future__ import annotations

import re

from tests.web.conftest import CHANGED_ID, HIDDEN_ID, MALICIOUS_ID, MERGED_ID, SOON


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def result_ids(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/instruments/([^"]+)"', html)


def test_home_is_dutch_by_default_and_english_on_request(client):
    dutch = text(client.get("/", headers={"Accept-Language": "nl"}))
    assert '<html lang="nl">' in dutch
    assert "Vind financiering voor uw bedrijf" in dutch
    english = text(client.get("/?lang=en"))
    assert '<html lang="en">' in english
    assert "Find funding for your company" in english
    # The choice is remembered for the next page, whatever the browser prefers.
    again = text(client.get("/search", headers={"Accept-Language": "nl"}))
    assert '<html lang="en">' in again and "Search instruments" in again


def test_accept_language_picks_the_default(client):
    page = text(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9"}))
    assert '<html lang="en">' in page


def test_search_shows_counted_facets_highlights_and_plural_in_dutch(client):
    page = text(client.get("/search?q=innovatie&lang=nl"))
    found = re.search(r"(\d+) regelingen gevonden", page)
    assert found and int(found.group(1)) > 3
    assert "<mark>" in page
    # Facets name taxonomy labels in the page language with counts.
    assert re.search(r"Landelijk\s*<span class=\"count\">\(\d+\)</span>", page)
    assert "Sluit binnen 30 dagen" in page


def test_level_filter_narrows_results_to_that_level(client, app):
    all_page = text(client.get("/search?lang=en&per_page=100"))
    eu_page = text(client.get("/search?level=eu&lang=en&per_page=100"))
    total = int(re.search(r"(\d+) instruments found", all_page).group(1))
    eu_total = int(re.search(r"(\d+) instruments? found", eu_page).group(1))
    assert 0 < eu_total < total
    backend = app.extensions["wijzer"].backend
    for instrument_id in result_ids(eu_page):
        assert backend.get(instrument_id)["level"] == "eu"


def test_closes_within_bucket_lists_soon_deadlines(client):
    page = text(client.get("/search?closes_within=30&lang=en"))
    assert f"/instruments/{MALICIOUS_ID}" in page
    assert SOON.strftime("%Y") in page


def test_pagination_links_keep_the_filters(client):
    page = text(client.get("/search?type=subsidy&per_page=5&page=2&lang=en"))
    assert 'aria-current="page">2<' in page
    assert re.search(r'href="/search\?type=subsidy&amp;per_page=5&amp;page=3"', page)
    assert len(result_ids(page)) == 5


def test_bad_search_parameter_is_named_and_answers_400(client):
    response = client.get("/search?level=moon&lang=en")
    assert response.status_code == 400
    assert "Choose one of the offered options for “Level”." in text(response)


def test_instrument_page_shows_facts_history_and_calendar(client):
    page = text(client.get(f"/instruments/{CHANGED_ID}?lang=en"))
    assert "Regeling die veranderde" in page
    assert "Version 2" in page and "Version 1" in page
    # The readable diff: the old and the new amount, the added theme.
    assert "Maximum amount" in page and "10000" in page and "25000" in page
    assert "<ins>innovatie</ins>" in page
    assert "by Wijzer staff" in page
    assert "editor@example.org" not in page
    assert "Similar instruments" in page


def test_instrument_calendar_is_ical(client):
    response = client.get(f"/calendar/{MALICIOUS_ID}")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    body = text(response)
    assert "BEGIN:VEVENT" in body and f"DTSTART;VALUE=DATE:{SOON:%Y%m%d}" in body


def test_unlisted_instruments_are_not_public(client):
    assert client.get(f"/instruments/{HIDDEN_ID}").status_code == 404
    assert client.get("/instruments/no-such-thing").status_code == 404
    merged = client.get(f"/instruments/{MERGED_ID}")
    assert merged.status_code == 301
    assert merged.headers["Location"].endswith(f"/instruments/{CHANGED_ID}")
    search = text(client.get("/search?q=Verborgen+regeling&lang=en"))
    assert HIDDEN_ID not in search


def test_match_ranks_and_not_relevant_removes_a_result(client):
    params = {
        "description": "Wij ontwikkelen een sensor voor waterkwaliteit en willen de "
        "haalbaarheid onderzoeken.",
        "region": "Utrecht",
        "lang": "en",
    }
    first = client.get("/match", query_string=params)
    assert first.status_code == 200
    ids = result_ids(text(first))
    assert len(ids) >= 3
    assert "Not relevant" in text(first)
    second = client.get("/match", query_string={**params, "exclude": ids[0]})
    page = text(second)
    assert ids[0] not in result_ids(page)
    assert f'name="excluded" value="{ids[0]}"' in page
    assert "1 instrument marked not relevant is hidden." in page


def test_match_without_description_names_the_field(client):
    response = client.get("/match?description=&lang=en")
    assert response.status_code == 400
    assert "description" in text(response)
    assert client.get("/match").status_code == 200


def test_overview_has_charts_and_accessible_tables(client, app):
    page = text(client.get("/overview?lang=en"))
    assert page.count("<svg") >= 6
    assert page.count("<table") >= 8
    listed = app.extensions["wijzer"].backend.info().count
    assert f"{listed} instruments are listed." in page


def test_unknown_page_is_a_friendly_404(client):
    response = client.get("/nope?lang=nl")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in text(response)


def test_match_page_words_reasons_and_blockers_in_the_page_language(client):
    params = {
        "description": "Wij ontwikkelen een sensor voor waterkwaliteit en willen de "
        "haalbaarheid onderzoeken.",
        "region": "Utrecht",
        "include_closed": "1",
    }
    dutch = text(client.get("/match", query_string={**params, "lang": "nl"}))
    english = text(client.get("/match", query_string={**params, "lang": "en"}))
    assert "regionale regeling voor Utrecht" in dutch
    assert "regional scheme for Utrecht" in english
    assert re.search(r"gesloten sinds \d+ [a-z]+ 20\d\d", dutch)
    assert re.search(r"closed since \d+ [A-Z][a-z]+ 20\d\d", english)
    for words in ("regional scheme", "closed since", "national scheme"):
        assert words not in dutch
    for words in ("regionale regeling", "gesloten sinds", "landelijke regeling"):
        assert words not in english
