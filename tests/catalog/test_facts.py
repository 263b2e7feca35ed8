"""Facts read from real Dutch and English sentences of the source corpus, each with its quote.

The sentences are copied from `shared/data` (RVO, KVK/business.gov.nl, provinces, ROMs, EIC
and third-party notes); what a test asserts is what a reader of the page would conclude.
"""

from __future__ import annotations

import datetime as dt

import pytest

from wijzer.catalog.fact_records import with_facts
from wijzer.catalog.facts import FactSource, extract
from wijzer.catalog.facts.purposes import purposes_stated
from wijzer.catalog.facts.units import PARAPHRASE
from wijzer.catalog.schema import InstrumentRecord

DAY = dt.date(2026, 11, 27)


def facts(body: str = "", *, title: str = "Regeling", **source: object) -> dict[str, object]:
    return extract(FactSource(title=title, body=body, **source)).facts.values  # type: ignore[arg-type]


def quote(body: str, fact: str, *, title: str = "Regeling", **source: object) -> str:
    found = extract(FactSource(title=title, body=body, **source)).facts  # type: ignore[arg-type]
    return found.evidence[fact].quote


# --- amounts ---------------------------------------------------------------------------------

MIT_NL = (
    "Kleine R&D-Samenwerkingsprojecten\n\nBij kleine R&D-Samenwerkingsprojecten zijn de "
    "subsidiabele kosten maximaal € 571.428. De subsidie is minimaal € 50.000 en maximaal "
    "€ 200.000 per innovatieproject, waarvan minimaal € 25.000 en\n\nLandelijk budget\n\n"
    "Het landelijk budget is € 3.115.000, waarvan maximaal 50% voor grote "
    "R&D-Samenwerkingsprojecten is."
)


def test_dutch_amounts_per_project_and_the_budget_with_their_sentences() -> None:
    found = facts(MIT_NL, title="MIT: R&D-Samenwerkingsprojecten")
    # Eligible costs and the share "waarvan minimaal € 25.000" are no support amounts.
    assert (found["amount_min"], found["amount_max"]) == (50_000, 200_000)
    assert found["budget_total"] == 3_115_000
    assert "minimaal € 50.000 en maximaal € 200.000 per innovatieproject" in quote(
        MIT_NL, "amount_max", title="MIT: R&D-Samenwerkingsprojecten"
    )
    assert quote(MIT_NL, "budget_total").startswith("Het landelijk budget is € 3.115.000")


EUROSTARS_EN = (
    "The Ministry of Economic Affairs and Climate Policy allocates € 22 million yearly, divided "
    "over 2 calls per year.\nFunding rates\nThe funding rates for Eurostars projects are:\n"
    "- SME: 50%\n- Large company: 40%\nThe maximum subsidy is € 500,000 per project for the "
    "Dutch project share."
)


def test_english_maximum_per_project_and_yearly_budget() -> None:
    found = facts(EUROSTARS_EN, title="Eurostars")
    assert found["amount_max"] == 500_000 and "amount_min" not in found
    assert found["budget_total"] == 22_000_000
    assert quote(EUROSTARS_EN, "amount_max").startswith("The maximum subsidy is € 500,000")


def test_a_fund_scheme_counts_the_amount_per_company_not_the_loan_to_the_fund() -> None:
    text = (
        "De Staat kan uw fonds een lening verschaffen van maximaal € 1 miljoen.\n"
        "Een Seed Business Angel fonds kan minimaal € 50.000 en maximaal € 500.000 investeren "
        "per technostarter."
    )
    found = facts(text, title="Seed Business Angels")
    assert (found["amount_min"], found["amount_max"]) == (50_000, 500_000)


@pytest.mark.parametrize(
    "text",
    [
        # A minimum project size (Innovatiekrediet) is no amount the applicant gets.
        "Uw project moet een minimale omvang hebben van € 150.000.",
        # A percentage alone states no amount.
        "Met het Innovatiekrediet financiert RVO maximaal 45% van het project.",
        # The cost of an investment (MIA/Vamil) is what the company spends.
        "It concerns a new product costing at least €2,500.",
        # Turnover limits (BMKB) describe the company.
        "Your business has an annual revenue of up to €50 million.",
        # "2 ton" without euro: tonnes or euros, the text does not say; never a guess.
        "Bedrijven kunnen een lening van 2 ton krijgen.",
    ],
)
def test_what_is_not_an_amount_per_applicant_stays_unknown(text: str) -> None:
    found = facts(text)
    assert "amount_min" not in found and "amount_max" not in found


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("Leningen van € 15.000 tot en met € 50.000 voor startende ondernemers.", 15_000, 50_000),
        ("De subsidie bedraagt maximaal € 1,5 mln per project.", None, 1_500_000),
        ("Convertible loans of at most EUR 250k per startup.", None, 250_000),
        ("Bright Move noodfonds: loans between EUR 15,000 and EUR 50,000", 15_000, 50_000),
        ("Een lening van maximaal € 2 ton per onderneming.", None, 200_000),
    ],
)
def test_odd_forms_of_amounts_are_read(text: str, low: float | None, high: float) -> None:
    found = facts(text)
    assert found.get("amount_min") == low and found["amount_max"] == high


