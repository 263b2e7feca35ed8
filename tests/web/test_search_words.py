"""The search page in the reader's language: refused searches say what to change in words, and
an amount band or deadline window (the overview's bars link to them) survives new filters."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from flask import Flask

from wijzer.search.query import QueryError, QueryErrorCode
from wijzer.web.field_errors import field_message, search_message
from wijzer.web.presentation import amount_input

# Refused searches -> the advice a Dutch and an English reader get.
REFUSED = {
    "deadline_from=31-03-2027": (
        "Schrijf de datum als jaar-maand-dag",
        "Write the date as year-month-day",
    ),
    "deadline_from=2027-05-01&deadline_to=2027-04-01": (
        "wissel de twee datums om",
        "swap the two dates",
    ),
    "amount_min=500000&amount_max=1000": (
        "wissel de twee bedragen om",
        "swap the two amounts",
    ),
    "amount_min=veel": ("Schrijf het bedrag als een aantal euro", "Write the amount as a number"),
    "level=moon": ("Niveau", "Level"),
    "type=gift": ("Soort regeling", "Type of instrument"),
    "sort=cheapest": ("Sorteer op", "Sort by"),
    "page=0": ("begin opnieuw bij de eerste pagina", "start again from the first page"),
    "closes_within=30&deadline_from=2027-01-01": ("niet allebei", "not both"),
    "closes_within=7": ("“Deadline”", "“Deadline”"),
}
# Words of the English reasons the search gives the API and the logs.
RAW_REASON = re.compile(
    r"is not a date|is not a number|unknown |expected |"
    r"must be between|not offered|cannot be combined|deadline_from|amount_min|closes_within"
)


def _error_box(page: str) -> str:
    box = lxml.html.fromstring(page).xpath("//*[@role='alert']")
    assert box, "the page shows no error box"
    return " ".join(box[0].text_content().split())


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("query", sorted(REFUSED))
def test_a_refused_search_says_what_to_change_in_the_pages_language(
    client: Any, query: str, lang: str
) -> None:
    response = client.get(f"/search?{query}&lang={lang}")
    assert response.status_code == 400
    box = _error_box(response.text)
    dutch, english = REFUSED[query]
    assert (dutch if lang == "nl" else english) in box
    assert RAW_REASON.search(box) is None, box
    if lang == "nl" and dutch != english:
        assert english not in box


# A parameter each code is raised for; a code added without advice fails the test below.
CODE_SAMPLES = {
    QueryErrorCode.INVALID: "sort",
    QueryErrorCode.DEADLINES_REVERSED: "deadline_to",
    QueryErrorCode.AMOUNTS_REVERSED: "amount_max",
    QueryErrorCode.DEADLINES_COMBINED: "closes_within",
}


def test_every_query_error_code_has_its_own_advice_in_both_languages(app: Flask) -> None:
    assert set(CODE_SAMPLES) == set(QueryErrorCode)
    advice: dict[str, dict[QueryErrorCode, str]] = {}
    for lang in ("nl", "en"):
        with app.test_request_context(f"/?lang={lang}"):
            generic = field_message("(none)")
            # No English reason: the code alone chooses the advice.
            advice[lang] = {
                code: search_message(QueryError(parameter, "", code))
                for code, parameter in CODE_SAMPLES.items()
            }
            assert generic not in advice[lang].values(), advice[lang]
    for code in QueryErrorCode:
        assert advice["nl"][code] != advice["en"][code], code  # translated
    assert len(set(advice["en"].values())) == len(QueryErrorCode), advice["en"]


def _form_fields(page: str) -> list[tuple[str, str]]:
    """What the search form sends when the reader presses "Apply filters" unchanged."""
    form = lxml.html.fromstring(page).get_element_by_id("search-form")
    fields = []
    for field in form.xpath(".//input[@name]|.//select[@name]"):
        if field.tag == "select":
            value = field.value or ""
        elif field.get("type") in ("checkbox", "radio") and field.get("checked") is None:
            continue
        else:
            value = field.get("value", "")  # a browser sends value="" as empty, lxml as "on"
        if value:
            fields.append((field.get("name"), value))
    return fields


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_an_amount_band_survives_applying_filters_and_can_be_removed(
    client: Any, lang: str
) -> None:
    first = client.get(f"/search?amount_min=25001&amount_max=100000&lang={lang}")
    assert first.status_code == 200
    fields = _form_fields(first.text)
    assert ("amount_min", amount_input(25001)) in fields
    assert ("amount_max", amount_input(100000)) in fields
    chips = " ".join(
        lxml.html.fromstring(first.text).get_element_by_id("active-filters").itertext()
    )
    words = (
        "Bedrag van € 25.001 tot € 100.000" if lang == "nl" else "Amount from €25,001 to €100,000"
    )
    assert words in " ".join(chips.replace("\xa0", " ").split())
    # Re-applying the filters (here: ticking a level) keeps the band, so the list stays narrow.
    again = client.get("/search", query_string=[*fields, ("level", "national")])
    assert again.status_code == 200, (fields, _error_box(again.text))
    narrowed = lxml.html.fromstring(again.text)
    found = narrowed.get_element_by_id("results-heading").text_content()
    everything = lxml.html.fromstring(client.get("/search?level=national").text)
    assert found != everything.get_element_by_id("results-heading").text_content()
    # The chip's link drops the band and keeps the other choices.
    link = narrowed.xpath("//*[@id='active-filters']//a/@href")[0]
    kept = parse_qs(urlsplit(link).query)
    assert kept["level"] == ["national"] and not {"amount_min", "amount_max"} & set(kept)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_a_deadline_window_survives_applying_filters_and_is_named_in_words(
    client: Any, lang: str
) -> None:
    start = dt.date.today()
    end = start + dt.timedelta(days=60)
    first = client.get(
        f"/search?deadline_from={start.isoformat()}&deadline_to={end.isoformat()}&lang={lang}"
    )
    assert first.status_code == 200
    fields = _form_fields(first.text)
    assert ("deadline_from", start.isoformat()) in fields
    assert ("deadline_to", end.isoformat()) in fields
    # The "closes within" buckets give way to the window, so the two never collide.
    assert ("closes_within", "30") not in lxml.html.fromstring(first.text).xpath(
        "//input[@name='closes_within']/@value"
    )
    chips = lxml.html.fromstring(first.text).get_element_by_id("active-filters").text_content()
    assert ("Sluitingsdatum tussen" if lang == "nl" else "Deadline between") in chips
    assert start.isoformat() not in chips  # a date in words, not a raw ISO value
    again = client.get("/search", query_string=[*fields, ("sort", "deadline")])
    assert again.status_code == 200
    assert ("deadline_to", end.isoformat()) in _form_fields(again.text)


def test_a_refused_search_offers_to_search_again_with_the_same_words(client: Any) -> None:
    page = lxml.html.fromstring(client.get("/search?q=water&deadline_from=gisteren&lang=nl").text)
    links = page.xpath("//*[@role='alert']//a/@href")
    assert [parse_qs(urlsplit(link).query) for link in links] == [{"q": ["water"]}]
