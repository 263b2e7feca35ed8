"""Euro amounts in Dutch and English: what a scheme offers and what a company says it needs."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wijzer.catalog.facts.amounts import extract_amounts
from wijzer.catalog.facts.source import Facts, FactSource
from wijzer.catalog.money import find_amounts, find_ranges, parse_amount, parse_number


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("20.000", 20_000),
        ("2,5", 2.5),
        ("1.5", 1.5),
        ("1,500,000", 1_500_000),
        ("1.500.000,50", 1_500_000.5),
        ("1,500,000.50", 1_500_000.5),
        ("200 000", 200_000),
        ("200\u00a0000", 200_000),
        ("0,500", 0.5),
    ],
)
def test_numbers_in_dutch_and_english_notation(raw: str, value: float) -> None:
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    "raw",
    [
        *("", "nan", "NaN", "inf", "-inf", "Infinity", "1e5", "abc", "1.500.00", "1,5,5"),
        *("12..5", "9" * 16, "1" + ".000" * 6, "٣"),
    ],
)
def test_what_is_no_number_is_none(raw: str) -> None:
    assert parse_number(raw) is None


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("€ 20.000", [20_000]),
        ("2,5 miljoen euro", [2_500_000]),
        ("EUR 1.5 million", [1_500_000]),
        ("EUR 250k", [250_000]),
        ("€ 10 mln. subsidie", [10_000_000]),
        ("€ 1,5 mln", [1_500_000]),
        ("€4,4 miljoen", [4_400_000]),
        ("€ 2 ton", [200_000]),
        ("€ 5.000,- per project", [5_000]),
        ("1 miljard euro", [1e9]),
        ("max. 50% van de kosten", []),
        ("6 medewerkers, TRL 5, opgericht in 2021", []),
        ("Horizon Europe 2021-2027", []),
        # A currency sign before a number belongs to that number, not to the year before it.
        ("Total budget 2025 € 50,000,000; credit covers max 45%", [50_000_000]),
        ("€ 10.000, 20 projecten", [10_000]),
    ],
)
def test_amounts_stated_with_a_currency(text: str, values: list[float]) -> None:
    assert [a.value for a in find_amounts(text)] == values


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("we zoeken 200k", 200_000),
        ("ongeveer 2 ton nodig", 200_000),
        ("een lening van € 1,5 mln", 1_500_000),
        ("about 1.5 million euro", 1_500_000),
        ("€ 50.000 voor een prototype", 50_000),
        ("EUR 300,000 for the pilot", 300_000),
        ("EUR 250k for a pilot line", 250_000),
        ("a 30.000 euro loan", 30_000),
        ("tussen € 15.000 en € 50.000", 50_000),
        ("6 medewerkers, TRL 5, opgericht in 2021", None),
        ("we rennen 5 m", None),  # metres, not millions, without a currency
    ],
)
def test_the_amount_a_company_needs(text: str, amount: float | None) -> None:
    assert parse_amount(text) == amount


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("tussen € 15.000 en € 50.000", 15_000, 50_000),
        ("between EUR 15,000 and EUR 50,000", 15_000, 50_000),
        ("van € 10.000 tot en met € 50.000", 10_000, 50_000),
        ("€ 10.000 t/m € 50.000", 10_000, 50_000),
        ("€ 15.000 - 50.000", 15_000, 50_000),
        ("participaties van € 1 – 5 miljoen", 1_000_000, 5_000_000),
        ("financiering van 2,5 tot 25 miljoen euro", 2_500_000, 25_000_000),
        ("€ 500.000 tot 2 mln", 500_000, 2_000_000),
        ("Equity from €0.5 to €15 million", 500_000, 15_000_000),
    ],
)
def test_ranges_give_both_ends(text: str, low: float, high: float) -> None:
    [found] = find_ranges(text)
    assert (found.low, found.high) == (low, high)
    assert [a.value for a in find_amounts(text)] == [low, high]


@pytest.mark.parametrize(
    "text",
    [
        "minimaal € 50.000 en maximaal € 350.000",  # two limits, not one range
        "€ 10.000 en € 20.000",  # a list: "en" links a range only after "tussen"
        "€ 500 tot 2030",  # until a year
        "van 1 tot 30 juni 2025",  # dates
        "€ 50 mln tot € 2 mln",  # high end below the low end
    ],
)
def test_what_is_no_range(text: str) -> None:
    assert find_ranges(text) == []


def amounts(text: str) -> dict[str, float]:
    """The amounts a record whose page says `text` gets (catalog.facts reads with money)."""
    facts = Facts()
    extract_amounts(FactSource(title="Regeling", body=text), facts)
    return facts.values


def test_amount_roles_follow_the_words_before_them() -> None:
    assert amounts("subsidie tot en met € 50.000 per aanvrager")["amount_max"] == 50_000
    ranged = amounts("Leningen tussen € 15.000 en € 50.000; fonds gestart met € 1 miljoen.")
    assert ranged == {"amount_min": 15_000, "amount_max": 50_000, "budget_total": 1e6}
    assert amounts("Een lening van € 10.000 tot en met € 50.000")["amount_min"] == 10_000
    assert amounts("Er is een budget van € 10 mln. beschikbaar") == {"budget_total": 10_000_000}


@pytest.mark.parametrize(
    "text",
    [
        "€ 99999999999999999999",
        "EUR 1" + "0" * 40,
        "€ 1.000.000 miljard",
        "€ nan",
        "€ inf",
        "EUR NaN million",
        "€ -",
        "€€€",
        "2 ton staal",  # weight: a record's amount names a currency
    ],
)
def test_garbage_and_absurd_numbers_are_no_amount(text: str) -> None:
    assert find_amounts(text) == []
    assert amounts(text) == {}


@given(st.text(max_size=200))
def test_any_text_reads_as_finite_amounts_or_none(text: str) -> None:
    needed = parse_amount(text)
    assert needed is None or (math.isfinite(needed) and 0 < needed <= 1e13)
    for amount in find_amounts(text):
        assert math.isfinite(amount.value) and text[amount.start : amount.end].strip()


@given(st.integers(min_value=1, max_value=10**12))
def test_whole_euros_read_back_in_both_notations(value: int) -> None:
    dutch = f"€ {value:,}".replace(",", ".")
    english = f"EUR {value:,}"
    assert [a.value for a in find_amounts(dutch)] == [value]
    assert [a.value for a in find_amounts(english)] == [value]