def test_a_maximum_cut_off_in_the_text_leaves_the_maximum_unknown() -> None:
    # innovationquarter.nl: three project types, the largest maximum is cut off mid-sentence.
    text = (
        "- Innovatie-adviesprojecten (met maximaal € 10.000 subsidie en maximaal 50% subsidie "
        "van de projectkosten) hebben betrekking op een MKB-ondernemer.\n"
        "- Haalbaarheidsproject (met maximaal € 25.000 subsidie en maximaal 40% subsidie van de "
        "projectkosten) moeten de risico's in kaart brengen.\n"
        "- R&D-samenwerkingsprojecten (klein met maximaal € 200.000 subsidie en groot met "
        "maximaal €"
    )
    assert "amount_max" not in facts(text, title="€ 10 mln. subsidie voor innovatief MKB")


def test_on_a_page_about_two_schemes_each_gets_its_own_amount() -> None:
    # thirdparty note behind MIT: Kennisvoucher (shared with the feasibility project).
    note = (
        "MIT instruments: haalbaarheidsproject (40% of eligible costs, max EUR 20,000, max 1 "
        "year), kennisvoucher (max 50% of knowledge-institution invoice, "
        "max voucher value EUR 3,750)"
    )
    assert facts(note, title="MIT: Kennisvoucher")["amount_max"] == 3_750


# --- who may apply, sizes, purposes, geography ----------------------------------------------


def test_dutch_applicants_sizes_and_purposes() -> None:
    text = (
        "Bent u mkb’er en werkt u met andere mkb'ers samen om producten, productieprocessen of "
        "diensten te ontwikkelen of vernieuwen? Het project bestaat uit industrieel onderzoek "
        "en/of experimentele ontwikkeling."
    )
    found = facts(text, title="MIT: R&D-Samenwerkingsprojecten")
    assert {"sme", "consortium"} <= set(found["applicants"])  # type: ignore[arg-type]
    assert set(found["sizes"]) == {"micro", "small", "medium"}  # type: ignore[arg-type]
    assert {"research", "development"} <= set(found["purposes"])  # type: ignore[arg-type]
    assert "mkb’er" in quote(text, "applicants", title="MIT: R&D-Samenwerkingsprojecten")


def test_english_applicants_name_knowledge_institutions_and_consortia() -> None:
    text = (
        "Universities and research institutes can only apply for funding if a Dutch company "
        "participates in the consortium."
    )
    found = facts(text, title="Eurostars")
    assert {"knowledge_institution", "consortium"} <= set(found["applicants"])  # type: ignore[arg-type]


def test_fund_managers_apply_to_fund_schemes_and_tenders_are_open_to_anyone() -> None:
    text = (
        "Wilt u als investeerder start-ups ondersteunen met financiering en uw kennis, netwerk "
        "en ervaring? Maak dan gebruik van de Seed Capital-regeling."
    )
    assert "fund_manager" in facts(text, title="Seed Capital")["applicants"]  # type: ignore[operator]
    tender = facts(
        "Raamovereenkomst onderhoud openbare verlichting.", instrument_type="procurement"
    )
    assert tender["applicants"] == ["any"]
    assert tender["purposes"] == ["procurement_contract"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Vroegefasefinanciering (VFF) voor regionale financiers",
            "Leningen aan innovatieve starters minimaal € 50.000. Geldleningen die worden "
            "verstrekt aan een mkb'er moeten gelijk zijn aan de inleg.",
        ),
        (
            "Seed Capital",
            "Renteloze geldlening aan investeringsfondsen die investeren in technostarters.",
        ),
        (
            "Seed Business Angels",
            "A loan from the State to a fund of 2 business angels who invest in start-ups.",
        ),
    ],
)
def test_where_funds_apply_the_companies_they_invest_in_are_no_applicants(
    title: str, text: str
) -> None:
    # FACTS.md: funds and financiers → fund_manager; the startups are the final recipients.
    assert facts(text, title=title)["applicants"] == ["fund_manager"]


def test_a_lender_that_is_itself_a_fund_still_lends_to_companies() -> None:
    text = "Het fonds verstrekt leningen aan startups in Brabant."
    assert facts(text, title="Brabant Startup Fonds")["applicants"] == ["startup"]


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        (
            "Fonds Economische Agenda Startkapitaal",
            "Fonds van € 60 miljoen voor innovatieve bedrijven in Groningen; via de NOM kunnen "
            "ondernemers financiering aanvragen van 2,5 tot 25 miljoen euro.",
        ),
        (
            "Dutch Good Growth Fund (DGGF) – part for Dutch entrepreneurs",
            "A revolving fund for Dutch entrepreneurs who invest abroad and seek finance; "
            "the minister contributes to these funds.",
        ),
    ],
)
def test_where_companies_apply_through_a_fund_the_companies_are_the_applicants(
    title: str, summary: str
) -> None:
    # The fund or development company is where they apply, not who applies.
    assert facts("", title=title, summary=summary)["applicants"] == ["sme", "large_company"]


