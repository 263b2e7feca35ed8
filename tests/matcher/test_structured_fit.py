"""Structured fit on instruments that state size, stage and amounts (the seed states none)."""

from __future__ import annotations

import datetime as dt

from wijzer.i18n.wording import render_all
from wijzer.matcher.explain import assess
from wijzer.matcher.profile import parse_profile
from wijzer.matcher.reasons import Kind
from wijzer.matcher.understanding import understand

TODAY = dt.date(2026, 6, 1)
RECORD = {
    "id": "x-growth-loan",
    "title": "Groeilening",
    "summary": "Lening voor groeiende bedrijven.",
    "level": "national",
    "regions": [],
    "instrument_type": "loan",
    "sizes": ["medium", "large"],
    "stages": ["scaleup"],
    "amount_min": 150_000.0,
    "amount_max": 1_000_000.0,
    "deadlines": ["2026-09-17"],
    "opens_at": None,
    "themes": [],
}


def test_size_stage_and_amount_blockers() -> None:
    profile = parse_profile(
        {
            "description": "Kleine startup zoekt een lening van 50k",
            "language": "nl",
            "size": "micro",
            "stage": "startup",
        }
    )
    fit = assess(profile, RECORD, understand(profile.description), TODAY)
    assert [(b.code, dict(b.params)) for b in fit.blockers] == [
        ("size_only", {"sizes": ["medium", "large"]}),
        ("stage_only", {"stages": ["scaleup"]}),
        ("starts_at", {"amount": 150_000.0}),
    ]
    assert all(b.kind == Kind.BLOCKER for b in fit.blockers)
    assert render_all(fit.blockers, "nl") == [
        "alleen voor omvang: middelgroot (50–249 fte) of groot (250+ fte)",
        "alleen voor fase: scale-up",
        "pas vanaf €\xa0150.000",
    ]
    assert "sluit op 17 september 2026" in render_all(fit.reasons, "nl")
    assert "closes on 17 September 2026" in render_all(fit.reasons, "en")
    assert fit.adjustment < -1  # three blockers sink it


def test_fitting_size_stage_and_amount_are_reasons() -> None:
    profile = parse_profile(
        {
            "description": "Scale-up needs a loan of € 1,5 mln to grow",
            "language": "en",
            "size": "medium",
            "stage": "scaleup",
            "wants": ["loan"],
        }
    )
    fit = assess(profile, RECORD, understand(profile.description), TODAY)
    assert fit.blockers == []
    english = render_all(fit.reasons, "en")
    assert "covers up to €1,000,000 of €1,500,000" in english
    assert "the kind you want: loan" in english
    assert "size: medium (50–249 staff) or large (250+ staff)" in english
    assert "stage: scale-up" in english
    dutch = render_all(fit.reasons, "nl")
    assert "dekt tot €\xa01.000.000 van €\xa01.500.000" in dutch
    assert "soort die u zoekt: lening" in dutch
    within = parse_profile({"description": "We need 200k", "language": "en"})
    fits = assess(within, RECORD, understand("We need 200k"), TODAY).reasons
    assert "your €200,000 lies within the €150,000–€1,000,000 the source states" in render_all(
        fits, "en"
    )
    assert "uw €\xa0200.000 valt binnen de €\xa0150.000–€\xa01.000.000 die de bron noemt" in (
        render_all(fits, "nl")
    )


def test_a_scheme_only_for_fund_managers_blocks_a_company() -> None:
    profile = parse_profile(
        {"description": "Bakkerij in Utrecht zoekt een lening van 50.000 euro", "language": "nl"}
    )
    understood = understand(profile.description)
    for_funds = {**RECORD, "sizes": [], "stages": [], "amount_min": None, "amount_max": None}
    fit = assess(profile, {**for_funds, "applicants": ["fund_manager"]}, understood, TODAY)
    assert [(b.code, dict(b.params)) for b in fit.blockers] == [
        ("applicant_only", {"applicants": ["fund_manager"]})
    ]
    assert render_all(fit.blockers, "nl") == ["alleen voor: fondsen en financiers"]
    # A scheme that names companies among its applicants, or names none, does not block.
    for applicants in (["sme", "fund_manager"], []):
        fit = assess(profile, {**for_funds, "applicants": applicants}, understood, TODAY)
        assert fit.blockers == []
