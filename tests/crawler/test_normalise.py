"""Normalisation units: dates, amounts, language, places, types, themes and HTML sanitising."""

from __future__ import annotations

import datetime as dt

import pytest

from wijzer.catalog.dates import deadline_dates, parse_date, parse_range
from wijzer.catalog.enrichment import (
    infer_instrument_type,
    infer_sizes,
    infer_stages,
    infer_themes,
)
from wijzer.catalog.vocabulary.places import province_of_nuts, provinces_in
from wijzer.crawler.normalise.html import html_to_text, sanitise_html, summarise
from wijzer.crawler.normalise.language import detect_language, notice_language

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("tot en met 9 september 2021", D(2021, 9, 9)),
        ("17-09-2024", D(2024, 9, 17)),
        ("uiterlijk 1 maart 2025 om 17.00 uur", D(2025, 3, 1)),
        ("Closing date: September 17, 2024", D(2024, 9, 17)),
        ("deadline 3 Sept. 2026", D(2026, 9, 3)),
        ("2021-03-18+01:00", D(2021, 3, 18)),
        ("op 31 februari 2025", None),
        ("geen datum", None),
    ],
)
def test_parse_date(text: str, expected: D | None) -> None:
    assert parse_date(text) == expected


def test_date_ranges_give_opening_and_closing() -> None:
    assert parse_range("1 June–3 September 2026") == (D(2026, 6, 1), D(2026, 9, 3))
    assert parse_range("van 1 t/m 30 juni 2025") == (D(2025, 6, 1), D(2025, 6, 30))
    assert parse_range("1 april 2025") is None


def test_deadlines_come_from_application_sentences_only() -> None:
    text = (
        "Gepubliceerd op 13 maart 2014. Laatst gecontroleerd op 1 maart 2024.\n"
        "U kunt aanvragen indienen tot en met 17 september 2024 om 17.00 uur."
    )
    assert deadline_dates(text) == (None, [D(2024, 9, 17)])
    opens, deadlines = deadline_dates(
        "The application period is open from 1 June–3 September 2026."
    )
    assert opens == D(2026, 6, 1) and deadlines == [D(2026, 9, 3)]


def test_language_is_dutch_or_english() -> None:
    assert detect_language("Subsidie voor mkb-ondernemers die samen innoveren") == "nl"
    assert detect_language("Credit for innovative technological development projects") == "en"
    assert detect_language("ok", default="en") == "en"
    assert notice_language("NLD") == "nl" and notice_language("FRA") == "en"


def test_places_map_to_provinces() -> None:
    assert provinces_in("Gemeenten Heemstede en Bloemendaal") == ("Noord-Holland",)
    assert provinces_in("in Noord-Brabant en Limburg") == ("Noord-Brabant", "Limburg")
    assert provinces_in("Wageningen University") == ("Gelderland",)
    assert provinces_in("The Netherlands") == ()
    assert province_of_nuts("NL33") == "Zuid-Holland"
    assert province_of_nuts("NL414") == "Noord-Brabant"
    assert province_of_nuts("NL") is None and province_of_nuts("FRD22") is None


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("Innovatiekrediet: Voorwaarden", "", "loan"),
        ("SME loan guarantee scheme (BMKB)", "", "guarantee"),
        ("Energy Investment Allowance (EIA)", "", "tax_credit"),
        ("Seed Capital", "", "equity"),
        ("MIT: R&D-Samenwerkingsprojecten", "De subsidie is maximaal € 200.000.", "subsidy"),
        ("Raamovereenkomst onderhoud openbare verlichting", "", "procurement"),
        ("Over ons", "", "subsidy"),
    ],
)
def test_instrument_type_rules(title: str, body: str, expected: str) -> None:
    assert infer_instrument_type(title, body) == expected


def test_themes_sizes_and_stages_from_keywords() -> None:
    text = "Subsidie voor mkb'ers en startups die werken aan waterstof en circulaire productie"
    assert {"energietransitie_duurzaamheid", "circulaire_economie"} <= set(infer_themes(text))
    assert {"small", "medium"} <= set(infer_sizes(text))
    assert "startup" in infer_stages(text)
    assert infer_themes("Over ons en contact") == []


def test_html_is_sanitised_before_storage() -> None:
    dirty = '<p onclick="x()">Hallo <script>alert(1)</script><a href="javascript:x">k</a></p>'
    clean = sanitise_html(dirty)
    assert "script" not in clean and "onclick" not in clean and "javascript" not in clean
    assert "Hallo" in clean
    assert html_to_text("<p>Een</p><ul><li>twee</li></ul>") == "Een\ntwee"
    assert summarise("Eerste zin. " * 60, limit=100).endswith(".")