@pytest.mark.parametrize(
    ("title", "text"),
    [
        (
            "Dutch Trade and Investment Fund (DTIF) onderdeel 1",
            "Financiering (leningen en garantstellingen) om investeringen van ondernemingen in "
            "DTIF-landen te stimuleren.",
        ),
        (
            "Innovation Fund",
            "The investment fund offers financing to companies that develop new products.",
        ),
    ],
)
def test_a_fund_named_in_the_singular_or_financing_is_no_fund_manager(
    title: str, text: str
) -> None:
    # "Investment Fund" is the scheme's own name; "financiering" is the money, not a financier.
    assert facts(text, title=title)["applicants"] == ["sme", "large_company"]


@pytest.mark.parametrize(
    ("heading", "sentence"),
    [
        (
            "Populaire subsidies en regelingen voor ondernemers",
            "De WBSO stimuleert innovatie bij startups die speur- en ontwikkelingswerk doen.",
        ),
        (
            "Popular subsidies and schemes for business owners",
            "The WBSO encourages innovation at startups doing research and development (R&D).",
        ),
    ],
)
def test_a_page_heading_is_no_evidence_of_who_may_apply(heading: str, sentence: str) -> None:
    found = extract(FactSource(title="WBSO", body=f"{heading}\n{sentence}")).facts
    # The heading names companies of any size; the sentence says startups.
    assert found.values["applicants"] == ["startup"]
    assert found.evidence["applicants"].quote == sentence


def test_schemes_for_innovation_hubs_are_for_hubs_not_the_smes_they_serve() -> None:
    found = facts(
        "",
        title="Consolidation of the Network of European Digital Innovation Hubs (EDIH)",
        summary="So EDIHs keep providing services for the digital transformation of local SMEs.",
    )
    assert found["applicants"] == ["intermediary"]


def test_an_up_to_product_below_a_range_leaves_no_minimum() -> None:
    text = (
        "Microcredit is a business loan up to €50,000 for business owners; an SME loan is a "
        "€50,000 to €250,000 business loan."
    )
    found = facts(text, title="Microcredit and SME loan")
    assert "amount_min" not in found
    assert found["amount_max"] == 250_000


def test_companies_of_no_stated_size_are_smes_and_large_companies_alike() -> None:
    text = "The WBSO encourages innovation at companies doing research and development (R&D)."
    assert facts(text)["applicants"] == ["sme", "large_company"]
    assert "sizes" not in facts(text)


@pytest.mark.parametrize(
    "text",
    [
        "Het krediet dekt 45% van het project (klein 45%, groot 25% zonder samenwerking). Het "
        "percentage hangt af van de grootte van uw bedrijf en een eventuele samenwerking.",
        "The credit covers 45% of the project (small 45%, large 25% without collaboration). It "
        "depends on the size of your company and whether you work in a possible partnership.",
    ],
)
def test_collaboration_named_as_an_option_is_no_requirement(text: str) -> None:
    assert facts(text)["applicants"] == ["sme", "large_company"]


@pytest.mark.parametrize(
    ("partner", "restricted"),
    [
        (
            "U werkt multidisciplinair, waarbij mkb-bedrijven samenwerken met leveranciers en "
            "gebruikers.",
            "Subsidie voor mkb'ers die samen een product ontwikkelen.",
        ),
        (
            "You follow a multidisciplinary approach, where small and medium enterprises (SMEs) "
            "work together with suppliers and users.",
            "Only SMEs can apply for this subsidy.",
        ),
    ],
)
def test_smes_named_as_partners_do_not_restrict_the_size(partner: str, restricted: str) -> None:
    assert "sizes" not in facts(partner)
    assert set(facts(restricted)["sizes"]) == {"micro", "small", "medium"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [
        "Een innovatie-adviesproject is voor een mkb-ondernemer die een kennisinstelling "
        "inschakelt. Doelgroep: mkb-ondernemers en academische, hbo- en TO2-starters.",
        "An advice project is for an SME that hires a knowledge institution. Companies can work "
        "together with a university; the scheme is aimed at SMEs and academic starters.",
    ],
)
def test_a_knowledge_institution_a_company_hires_is_no_applicant(text: str) -> None:
    assert "knowledge_institution" not in facts(text)["applicants"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "De gemeente Bloemendaal besteedt het onderhoud van de openbare verlichting aan.",
        "The municipality tenders the maintenance of street lighting; universities may bid too.",
    ],
)
def test_a_tender_is_open_to_any_bidder_not_the_buyer_it_names(text: str) -> None:
    assert facts(text, instrument_type="procurement")["applicants"] == ["any"]


