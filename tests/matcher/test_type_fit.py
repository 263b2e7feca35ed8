"""The kind of money asked for: only an instrument of that kind is said to fit it.

A tax credit's text says "credit" and a guarantee's says "loan"; a subsidy states a range of
its own. None of them is the loan a bakery asks for, so none is reported as one, and a range of
another kind of money does not count as holding the need. Checked in Dutch and English.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wijzer.i18n.wording import render_all
from wijzer.matcher.explain import Fit, assess, score_parts
from wijzer.matcher.profile import parse_profile
from wijzer.matcher.understanding import understand

TODAY = dt.date(2026, 6, 1)
BASE: dict[str, Any] = {
    "id": "x-scheme",
    "title": "Regeling",
    "level": "national",
    "regions": [],
    "deadlines": ["2026-09-17"],
    "themes": [],
}
TAX_CREDIT = {
    "title": "Research & Development tax credit (WBSO)",
    "summary": "Tax credit on the wage costs of research and development; a loan is not needed.",
    "instrument_type": "tax_credit",
}
GUARANTEE = {
    "title": "Borgstellingskrediet",
    "summary": "De overheid staat borg voor een deel van een lening of krediet van de bank.",
    "instrument_type": "guarantee",
}
SUBSIDY_UP_TO = {
    "title": "R&D-samenwerking",
    "summary": "Subsidie voor onderzoek in een samenwerking van bedrijven.",
    "instrument_type": "subsidy",
    "amount_max": 500_000.0,
}
LOAN = {
    "title": "Microkrediet",
    "summary": "Een lening of krediet voor kleine ondernemers.",
    "instrument_type": "loan",
    "amount_max": 250_000.0,
}
BAKERY = [
    ("Bakkerij in Utrecht zoekt een lening van 50.000 euro.", "nl"),
    ("A bakery in Utrecht is looking for a loan of 50,000 euros.", "en"),
]


def fit(description: str, language: str, record: dict[str, Any], **profile: Any) -> Fit:
    parsed = parse_profile({"description": description, "language": language, **profile})
    return assess(parsed, {**BASE, **record}, understand(description), TODAY)


def texts(result: Fit, language: str) -> list[str]:
    return render_all(result.reasons, language)


def says_loan_fits(lines: list[str]) -> bool:
    """A reason that calls the instrument a loan for the reader."""
    return any(
        ("lening" in t or "loan" in t) and "garantie" not in t and "guarantee" not in t
        for t in lines
    )


@pytest.mark.parametrize(("description", "language"), BAKERY)
def test_a_tax_credit_is_not_said_to_fit_a_loan(description: str, language: str) -> None:
    result = fit(description, language, TAX_CREDIT)
    said = [r.params["concepts"] for r in result.reasons if r.code == "matches_terms"]
    assert not any("loan" in concepts for concepts in said)
    assert not says_loan_fits(texts(result, "nl")) and not says_loan_fits(texts(result, "en"))
    # A loan is said to be the kind asked for, in the reader's language.
    loan = fit(description, language, LOAN)
    assert "soort die u noemt: lening" in texts(loan, "nl")
    assert "the kind you mention: loan" in texts(loan, "en")


@pytest.mark.parametrize(("description", "language"), BAKERY)
def test_a_guarantee_is_said_to_back_a_bank_loan_not_to_be_one(
    description: str, language: str
) -> None:
    result = fit(description, language, GUARANTEE)
    assert result.reasons[0].code == "guarantees_loan"
    assert texts(result, "nl")[0] == (
        "een garantie op een banklening, zodat de bank kan lenen wat ze zonder garantie niet leent"
    )
    assert texts(result, "en")[0] == (
        "a guarantee on a bank loan, so a bank can lend what it would not lend without it"
    )
    assert not any(t.startswith(("past bij", "matches")) for t in texts(result, "nl"))
    # Neither the kind asked for nor another: it ranks between a loan and a subsidy.
    assert fit(description, language, {**LOAN, "amount_max": None}).adjustment > result.adjustment
    assert result.adjustment > fit(description, language, SUBSIDY_UP_TO).adjustment


@pytest.mark.parametrize(("description", "language"), BAKERY)
def test_a_range_of_another_kind_of_money_does_not_hold_the_need(
    description: str, language: str
) -> None:
    subsidy = fit(description, language, SUBSIDY_UP_TO)
    assert "amount_in_range" not in [r.code for r in subsidy.reasons]
    assert not any("500.000" in t for t in texts(subsidy, "nl"))
    assert not any("500,000" in t for t in texts(subsidy, "en"))
    loan = fit(description, language, LOAN)
    assert "uw €\xa050.000 blijft binnen het maximum van €\xa0250.000" in texts(loan, "nl")
    assert "your €50,000 is within the maximum of €250,000" in texts(loan, "en")
    # The subsidy's own kind of money, asked for, does hold the need.
    asked = fit(description, language, SUBSIDY_UP_TO, wants=["subsidy"])
    assert "amount_in_range" in [r.code for r in asked.reasons]


@pytest.mark.parametrize(("description", "language"), BAKERY)
def test_a_kind_named_only_in_the_text_sinks_other_kinds(description: str, language: str) -> None:
    named = fit(description, language, SUBSIDY_UP_TO).adjustment
    unnamed = fit("Bakkerij in Utrecht.", language, SUBSIDY_UP_TO).adjustment
    assert named < unnamed
    # ... by less than a kind the profile states it wants.
    stated = fit(description, language, SUBSIDY_UP_TO, wants=["loan"]).adjustment
    assert stated < named


def test_score_parts_name_each_rules_share() -> None:
    description = "Bakkerij in Utrecht zoekt een lening van 50.000 euro."
    profile = parse_profile({"description": description, "language": "nl"})
    understood = understand(description)
    subsidy = score_parts(profile, {**BASE, **SUBSIDY_UP_TO}, understood, TODAY)
    loan = score_parts(profile, {**BASE, **LOAN}, understood, TODAY)
    # Another kind sinks and its range counts for nothing; the loan's range and kind count.
    assert dict(subsidy)["type"] < 0 and "amount" not in dict(subsidy)
    assert dict(loan)["type"] > 0 and dict(loan)["amount"] > 0
    # The parts are the whole adjustment the matcher adds.
    assert sum(w for _, w in loan) == pytest.approx(fit(description, "nl", LOAN).adjustment)
