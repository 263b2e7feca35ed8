"""Structured fit from the facts a record stores: amount, who applies, area, size and purpose.

Each blocker and fit is checked in Dutch and English, with the source's sentence quoted where
the record has it, and unknown facts neither block nor fit.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wijzer.i18n.wording import render_all
from wijzer.matcher.explain import Fit, assess
from wijzer.matcher.profile import parse_profile
from wijzer.matcher.reasons import Kind
from wijzer.matcher.understanding import understand

TODAY = dt.date(2026, 6, 1)
BASE: dict[str, Any] = {
    "id": "x-scheme",
    "title": "Regeling",
    "summary": "",
    "level": "national",
    "regions": [],
    "instrument_type": "subsidy",
    "deadlines": ["2026-09-17"],
    "themes": [],
}


def fit(description: str, record: dict[str, Any], **profile: Any) -> Fit:
    parsed = parse_profile({"description": description, **profile})
    return assess(parsed, {**BASE, **record}, understand(description), TODAY)


def codes(found: list[Any]) -> list[str]:
    return [r.code for r in found]


def blocker_texts(result: Fit) -> tuple[list[str], list[str]]:
    return render_all(result.blockers, "nl"), render_all(result.blockers, "en")


def reason_texts(result: Fit) -> tuple[list[str], list[str]]:
    return render_all(result.reasons, "nl"), render_all(result.reasons, "en")


EMERGENCY_LOAN = {
    "instrument_type": "loan",
    "amount_min": 15_000.0,
    "amount_max": 50_000.0,
    "evidence": {"amount_max": {"quote": "Leningen tussen € 15.000 en € 50.000.", "origin": "x"}},
}


@pytest.mark.parametrize(
    ("description", "language"),
    [
        ("Startup in Eindhoven zoekt € 250.000 voor een haalbaarheidsstudie.", "nl"),
        ("Startup in Eindhoven needs €250k for a feasibility study.", "en"),
    ],
)
def test_a_small_loan_blocks_a_need_far_above_its_maximum(description: str, language: str) -> None:
    result = fit(description, EMERGENCY_LOAN, language=language)
    assert codes(result.blockers) == ["lends_up_to"]
    assert result.blockers[0].quote == "Leningen tussen € 15.000 en € 50.000."
    assert blocker_texts(result) == (
        ["leent of investeert hoogstens €\xa050.000; u zoekt €\xa0250.000"],
        ["lends or invests at most €50,000; you need €250,000"],
    )


def test_a_fund_of_millions_blocks_a_small_need_in_both_languages() -> None:
    fund = {"instrument_type": "equity", "amount_min": 2_000_000.0, "amount_max": 10_000_000.0}
    for description in ("Wij zoeken € 30.000.", "We need €30,000."):
        result = fit(description, fund)
        assert codes(result.blockers) == ["starts_at"]
        assert blocker_texts(result) == (["pas vanaf €\xa02.000.000"], ["starts at €2,000,000"])


def test_the_tolerance_keeps_a_need_near_the_range_and_a_subsidy_covers_part() -> None:
    # €20M against a €15M maximum: within the factor 1.5 a round can combine financiers.
    equity = {"instrument_type": "equity", "amount_min": 500_000.0, "amount_max": 15_000_000.0}
    assert fit("We raise €20 million.", equity).blockers == []
    # A subsidy pays a capped share of a bigger project: context, never a blocker.
    subsidy = {"amount_max": 20_000.0}
    result = fit("Wij zoeken € 250.000 voor een haalbaarheidsstudie.", subsidy)
    assert result.blockers == []
    nl, en = reason_texts(result)
    assert "dekt tot €\xa020.000 van €\xa0250.000" in nl
    assert "covers up to €20,000 of €250,000" in en


def test_an_amount_within_the_range_is_a_fit_quoting_the_source() -> None:
    for description, text in (
        ("Wij zoeken € 30.000 voor voorraad.", "uw €\xa030.000 valt binnen de"),
        ("We need €30,000 for stock.", "your €30,000 lies within the"),
    ):
        result = fit(description, EMERGENCY_LOAN)
        found = next(r for r in result.reasons if r.code == "amount_in_range")
        assert found.kind == Kind.FIT
        assert found.quote == "Leningen tussen € 15.000 en € 50.000."
        assert any(t.startswith(text) for t in [*reason_texts(result)[0], *reason_texts(result)[1]])


FOR_FUNDS = {
    "applicants": ["fund_manager"],
    "evidence": {"applicants": {"quote": "Lening aan regionale financiers.", "origin": "title"}},
}
FOR_HUBS = {"applicants": ["intermediary"], "level": "eu"}
FOR_CONSORTIA = {
    "applicants": ["consortium"],
    "evidence": {
        "applicants.consortium": {"quote": "Minimaal 2 mkb'ers werken samen.", "origin": "x"}
    },
}


@pytest.mark.parametrize(
    ("record", "nl", "en"),
    [
        (FOR_FUNDS, "alleen voor: fondsen en financiers", "only for: funds and financiers"),
        (
            FOR_HUBS,
            "alleen voor: innovatiehubs en ondersteuningsorganisaties",
            "only for: innovation hubs and support organisations",
        ),
        (
            FOR_CONSORTIA,
            "alleen voor een samenwerking van meerdere organisaties; u noemt geen partner",
            "only for a collaboration of several organisations; you name no partner",
        ),
    ],
)
def test_who_may_apply_blocks_a_single_company(record: dict[str, Any], nl: str, en: str) -> None:
    result = fit("Wij zijn een bakkerij in Utrecht en zoeken geld voor een oven.", record)
    assert len(result.blockers) == 1
    assert blocker_texts(result) == ([nl], [en])


def test_fund_scheme_blocker_quotes_the_source() -> None:
    result = fit("A bakery in Utrecht needs a loan for an oven.", FOR_FUNDS)
    assert result.blockers[0].quote == "Lening aan regionale financiers."


def test_a_hub_scheme_fits_a_hub_and_a_consortium_scheme_fits_partners() -> None:
    hub = fit(
        "Wij zijn de stichting achter een European Digital Innovation Hub voor het mkb.", FOR_HUBS
    )
    assert hub.blockers == []
    assert "open voor innovatiehubs en ondersteuningsorganisaties, zoals u" in reason_texts(hub)[0]
    partners = fit("Four SMEs want to develop a product together with a university.", FOR_CONSORTIA)
    assert partners.blockers == []
    found = next(r for r in partners.reasons if r.code == "collaboration_fits")
    assert found.kind == Kind.FIT and found.quote == "Minimaal 2 mkb'ers werken samen."
    nl, en = reason_texts(partners)
    assert "voor een samenwerking, zoals u die van plan bent" in nl
    assert "for a collaboration, as you plan one" in en


def test_the_profiles_own_kind_among_the_applicants_is_a_fit() -> None:
    record = {
        "applicants": ["sme", "startup"],
        "evidence": {"applicants.sme": {"quote": "Voor mkb'ers in Nederland.", "origin": "x"}},
    }
    result = fit("Small company needs funding.", record, size="small")
    found = next(r for r in result.reasons if r.code == "applicants_fit")
    assert found.params["applicants"] == ["sme"] and found.quote == "Voor mkb'ers in Nederland."
    nl, en = reason_texts(result)
    assert "open voor mkb, zoals u" in nl and "open to SMEs, as you are" in en


def test_a_scheme_for_companies_of_any_size_is_not_said_to_be_for_smes() -> None:
    record = {
        "applicants": ["sme", "large_company"],
        "evidence": {
            "applicants": {
                "quote": "The WBSO encourages innovation at companies doing research.",
                "origin": "x",
            }
        },
    }
    result = fit("Kleine bakkerij zoekt financiering.", record, size="small")
    found = next(r for r in result.reasons if r.code == "applicants_fit")
    assert found.params["applicants"] == ["sme", "large_company"]
    nl, en = reason_texts(result)
    assert any(r.startswith("open voor mkb en grote bedrijven, zoals u") for r in nl)
    assert any(r.startswith("open to SMEs and large companies, as you are") for r in en)


@pytest.mark.parametrize(
    "quote",
    ["SME credit guarantee scheme (BMKB)", "Popular subsidies and schemes for business owners"],
)
def test_a_title_or_heading_is_not_quoted_as_the_sources_sentence(quote: str) -> None:
    record = {
        "title": "SME credit guarantee scheme (BMKB)",
        "applicants": ["sme"],
        "evidence": {"applicants.sme": {"quote": quote, "origin": "x"}},
    }
    result = fit("Small company needs funding.", record, size="small")
    found = next(r for r in result.reasons if r.code == "applicants_fit")
    # The fit stands; only the quote, which would say no more than the title, is left out.
    assert found.quote is None
    nl, en = reason_texts(result)
    assert "open voor mkb, zoals u" in nl and "open to SMEs, as you are" in en


DEVELOPING = {
    "geography": "emerging markets and developing countries",
    "evidence": {"geography": {"quote": "Voor projecten in ontwikkelingslanden.", "origin": "x"}},
}


def test_developing_countries_block_a_home_project_and_fit_one_abroad() -> None:
    home = fit("Wij ontwikkelen een AI-sensor voor de zorg in Eindhoven.", DEVELOPING)
    assert codes(home.blockers) == ["area_only"]
    assert home.blockers[0].quote == "Voor projecten in ontwikkelingslanden."
    assert blocker_texts(home) == (
        ["alleen voor projecten in opkomende markten en ontwikkelingslanden"],
        ["only for projects in emerging markets and developing countries"],
    )
    abroad = fit("We want to run a pilot with growers in Morocco and Egypt.", DEVELOPING)
    assert abroad.blockers == []
    nl, en = reason_texts(abroad)
    assert "voor projecten in opkomende markten en ontwikkelingslanden, waar u zit" in nl
    assert "for projects in emerging markets and developing countries, where you are" in en


def test_an_area_of_provinces_blocks_outside_and_fits_inside() -> None:
    north = {"level": "regional", "geography": "Noord-Nederland"}
    outside = fit("Bedrijf zoekt risicokapitaal.", north, region="Utrecht")
    assert blocker_texts(outside) == (
        ["alleen voor Noord-Nederland"],
        ["only for the Northern Netherlands"],
    )
    inside = fit("Company seeks risk capital.", north, region="Groningen")
    assert inside.blockers == []
    nl, en = reason_texts(inside)
    assert "voor Noord-Nederland, waar u zit" in nl
    assert "for the Northern Netherlands, where you are" in en


def test_a_large_company_is_blocked_by_an_sme_only_scheme() -> None:
    sme_only = {
        "sizes": ["micro", "small", "medium"],
        "evidence": {"sizes": {"quote": "Alleen mkb-ondernemers kunnen aanvragen.", "origin": "x"}},
    }
    result = fit("Wij zijn een multinational met 2000 medewerkers.", sme_only, size="large")
    assert codes(result.blockers) == ["size_only"]
    assert result.blockers[0].quote == "Alleen mkb-ondernemers kunnen aanvragen."
    nl, en = blocker_texts(result)
    assert nl == [
        "alleen voor omvang: micro (<10 fte), klein (10–49 fte) of middelgroot (50–249 fte)"
    ]
    assert en == ["only for size: micro (<10 staff), small (10–49 staff) or medium (50–249 staff)"]


def test_the_purpose_of_the_money_fits_or_is_context() -> None:
    feasibility = {
        "purposes": ["feasibility"],
        "evidence": {
            "purposes.feasibility": {
                "quote": "Subsidie voor een haalbaarheidsstudie.",
                "origin": "x",
            }
        },
    }
    for description in ("Wij willen een haalbaarheidsstudie doen.", "We plan a feasibility study."):
        result = fit(description, feasibility)
        found = next(r for r in result.reasons if r.code == "purpose_fits")
        assert found.kind == Kind.FIT and found.quote == "Subsidie voor een haalbaarheidsstudie."
    nl, en = reason_texts(result)
    assert "het geld is voor haalbaarheidsonderzoek, waarvoor u het nodig hebt" in nl
    assert "the money is for feasibility study, as you need it" in en
    investment = fit("We need €30,000 to buy stock.", {"purposes": ["investment"]})
    other = next(r for r in investment.reasons if r.code == "purpose_other")
    assert other.kind == Kind.CONTEXT and investment.blockers == []
    nl, en = reason_texts(investment)
    assert "het geld is voor investeringen" in nl and "the money is for investment" in en


def test_one_source_sentence_is_quoted_once_per_result() -> None:
    sentence = "Subsidie tot € 500.000 voor een haalbaarheidsstudie."
    record = {
        "amount_max": 500_000.0,
        "purposes": ["feasibility"],
        "evidence": {
            "amount_max": {"quote": sentence, "origin": "x"},
            "purposes.feasibility": {"quote": sentence, "origin": "x"},
        },
    }
    for description in (
        "Wij zoeken € 250.000 voor een haalbaarheidsstudie.",
        "We need €250,000 for a feasibility study.",
    ):
        result = fit(description, record)
        # Both facts still fit; the sentence is shown under the first of them only.
        assert [(r.code, r.quote) for r in result.reasons if r.kind == Kind.FIT] == [
            ("amount_in_range", sentence),
            ("purpose_fits", None),
        ]


def test_unknown_facts_neither_block_nor_fit_and_are_named() -> None:
    result = fit("Wij zoeken € 250.000 voor een haalbaarheidsstudie.", {}, size="large")
    assert result.blockers == []
    assert result.adjustment == 0.0  # nothing the source does not state counts either way
    nl, en = reason_texts(result)
    assert "niet vermeld door de bron: wie mag aanvragen, het bedrag en waarvoor het geld is" in nl
    assert "not stated by the source: who may apply, the amount and what the money is for" in en


def test_generic_context_never_fills_the_reasons_alone() -> None:
    result = fit("Wij zoeken iets.", {"deadlines": []})
    kinds = [r.kind for r in result.reasons]
    assert Kind.FIT in kinds
    assert codes(result.reasons)[0] == "similar_description"
    nl, en = reason_texts(result)
    assert nl[0] == "lijkt op de beschrijving van uw bedrijf"
    assert en[0] == "close to your company description"


def test_context_true_whoever_asks_is_not_a_reason_and_each_fit_is_said_once() -> None:
    feasibility = {
        "purposes": ["feasibility"],
        "summary": "Subsidie voor een haalbaarheidsstudie van een innovatieproject.",
    }
    for description in ("Wij willen een haalbaarheidsstudie doen.", "We plan a feasibility study."):
        result = fit(description, feasibility)
        assert "national_scheme" not in codes(result.reasons)
        nl, en = reason_texts(result)
        assert "landelijke regeling" not in nl and "national scheme" not in en
        # The purpose is said once, as a sentence, not again as "past bij: haalbaarheid".
        assert codes(result.reasons).count("purpose_fits") == 1
        assert not any(t.startswith("past bij") and "haalbaarheid" in t for t in nl)
        assert not any(t.startswith("matches") and "feasibility" in t for t in en)
    # The wanted type likewise: "the kind you want: loan", not also "matches: loan".
    loan = fit(
        "Wij zoeken een lening.",
        {"instrument_type": "loan", "summary": "Een lening."},
        wants=["loan"],
    )
    nl, en = reason_texts(loan)
    assert "soort die u zoekt: lening" in nl
    assert not any(t.startswith("past bij") and "lening" in t for t in nl)


INVESTS_THROUGH_FUNDS = {
    "instrument_type": "equity",
    "applicants": ["fund_manager"],
    "evidence": {
        "applicants.fund_manager": {
            "quote": "Het fonds investeert in venture capital fondsen.",
            "origin": "x",
        }
    },
}


@pytest.mark.parametrize(
    ("description", "language"),
    [
        ("Wij zijn een scale-up en halen € 8 miljoen aan risicokapitaal op.", "nl"),
        ("We are a scale-up raising an €8 million equity round.", "en"),
    ],
)
def test_investment_through_funds_is_a_soft_blocker_for_a_company_raising_equity(
    description: str, language: str
) -> None:
    result = fit(description, INVESTS_THROUGH_FUNDS, language=language, wants=["equity"])
    assert codes(result.blockers) == ["through_financiers"]
    assert result.blockers[0].quote == "Het fonds investeert in venture capital fondsen."
    assert blocker_texts(result) == (
        ["gaat naar fondsen of financiers, niet naar bedrijven: u vraagt aan bij een van hen"],
        ["paid to funds or financiers, not to companies: you apply to one of them"],
    )


def test_money_for_funds_blocks_a_company_that_needs_a_loan() -> None:
    for description in ("Ik zoek een lening voor een bedrijfsbus.", "I need a loan for a van."):
        result = fit(description, INVESTS_THROUGH_FUNDS, wants=["loan"])
        assert codes(result.blockers) == ["applicant_only"]
        assert blocker_texts(result) == (
            ["alleen voor: fondsen en financiers"],
            ["only for: funds and financiers"],
        )


def test_an_area_restricts_regional_records_only_and_unnamed_provinces_never_block() -> None:
    # A national record whose text names a region (one of its windows) is not restricted.
    national = fit("Wij zoeken subsidie.", {"geography": "Zuid-Nederland"}, region="Utrecht")
    assert national.blockers == []
    regional = fit(
        "We need a grant.", {"level": "regional", "geography": "Zuid-Nederland"}, region="Utrecht"
    )
    assert codes(regional.blockers) == ["area_only"]
    # No source names the provinces of the German-Dutch border region: unknown, no fit either.
    border = {"level": "regional", "geography": "grensregio Duitsland-Nederland"}
    for region in ("Utrecht", "Gelderland"):
        result = fit("Wij zoeken subsidie.", border, region=region)
        # Its one blocker is the partner across the border it asks for, not the area.
        assert codes(result.blockers) == ["partners_abroad"]
        assert "area_fits" not in codes(result.reasons)


def test_a_closed_dated_round_sinks_below_the_closed_record_of_a_recurring_scheme() -> None:
    closed = {"deadlines": ["2025-09-17"]}
    scheme = fit(
        "Wij willen een haalbaarheidsstudie doen.", {**closed, "title": "MIT: Haalbaarheid"}
    )
    round_ = fit("We plan a feasibility study.", {**closed, "title": "MIT Haalbaarheid (2021)"})
    for result in (scheme, round_):
        assert codes(result.blockers) == ["closed_since"]
        assert blocker_texts(result) == (
            ["gesloten sinds 17 september 2025"],
            ["closed since 17 September 2025"],
        )
    assert scheme.closed and round_.closed
    assert round_.adjustment < scheme.adjustment


@pytest.mark.parametrize(
    ("description", "region"),
    [
        (
            "Wij leveren software voor waterbeheer aan gemeenten en zoeken een aanbesteding.",
            "Zuid-Holland",
        ),
        ("We supply water-management software to public buyers and look for tenders.", "Utrecht"),
    ],
)
def test_a_tender_in_another_province_is_open_to_bidders_from_anywhere(
    description: str, region: str
) -> None:
    # A tender's province is where the buyer is; anyone may bid (JUDGEMENTS, FACTS: `any`).
    tender = {
        "instrument_type": "procurement",
        "level": "regional",
        "regions": ["Gelderland"],
        "applicants": ["any"],
    }
    result = fit(description, tender, region=region)
    assert result.blockers == []
    scheme = fit(description, {**tender, "instrument_type": "subsidy"}, region=region)
    assert codes(scheme.blockers) == ["region_only"]


def test_investments_abroad_block_a_home_project_and_fit_one_abroad() -> None:
    abroad_only = {
        "instrument_type": "loan",
        "geography": "investments abroad",
        "evidence": {
            "geography": {
                "quote": "Voor Nederlandse ondernemers die in het buitenland willen investeren.",
                "origin": "x",
            }
        },
    }
    home = fit("Wij bouwen een nieuwe fabriek in Deventer.", abroad_only)
    assert codes(home.blockers) == ["area_only"]
    assert blocker_texts(home) == (
        ["alleen voor investeringen in het buitenland"],
        ["only for investments abroad"],
    )
    abroad = fit("We want to build a plant in Morocco and invest there.", abroad_only)
    assert abroad.blockers == []


@pytest.mark.parametrize(
    ("description", "language"),
    [
        ("Bakkerij in Utrecht zoekt een lening van 50.000 euro voor een nieuwe oven.", "nl"),
        ("Bakery in Utrecht looking for a loan of €50,000 for a new oven.", "en"),
    ],
)
def test_a_subsidy_range_says_nothing_of_the_loan_asked(description: str, language: str) -> None:
    # The demo's bakery and a feasibility subsidy of up to €20,000: "covers €20,000 of €50,000"
    # read as if the subsidy paid part of the loan.
    subsidy = {"amount_max": 20_000.0, "title": "MIT: Haalbaarheidsproject Utrecht"}
    result = fit(description, subsidy, language=language)
    assert "covers_up_to" not in codes([*result.reasons, *result.blockers])
    nl, en = reason_texts(result)
    assert not any("dekt tot" in text for text in nl)
    assert not any("covers up to" in text for text in en)
    # A loan of the same range does speak of the need: it lends too little.
    loan = fit(description, {"instrument_type": "loan", "amount_max": 20_000.0}, language=language)
    assert codes(loan.blockers) == ["lends_up_to"]
    assert blocker_texts(loan) == (
        ["leent of investeert hoogstens €\xa020.000; u zoekt €\xa050.000"],
        ["lends or invests at most €20,000; you need €50,000"],
    )


INTERREG_VL_NL = {
    "level": "regional",
    "geography": "grensregio Vlaanderen-Nederland",
    "applicants": ["sme", "large_company", "consortium", "knowledge_institution"],
    "evidence": {
        "applicants.consortium": {
            "quote": "Subsidie voor grensoverschrijdende samenwerkingsprojecten van bedrijven "
            "en kennisinstellingen in de grensregio Vlaanderen-Nederland.",
            "origin": "x",
        }
    },
}
HORIZON_CONSORTIUM = {"level": "eu", "applicants": ["consortium"]}


@pytest.mark.parametrize(
    ("description", "record", "language"),
    [
        (
            "Drie mkb-bedrijven uit Zeeland willen samen een prefab-module ontwikkelen en zoeken "
            "subsidie voor dit samenwerkingsproject.",
            INTERREG_VL_NL,
            "nl",
        ),
        (
            "Four Dutch SMEs want to develop a recycling process together and look for a grant "
            "for this collaboration.",
            HORIZON_CONSORTIUM,
            "en",
        ),
        ("Bakkerij in Zeeland zoekt een lening van 50.000 euro.", INTERREG_VL_NL, "nl"),
    ],
)
def test_a_consortium_across_borders_needs_a_partner_abroad(
    description: str, record: dict[str, Any], language: str
) -> None:
    result = fit(description, record, language=language)
    assert codes(result.blockers) == ["partners_abroad"]
    assert "collaboration_fits" not in codes(result.reasons)
    assert blocker_texts(result) == (
        [
            "voor een samenwerking met partners uit andere landen; u noemt geen partner in het "
            "buitenland"
        ],
        ["for a collaboration with partners in other countries; you name no partner abroad"],
    )
    quote = record.get("evidence", {}).get("applicants.consortium", {}).get("quote")
    assert result.blockers[0].quote == quote
    # A soft blocker: the company may still find a partner, so it sinks less than one that
    # rules it out (another province, another applicant).
    assert -1.0 < result.adjustment < 0.0


@pytest.mark.parametrize(
    ("description", "record"),
    [
        (
            "Wij willen samen met een Vlaams bedrijf en een hogeschool een grensoverschrijdend "
            "innovatieproject starten.",
            INTERREG_VL_NL,
        ),
        (
            "We want to develop a welding robot together with a German machine builder.",
            HORIZON_CONSORTIUM,
        ),
    ],
)
def test_a_partner_abroad_makes_a_consortium_across_borders_fit(
    description: str, record: dict[str, Any]
) -> None:
    result = fit(description, record)
    assert result.blockers == []
    assert "collaboration_fits" in codes(result.reasons)


@pytest.mark.parametrize(
    "description",
    [
        "Wij zijn een tuinbouwtoeleverancier uit het Westland en willen een demonstratieproject "
        "met telers in Marokko doen.",
        "We are a Westland greenhouse supplier and want to run a demonstration project with "
        "growers in Morocco.",
    ],
)
def test_a_scheme_for_projects_abroad_fits_a_project_there_as_a_province_does(
    description: str,
) -> None:
    abroad = fit(
        description,
        {"geography": "emerging markets and developing countries", "purposes": ["demonstration"]},
        region="Zuid-Holland",
    )
    provincial = fit(
        description,
        {"level": "regional", "regions": ["Zuid-Holland"], "purposes": ["demonstration"]},
        region="Zuid-Holland",
    )
    assert "area_fits" in codes(abroad.reasons) and abroad.blockers == []
    assert abroad.adjustment >= provincial.adjustment


# A Horizon Europe research and innovation action names no consortium in its own text: the
# type of action is what makes it a call for partners from three countries.
HORIZON_RIA = {
    "level": "eu",
    "title": "Living labs to enhance soil health",
    "summary": "Horizon Europe topic (HORIZON Research and Innovation Actions) under call 'Soil'.",
    "purposes": ["research", "development"],
    "evidence": {
        "purposes": {
            "quote": "Horizon Europe topic (HORIZON Research and Innovation Actions) under call "
            "'Soil'.",
            "origin": "summary",
        }
    },
}


@pytest.mark.parametrize(
    ("description", "language"),
    [
        ("Wij zijn een mkb-bedrijf en willen een bodemsensor ontwikkelen.", "nl"),
        ("We are an SME developing a soil sensor.", "en"),
    ],
)
def test_a_horizon_research_and_innovation_action_needs_a_partner_abroad(
    description: str, language: str
) -> None:
    result = fit(description, HORIZON_RIA, language=language)
    assert codes(result.blockers) == ["partners_abroad"]
    assert result.blockers[0].quote == HORIZON_RIA["evidence"]["purposes"]["quote"]
    # With partners from abroad named, the same call blocks nothing.
    partnered = fit(
        "We develop a soil sensor together with a German and a Spanish research institute.",
        HORIZON_RIA,
        language="en",
    )
    assert "partners_abroad" not in codes(partnered.blockers)
    # A coordination and support action may go to one organisation.
    support = {
        **HORIZON_RIA,
        "summary": "Horizon Europe topic (HORIZON Coordination and Support Actions).",
    }
    assert "partners_abroad" not in codes(fit(description, support, language=language).blockers)