def test_an_sme_limit_restricts_the_size() -> None:
    text = (
        "If you have a business in the Netherlands and employ no more than 250 workers (you have "
        "an SME), you may be eligible for a guarantee for part of a loan."
    )
    assert set(facts(text)["sizes"]) == {"micro", "small", "medium"}  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "level", "regions", "expected"),
    [
        (
            "only startups from the province of Zuid-Holland can apply",
            "regional",
            ("Zuid-Holland",),
            "Zuid-Holland",
        ),
        (
            "Your business is established in the Netherlands, Bonaire, Saba, or St. Eustatius.",
            "national",
            (),
            "Netherlands",
        ),
        (
            "Subsidy for Dutch SMEs' new activities in emerging markets and developing countries.",
            "national",
            (),
            "emerging markets and developing countries",
        ),
        (
            "Bedrijven in Groningen en Noord-Drenthe kunnen vanaf vandaag financiering aanvragen.",
            "regional",
            (),
            "Groningen en Noord-Drenthe",
        ),
    ],
)
def test_geography_beyond_the_provinces(
    text: str, level: str, regions: tuple[str, ...], expected: str
) -> None:
    assert facts(text, level=level, regions=regions)["geography"] == expected


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A heading above one row of a table of regional budgets restricts no one.
        (
            "Regionaal budget\nRegio Zuid\nHet regionaal budget voor 2024 is nog niet bekend.",
            "national",
        ),
        (
            "Regional budget\nSouthern Netherlands\nThe regional budget is not yet known.",
            "national",
        ),
        # A border region the text does not name is no particular one.
        ("Projecten in de grensregio versterken de samenwerking.", "regional"),
        ("Projects in the cross-border region strengthen cooperation.", "regional"),
        # A common noun written as part of a name is no area.
        (
            "Invest International is een joint venture van de Staat en de Nederlandse "
            "Financierings-maatschappij voor Ontwikkelingslanden.",
            "national",
        ),
        (
            "The fund is run by the Netherlands Development Finance Company for Developing "
            "Countries, a joint venture.",
            "national",
        ),
    ],
)
def test_an_area_only_mentioned_restricts_no_one(text: str, level: str) -> None:
    assert "geography" not in facts(text, level=level)


@pytest.mark.parametrize(
    "text",
    [
        "Een onderdeel voor Nederlandse ondernemers die in het buitenland willen investeren.",
        "A part of the fund for Dutch entrepreneurs who want to invest abroad.",
    ],
)
def test_a_scheme_for_investing_abroad_is_restricted_to_investments_abroad(text: str) -> None:
    assert facts(text)["geography"] == "investments abroad"


@pytest.mark.parametrize(
    ("text", "absent", "present"),
    [
        (
            "Wij hebben onderzoek gedaan naar het fonds voor ondernemers die in het buitenland "
            "willen investeren. De minister voor Ontwikkelingssamenwerking is verantwoordelijk.",
            {"research", "development"},
            "export_international",
        ),
        (
            "In our audit we examined the fund for entrepreneurs who invest abroad; the ministry "
            "for development cooperation is responsible.",
            {"research", "development"},
            "export_international",
        ),
    ],
)
def test_a_reports_own_research_and_development_cooperation_are_no_purposes(
    text: str, absent: set[str], present: str
) -> None:
    purposes = set(facts(text)["purposes"])  # type: ignore[call-overload]
    assert present in purposes and not purposes & absent


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "WBSO (speur- en ontwikkelingswerk)",
            "Populaire subsidies en regelingen\nVooral duurzame investeringen krijgen veel "
            "voordelen.\nWBSO speur- en ontwikkelingswerk\nDe WBSO vergoedt een deel van de "
            "loonkosten van speur- en ontwikkelingswerk.",
        ),
        (
            "Research & Development tax credit (WBSO)",
            "Popular subsidies and schemes for business owners\nIn particular, sustainable "
            "investments can count on many benefits.\nResearch & Development tax credit (WBSO)\n"
            "The WBSO covers part of the wage costs of research and development.",
        ),
    ],
)
def test_on_a_page_listing_schemes_the_purpose_is_read_under_the_records_own_heading(
    title: str, body: str
) -> None:
    assert facts(body, title=title)["purposes"] == ["research", "development"]


@pytest.mark.parametrize(
    ("title", "other", "body", "own"),
    [
        (
            "WBSO (speur- en ontwikkelingswerk)",
            "Milieu-investeringsaftrek (MIA) en Willekeurige afschrijving milieu-investeringen",
            "Populaire subsidies en regelingen voor ondernemers\nDe overheid biedt verschillende "
            "subsidies en regelingen om ondernemers financieel te helpen.\nKies uw subsidie of "
            "regeling\nWBSO speur- en ontwikkelingswerk\nDe WBSO stimuleert innovatie bij "
            "bedrijven die speur- en ontwikkelingswerk doen.",
            "De WBSO stimuleert innovatie bij bedrijven die speur- en ontwikkelingswerk doen.",
        ),
        (
            "Research & Development tax credit (WBSO)",
            "Environmental investment allowance (MIA) and Random depreciation of environmental "
            "investments (Vamil)",
            "Popular subsidies and schemes for business owners\nThe government offers various "
            "subsidies and schemes to help entrepreneurs financially.\nChoose your subsidy or "
            "scheme\nResearch & Development tax credit (WBSO)\nThe WBSO encourages innovation "
            "at companies doing research and development (R&D).",
            "The WBSO encourages innovation at companies doing research and development (R&D).",
        ),
    ],
)
def test_on_a_page_listing_schemes_who_applies_is_read_under_the_records_own_heading(
    title: str, other: str, body: str, own: str
) -> None:
    found = extract(FactSource(title=title, body=body, others=(other,))).facts
    # The introduction names entrepreneurs for every scheme on the page: no evidence of who
    # may apply for this one, nor of a size; the scheme's own sentence is.
    assert found.values["applicants"] == ["sme", "large_company"]
    assert found.evidence["applicants"].quote == own
    assert "sizes" not in found.values


