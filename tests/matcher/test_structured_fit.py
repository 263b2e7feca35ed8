"""Structured fit on instruments that state size, stage and amounts (the seed states none)."""

from __future__ import annotations

import datetime as dt

from wijzer.matcher.explain import assess
from wijzer.matcher.profile import parse_profile
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


def test_size_stage_and_amount_blockers_in_dutch() -> None:
    profile = parse_profile(
        {
            "description": "Kleine startup zoekt een lening van 50k",
            "language": "nl",
            "size": "micro",
            "stage": "startup",
        }
    )
    fit = assess(profile, RECORD, understand(profile.description), TODAY)
    assert "alleen voor middelgroot (50–249 fte), groot (250+ fte)" in fit.blockers
    assert "alleen voor scale-up" in fit.blockers
    assert "pas vanaf € 150.000" in fit.blockers
    assert "sluit op 17 september 2026" in fit.reasons


def test_fitting_size_stage_and_amount_are_reasons_in_english() -> None:
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
    assert "covers up to € 1,000,000 of € 1,500,000" in fit.reasons
    assert "the kind you want: loan" in fit.reasons
    assert "closes on 17 Sept 2026" in fit.reasons
    within = parse_profile({"description": "We need 200k", "language": "en"})
    assert (
        "amount fits: € 200,000"
        in assess(within, RECORD, understand("We need 200k"), TODAY).reasons
    )
