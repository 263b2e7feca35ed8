"""Query understanding: amounts, places, synonyms and abbreviations, KIA themes, types."""

from __future__ import annotations

import pytest

from wijzer.matcher.understanding import parse_amount, understand


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("we zoeken 200k", 200_000),
        ("ongeveer 2 ton nodig", 200_000),
        ("een lening van € 1,5 mln", 1_500_000),
        ("about 1.5 million euro", 1_500_000),
        ("€ 50.000 voor een prototype", 50_000),
        ("EUR 300,000 for the pilot", 300_000),
        ("6 medewerkers, TRL 5, opgericht in 2021", None),
    ],
)
def test_amounts(text: str, amount: float | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("Startup uit Eindhoven", "Noord-Brabant"),
        ("Delft university spin-off", "Zuid-Holland"),
        ("a company in North Brabant", "Noord-Brabant"),
        ("Wij zitten in Maastricht", "Limburg"),
        ("Een bedrijf zonder plaats", None),
    ],
)
def test_places(text: str, region: str | None) -> None:
    assert understand(text).region == region


def test_synonyms_and_abbreviations_expand_both_languages() -> None:
    understood = understand("Kmo zoekt VFF of een lening voor haalbaarheid")
    expansion = {w.lower() for w in understood.expansion}
    assert {"mkb", "vroegefasefinanciering", "loan", "credit", "feasibility"} <= expansion
    assert "loan" in understood.types


def test_kia_themes_and_types() -> None:
    understood = understand("We want to invest in a heat pump; which tax credit applies?")
    assert "energietransitie_duurzaamheid" in understood.themes
    assert "tax_credit" in understood.types
    assert understand("aanbesteding voor gemeenten").types == ["procurement"]