@pytest.mark.parametrize(
    ("title", "other", "body"),
    [
        (
            "Milieu-investeringsaftrek (MIA) en Vamil",
            "WBSO (speur- en ontwikkelingswerk)",
            "Populaire subsidies en regelingen voor ondernemers\nDe overheid biedt verschillende "
            "subsidies en regelingen om ondernemers financieel te helpen.\nKies uw subsidie of "
            "regeling\nMilieu-investeringsaftrek (MIA) en Vamil\nU trekt een deel van de "
            "investering af van uw fiscale winst.",
        ),
        (
            "Environmental investment allowance (MIA) and Vamil",
            "Research & Development tax credit (WBSO)",
            "Popular subsidies and schemes for business owners\nThe government offers various "
            "subsidies and schemes to help entrepreneurs financially.\nChoose your subsidy or "
            "scheme\nEnvironmental investment allowance (MIA) and Vamil\nYou deduct part of the "
            "investment from your taxable profit.",
        ),
    ],
)
def test_where_the_records_part_names_no_one_the_page_may_say_it_is_for_companies(
    title: str, other: str, body: str
) -> None:
    found = extract(FactSource(title=title, body=body, others=(other,))).facts
    # Entrepreneurs in general: companies of any size, never a size or SMEs only.
    assert found.values["applicants"] == ["sme", "large_company"]
    assert "sizes" not in found.values


@pytest.mark.parametrize(
    "summary",
    [
        "Krediet voor innovatieve ontwikkelprojecten. Minimale projectomvang € 150.000; Proof "
        "of Principle moet zijn aangetoond.",
        "Credit for innovative development projects. Minimum project size € 150,000; proof of "
        "principle must have been demonstrated.",
    ],
)
def test_a_stage_the_applicant_must_already_have_passed_is_no_purpose(summary: str) -> None:
    found = extract(FactSource(title="Innovatiekrediet", summary=summary)).facts
    # The money is for development; the feasibility shown before is a condition.
    assert found.values["purposes"] == ["development"]
    assert "feasibility" not in found.values["purposes"]


@pytest.mark.parametrize(
    "text",
    [
        "Subsidie voor mkb'ers die in voldoende mate technische haalbaarheid ('Proof of "
        "Principle') hebben aangetoond met eerder onderzoek.",
        "Market-readiness grants to develop a business case, building on results of ERC Proof "
        "of Concept or Horizon collaborative projects.",
    ],
)
def test_results_a_project_builds_on_are_no_purpose(text: str) -> None:
    purposes = facts(text).get("purposes") or []
    assert "feasibility" not in purposes and "research" not in purposes


@pytest.mark.parametrize(
    ("title", "summary"),
    [
        (
            "MIT: Haalbaarheidsproject",
            "MIT-haalbaarheidsprojecten: subsidie van 40% van de subsidiabele kosten tot "
            "maximaal € 20.000.",
        ),
        (
            "MIT feasibility projects",
            "MIT feasibility projects 2024: subsidy max 40% of eligible costs up to EUR 20,000.",
        ),
    ],
)
def test_the_mit_scheme_named_by_its_acronym_is_for_smes(title: str, summary: str) -> None:
    # MIT is the MKB-innovatiestimulering Regio en Topsectoren: its name restricts it to SMEs.
    found = facts("", title=title, summary=summary)
    assert found["applicants"] == ["sme"]
    assert found["sizes"] == ["micro", "small", "medium"]


@pytest.mark.parametrize(
    "text",
    [
        "Onderzoekers van het MIT en de TU Delft ontwikkelden de sensor.",
        "Researchers at MIT developed the sensor together with start-ups.",
    ],
)
def test_mit_the_university_is_no_sme_scheme(text: str) -> None:
    found = facts(text, title="Regeling")
    assert "sme" not in (found.get("applicants") or [])
    assert "sizes" not in found


@pytest.mark.parametrize(
    "text",
    [
        "De regeling helpt mkb-ondernemers die een product ontwikkelen.\nNiet in aanmerking "
        "komen:\n- grote ondernemingen\n- fundamenteel onderzoek aan universiteiten",
        "The EIC Accelerator supports SMEs to develop and scale up innovations.\nYou should NOT "
        "consider EIC accelerator if:\n·       You seek for regular R&D funding with no "
        "substantial need\n·       Large companies without an SME partner",
    ],
)
def test_a_list_of_what_is_excluded_names_no_applicant_or_purpose(text: str) -> None:
    found = facts(text)
    assert found["applicants"] == ["sme"]
    assert "research" not in found["purposes"]  # type: ignore[operator]
    assert "development" in found["purposes"]  # type: ignore[operator]


