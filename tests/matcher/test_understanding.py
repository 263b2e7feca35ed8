"""Query understanding: amounts, places, synonyms and abbreviations, KIA themes, types."""

from __future__ import annotations

import pytest

from wijzer.matcher.understanding import understand


def test_the_amount_needed_is_read_by_the_catalog_money_reader() -> None:
    # The forms themselves are tested with the reader (tests/catalog/test_money.py).
    assert understand("we zoeken ongeveer 2 ton").amount == 200_000
    assert understand("6 medewerkers, TRL 5, opgericht in 2021").amount is None


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


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        # Finding out whether something works is a feasibility study, as in a record.
        ("Wij willen onderzoeken of de dosering in de praktijk werkt", ["feasibility"]),
        ("We want to test whether the dosing works in practice", ["feasibility"]),
        # A stage the company has passed is not what it asks money for.
        (
            "De haalbaarheid hebben we al aangetoond, maar nu zoeken we geld voor de ontwikkeling",
            ["development"],
        ),
        (
            "We have already demonstrated feasibility and now need money to develop it",
            ["development"],
        ),
        ("Geld voor speur- en ontwikkelingswerk", ["research", "development"]),
    ],
)
def test_what_the_money_is_for_is_read_by_the_rules_records_are_read_by(
    text: str, purposes: list[str]
) -> None:
    assert understand(text).purposes == purposes


@pytest.mark.parametrize(
    ("text", "collaborates", "abroad"),
    [
        ("Wij willen samen met een Duitse machinebouwer een lasrobot ontwikkelen.", True, True),
        ("Drie Utrechtse mkb-bedrijven willen samen een isolatiesysteem ontwikkelen.", True, False),
        ("We work with partners from Germany, Denmark and Norway on coastal defence.", True, True),
        ("Four SMEs from Venlo and Helmond look for a grant for their collaboration.", True, False),
        # A market abroad is no partner abroad.
        ("To roll it out in Germany and France we need €2.5 million.", False, False),
    ],
)
def test_a_partner_abroad_is_read_from_the_collaboration(
    text: str, collaborates: bool, abroad: bool
) -> None:
    found = understand(text)
    assert (found.collaborates, found.partners_abroad) == (collaborates, abroad)
