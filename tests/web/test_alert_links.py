"""Alerts one click away: the search and match pages and the navigation lead to a subscribe
form that already holds the search or the company profile."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

WATER = "Wij ontwikkelen een sensor voor waterkwaliteit en willen de haalbaarheid onderzoeken."


def alert_link(page: str) -> str:
    found = re.search(r'<a class="button secondary" id="alert-me" href="([^"]+)">([^<]+)</a>', page)
    assert found, "no alert link on the page"
    return html.unescape(found.group(1))


def selected(page: str, select_id: str) -> list[str]:
    block = re.search(rf'<select id="{select_id}"[^>]*>(.*?)</select>', page, re.S)
    assert block, select_id
    return re.findall(r'<option value="([^"]*)" selected', block.group(1))


@pytest.mark.parametrize(("lang", "words"), [("nl", "Houd me op de hoogte"), ("en", "Alert me")])
def test_search_page_offers_an_alert_for_this_search(client: Any, lang: str, words: str) -> None:
    search = client.get(
        "/search",
        query_string={"q": "innovatie", "level": "national", "type": ["subsidy", "loan"]},
        headers={"Accept-Language": lang},
    )
    assert search.status_code == 200
    assert words in search.text
    form = client.get(alert_link(search.text), headers={"Accept-Language": lang})
    assert form.status_code == 200
    assert 'id="q" name="q" type="search" value="innovatie"' in form.text
    assert selected(form.text, "level") == ["national"]
    assert selected(form.text, "instrument_type") == ["subsidy", "loan"]
    assert selected(form.text, "region") == [] and selected(form.text, "theme") == []


def test_match_page_offers_an_alert_for_this_profile(client: Any) -> None:
    params = {"description": WATER, "region": "Utrecht", "wants": "loan", "amount": "200k"}
    match = client.get("/match", query_string={**params, "lang": "en"})
    assert match.status_code == 200
    form = client.get(alert_link(match.text))
    assert 'name="kind" value="profile"' in form.text
    assert f">{WATER}</textarea>" in form.text
    assert re.search(r'<option value="Utrecht"\s+selected', form.text)
    assert re.search(r'value="loan" id="wants-loan"\s+checked', form.text)
    assert 'name="amount"' in form.text and 'value="200k"' in form.text


@pytest.mark.parametrize(("lang", "words"), [("nl", "E-mailattenderingen"), ("en", "Email alerts")])
def test_alerts_are_in_the_main_navigation(client: Any, lang: str, words: str) -> None:
    home = client.get(f"/?lang={lang}").text
    nav = re.search(r'<nav class="main-nav".*?</nav>', home, re.S)
    assert nav and f'href="/alerts/subscribe" >{words}</a>' in nav.group(0)


@pytest.mark.parametrize(
    ("lang", "said", "other"),
    [
        ("nl", "Beschrijf uw bedrijf in een paar zinnen", "is empty"),
        ("en", "Describe your company in a few sentences", "Beschrijf"),
    ],
)
def test_match_form_says_what_to_fix_in_the_page_language(
    client: Any, lang: str, said: str, other: str
) -> None:
    page = client.get("/match", query_string={"description": "", "lang": lang})
    assert page.status_code == 400
    error = page.text.split('role="alert"', 1)[1].split("</div>", 1)[0]
    assert said in error and other not in error
    bad = client.get(
        "/match", query_string={"description": WATER, "region": "Atlantis", "lang": lang}
    )
    assert bad.status_code == 400 and "Atlantis" not in bad.text.split('role="alert"', 1)[1][:300]