@pytest.mark.parametrize(
    "text",
    [
        "Rentedragende lening waarmee starters en mkb-ondernemingen onderzoeken of hun idee "
        "kans van slagen heeft op de markt.",
        "Wij verstrekken financiering om de haalbaarheid van een idee te onderzoeken.",
        "A loan with which starters and SMEs research whether their idea can succeed on the "
        "market.",
        "We provide funding for research into the feasibility of an idea.",
    ],
)
def test_finding_out_whether_an_idea_works_is_feasibility_not_research(text: str) -> None:
    assert facts(text)["purposes"] == ["feasibility"]


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        (
            "Subsidie voor industrieel onderzoek of experimentele ontwikkeling.",
            ["research", "development"],
        ),
        (
            "A subsidy for industrial research or experimental development.",
            ["research", "development"],
        ),
    ],
)
def test_research_or_development_named_as_such_stays(text: str, purposes: list[str]) -> None:
    assert facts(text)["purposes"] == purposes


@pytest.mark.parametrize(
    "text",
    [
        "Subsidie om de technische en economische risico's van een voorgenomen innovatieproject "
        "in kaart te brengen.",
        "A subsidy to map the technical and economic risks of a planned development project.",
    ],
)
def test_a_planned_project_whose_risks_are_mapped_is_no_purpose(text: str) -> None:
    assert "development" not in (facts(text).get("purposes") or [])


@pytest.mark.parametrize(
    "text",
    [
        "Nieuwe subsidieperiode 2021-2027: nieuwe kansen voor het MKB\nHet programma is bedoeld "
        "voor samenwerkende kennisinstellingen, bedrijven en intermediaire organisaties. "
        "Bepaalde thema's zijn specifiek bedoeld voor het MKB.",
        "New subsidy period 2021-2027: new opportunities for SMEs\nThe programme is intended "
        "for cooperating knowledge institutions, companies and intermediary organisations. "
        "Certain themes are specifically intended for SMEs.",
    ],
)
def test_smes_named_for_some_themes_restrict_no_size(text: str) -> None:
    found = facts(text)
    # Companies of any size apply; SMEs only for some themes.
    assert {"sme", "large_company", "knowledge_institution"} <= set(found["applicants"])  # type: ignore[arg-type]
    assert "sizes" not in found


def test_no_fact_without_words_for_it() -> None:
    found = facts("Heeft u een aanvraag ingediend? Lees hier meer over het proces na uw aanvraag.")
    for fact in ("amount_min", "amount_max", "budget_total", "geography", "themes", "sizes"):
        assert fact not in found


# --- themes ----------------------------------------------------------------------------------


def test_a_stated_focus_gives_themes_examples_do_not() -> None:
    required = (
        "Het Limburg Startup Capital Fund (LSCF) is bestemd voor startups en mkb’ers die met hun "
        "innovatie bijdragen aan de belangrijkste maatschappelijke transities voor de komende "
        "jaren: energie, circulariteit, gezondheid en digitalisering."
    )
    assert facts(required, title="Limburg Vroege Fase Fonds (LVFF)")["themes"] == [
        "energietransitie_duurzaamheid",
        "gezondheid_zorg",
        "sleuteltechnologieen",
    ]
    examples = (
        "De provincie Zuid-Holland stelt bijna € 10 mln. subsidie beschikbaar voor innovatieve "
        "ondernemers die bijdragen aan het oplossen van maatschappelijke uitdagingen, zoals "
        "voedselveiligheid, Safety & Security, en het voorkomen van milieuschade."
    )
    assert "themes" not in facts(examples, title="€ 10 mln. subsidie voor innovatief MKB")


def test_soil_health_is_agriculture_not_health_care() -> None:
    title = "Living labs to enhance soil health in Continental, Black Sea, Pannonian regions"
    assert facts("", title=title)["themes"] == ["landbouw_water_voedsel"]


def test_a_scheme_open_to_any_field_has_no_theme() -> None:
    text = (
        "The EIC Accelerator is open to innovations in any field of technology or application "
        "with particular attention to innovations building on scientific discovery, for example "
        "in health, energy and quantum technology, which must contribute to the green transition."
    )
    assert "themes" not in facts(text, title="EIC Accelerator")


# --- units and shared pages ------------------------------------------------------------------


def test_label_lines_are_quoted_as_the_page_reads_them() -> None:
    text = (
        "Looptijd\n\nStartdatum:\ndinsdag 11 juni 2024\n09:00\n"
        "Einddatum:\ndinsdag 17 september 2024\n17:00"
    )
    signals = extract(FactSource(title="MIT", body=text)).signals
    closing = [s for s in signals if s.kind == "closes"]
    assert closing[0].quote == "Einddatum: dinsdag 17 september 2024 17:00"
    assert closing[0].date == dt.date(2024, 9, 17)


def test_a_paraphrased_source_is_marked_as_such() -> None:
    source = FactSource(
        title="UNIIQ proof-of-concept fund",
        document="fund size EUR 22 million\nconvertible loans of at most EUR 300,000",
        paraphrase=True,
    )
    found = extract(source).facts
    assert found.values["amount_max"] == 300_000
    assert found.evidence["amount_max"].origin == PARAPHRASE


def test_a_shared_page_gives_each_record_its_own_section() -> None:
    page = (
        "Popular subsidies and schemes for business owners\n\n"
        "Research & Development  tax credit (WBSO)\n\n"
        "The WBSO encourages innovation at companies doing research and development (R&D).\n\n"
        "Environmental investment allowance (MIA) and the Random depreciation of environmental "
        "investments (Vamil)\n\n"
        "It concerns a new product costing at least €2,500. The investment is on the Environment "
        "List."
    )
    wbso = FactSource(
        title="Research & Development tax credit (WBSO)",
        document=page,
        others=("Environmental investment allowance (MIA) and Random depreciation (Vamil)",),
    )
    kept = " ".join(u.text for u in wbso.units)
    assert "WBSO encourages" in kept and "Environment List" not in kept


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        (
            "Het Ideeënfonds van het Limburg Business Development Fonds biedt subsidies voor de "
            "toetsing van een pril idee op technologische haalbaarheid.",
            ["feasibility"],
        ),
        (
            "In various stages of business development, the fund provides loans for working "
            "capital.",
            ["working_capital"],
        ),
        (
            "Companies deduct part of their environmental investments from their taxable profit.",
            ["sustainability_investment"],
        ),
    ],
)
def test_an_exception_that_starts_before_its_keyword_applies(
    text: str, purposes: list[str]
) -> None:
    # "business development" is no product development, an environmental investment no
    # investment of any kind: exceptions whose keyword is their second word apply too.
    assert facts(text)["purposes"] == purposes


@pytest.mark.parametrize(
    ("title", "summary", "kinds", "purposes"),
    [
        (
            "Arts and cultural awareness and expression in education and training",
            "Horizon Europe topic HORIZON-CL2-2024-TRANSFORMATIONS-01-08 (HORIZON Research and "
            "Innovation Actions) under call 'HORIZON-CL2-2024-TRANSFORMATIONS-01'.",
            (),
            ["research", "development"],
        ),
        (
            "Living labs to enhance soil health",
            "Expected Outcome: 100 living labs and lighthouses lead the transition.",
            ("HORIZON Research and Innovation Actions",),
            ["research", "development"],
        ),
        (
            "Horizon scanning and foresight in future enabling digital technologies (CSA)",
            "Expected Outcome: an expanding innovation ecosystem.",
            (),
            ["other"],
        ),
        (
            "Onderzoeksdata: diensten voor repositories",
            "Horizon Europe-topic (HORIZON Coordination and Support Actions) voor onderzoek.",
            (),
            ["other"],
        ),
        (
            "Modular powertrain for heavy duty vehicles",
            "Expected Outcome: demonstrated integration potential.",
            ("HORIZON Innovation Actions",),
            ["development", "demonstration"],
        ),
        (
            "Aanvullende activiteiten voor het Europese partnerschap Agriculture of Data",
            "Horizon Europe-topic (HORIZON Programme Cofund Actions), oproep 2026.",
            (),
            ["research"],
        ),
    ],
)
def test_a_horizon_topics_type_of_action_says_what_the_money_is_for(
    title: str, summary: str, kinds: tuple[str, ...], purposes: list[str]
) -> None:
    # The title names the topic ("education and training", "living labs"), not the kind of
    # work the grant pays for: the type of action does.
    found = facts("", title=title, summary=summary, action_types=kinds)
    assert found["purposes"] == purposes


def test_a_calls_type_of_action_given_as_data_is_read_with_the_record() -> None:
    record = InstrumentRecord(
        id="sedia:HORIZON-CL5-2027-03-D5-05",
        title="Higher Voltage, modular powertrain for Heavy Duty Vehicles (2ZERO Partnership)",
        summary="Expected Outcome: Demonstrated integration potential and modularity.",
        funder="European Commission",
        level="eu",
        instrument_type="subsidy",
        source="sedia",
        source_url="https://ec.europa.eu/info/funding-tenders/opportunities/portal",
        fetched_at=dt.datetime(2026, 11, 27, 12, 0),
        extra={"types_of_action": ["HORIZON Innovation Actions"]},
    )
    found = with_facts(record)
    assert found.purposes == ["development", "demonstration"]
    assert found.evidence["purposes"] == {"quote": "HORIZON Innovation Actions", "origin": "data"}


@pytest.mark.parametrize(
    "text",
    [
        "Borgstelling voor een startlening. U sluit de lening niet af voor een project of "
        "investering.",
        "Guarantee for a start-up loan. You are not taking out the loan for a project or "
        "investment.",
    ],
)
def test_what_the_money_is_not_for_is_no_purpose(text: str) -> None:
    # The guarantee states no purpose of its own: "other", never the denied investment.
    assert facts(text, instrument_type="guarantee")["purposes"] == ["other"]


@pytest.mark.parametrize(
    "text",
    [
        "Subsidie voor de ontwikkeling van producten die nog niet op de markt zijn.",
        "A grant for developing products that are not yet on the market.",
    ],
)
def test_what_is_not_there_yet_is_what_the_money_develops(text: str) -> None:
    assert facts(text)["purposes"] == ["development"]


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("We hebben geen geld om het prototype te ontwikkelen.", ["development"]),
        ("We do not have the working capital to buy stock for the season.", ["working_capital"]),
    ],
)
def test_a_person_who_lacks_money_for_something_asks_for_it(text: str, purposes: list[str]) -> None:
    assert purposes_stated(text) == purposes


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        (
            "Met converteerbare leningen aan startups wordt beoogd de innovatiekracht te "
            "versterken en economische groei en werkgelegenheid te bevorderen; de leningen "
            "zijn voor de ontwikkeling van innovaties.",
            ["development"],
        ),
        (
            "We provide loans for working capital and thus ensure the growth of Limburg.",
            ["working_capital"],
        ),
        (
            "Fonds-van-fondsen gericht op investeringsfondsen voor start- en scale-ups.",
            ["investment"],
        ),
        (
            "A fund of EUR 19.5 million to buy shares in young companies with ambitious growth "
            "plans.",
            ["investment"],
        ),
        (
            "De borgstelling geldt voor werkkapitaal. Dat kan uitbreiding van bestaande "
            "financiering zijn of een nieuw krediet.",
            ["working_capital"],
        ),
        (
            "Subsidie voor onderzoek en ontwikkeling. De subsidie draagt bij aan de groei van uw "
            "bedrijf.",
            ["research", "development"],
        ),
        (
            "A grant for research and development. Eurostars funding contributes to the faster "
            "growth of your small business.",
            ["research", "development"],
        ),
    ],
)
def test_growth_of_the_economy_the_company_kind_or_an_effect_is_no_purpose(
    text: str, purposes: list[str]
) -> None:
    assert facts(text)["purposes"] == purposes


@pytest.mark.parametrize(
    ("text", "purposes"),
    [
        ("Lening om uw bedrijf te laten groeien.", ["growth"]),
        ("Equity for start-ups to scale up their innovations.", ["growth", "investment"]),
        ("De subsidie draagt bij aan de kosten van onderzoek.", ["research"]),
    ],
)
def test_growth_of_the_applicants_business_stays(text: str, purposes: list[str]) -> None:
    assert facts(text)["purposes"] == purposes


@pytest.mark.parametrize(
    "text",
    [
        "Het fonds neemt aandelen in jonge bedrijven.\nProjectcoordinator: Stichting "
        "Onderzoek en Ontwikkeling Oost",
        "The fund takes equity stakes in young companies.\nProject coordinator: Italian Agency "
        "for the Promotion of European Research (APRE)",
    ],
)
def test_a_line_naming_the_coordinator_names_no_purpose(text: str) -> None:
    assert facts(text)["purposes"] == ["investment"]


@pytest.mark.parametrize(
    "text",
    [
        "Vooral innovatieve en duurzame investeringen kunnen rekenen op fiscale voordelen.",
        "In particular, innovative and sustainable investments can count on many (tax) benefits.",
        "Daarnaast verlaagt een investering in energiebesparing uw energierekening.",
        "In addition, investment in saving energy will lower your energy bill.",
    ],
)
def test_a_sustainable_investment_is_that_kind_only(text: str) -> None:
    assert facts(text)["purposes"] == ["sustainability_investment"]


@pytest.mark.parametrize(
    ("text", "kind", "purposes"),
    [
        (
            "Het fonds financiert de ontwikkeling van een nieuw product. Steun wordt verleend "
            "in de vorm van converteerbare leningen en/of risicokapitaal.",
            "loan",
            ["development"],
        ),
        (
            "The fund finances the development of a new product. Support is given in the "
            "form of convertible loans or risk capital.",
            "loan",
            ["development"],
        ),
        (
            "Steun wordt verleend in de vorm van risicokapitaal.",
            "equity",
            ["investment"],
        ),
    ],
)
def test_the_form_of_a_loan_funds_support_is_no_purpose(
    text: str, kind: str, purposes: list[str]
) -> None:
    # An equity fund's risk capital is the investment it makes; a loan fund's is its form.
    assert facts(text, instrument_type=kind)["purposes"] == purposes


@pytest.mark.parametrize(
    "text",
    [
        "Een haalbaarheidsproject bestaat uit een haalbaarheidsstudie, eventueel aangevuld met "
        "industrieel onderzoek of experimentele ontwikkeling.",
        "Subsidie van 40% tot maximaal € 20.000 voor een haalbaarheidsstudie (35% voor het deel "
        "experimentele ontwikkeling).",
        "A feasibility project is a feasibility study, optionally supplemented with industrial "
        "research or experimental development.",
        "Feasibility projects: subsidy of 40% of eligible costs up to EUR 20,000; 35% for "
        "experimental development part.",
    ],
)
def test_an_optional_add_on_or_the_rate_for_a_part_is_no_purpose(text: str) -> None:
    assert facts(text)["purposes"] == ["feasibility"]


@pytest.mark.parametrize(
    "text",
    [
        "Subsidie voor haalbaarheidsprojecten van mkb-bedrijven. Zo heeft mkb-er Hello247 "
        "recent een MIT-subsidie gekregen voor de ontwikkeling van een applicatie.",
        "Subsidy for feasibility projects of SMEs. Recently, Hello247 received an MIT grant for "
        "the development of an app.",
    ],
)
def test_an_award_already_made_as_an_example_is_no_purpose(text: str) -> None:
    assert facts(text)["purposes"] == ["feasibility"]
