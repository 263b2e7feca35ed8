"""Who may apply (applicants) and which company sizes, each with the sentence it came from.

Every code the text names counts (the rules ask for recall: a consortium requirement adds
`consortium`, a fund scheme adds `fund_manager`); tenders are open to anyone. Where the money
goes to funds or financiers ("lening aan investeringsfondsen", "voor regionale financiers"),
they are who applies: the startups and SMEs they invest in are the final recipients, not
applicants, so only `fund_manager` (and a collaboration requirement) is kept. Likewise where
the title or summary is about innovation hubs or support programmes, the companies they serve
are not the applicants (`intermediary`).

But where the title or summary says companies apply themselves, at or through a fund or a
regional development company ("via de NOM kunnen ondernemers financiering aanvragen", "for
Dutch entrepreneurs seeking finance"), the fund is where they apply, not who applies: the
companies are the applicants and the fund is not. A fund named in the singular ("Dutch Trade
and Investment Fund", "het investeringsfonds") is the scheme itself, unless the money is paid
to it; "financiering" is money, not a financier. Collaboration named as an option ("without
collaboration", "in a possible partnership") is no requirement, and a knowledge institution a
company hires or may work with is no applicant, nor is a party listed under "Niet in aanmerking
komen:" or "Not eligible are:". A page heading is no sentence and never evidence of who
applies. On a page the catalog knows lists several schemes, who applies is read from the
record's own heading on (`focus.own_part`): the page's introduction ("The government offers
various subsidies and schemes to help entrepreneurs financially") is about all of them, and
counts only where the record's own part names no one, as companies of any size.

Companies named without a size ("ondernemers", "your company") count as SMEs and large
companies alike, and only when the text names no kind of applicant at all. Sizes are kept only
where the text restricts them: SMEs named as who the scheme is for or who applies ("voor
mkb'ers", not "SMEs work together with stakeholders") are micro, small and medium; "large and
medium-sized" is what it says.
"""

from __future__ import annotations

import re

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.focus import excluded_items
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import SUMMARY, TITLE, Unit
from wijzer.catalog.taxonomy import APPLICANTS

# Parties that are easily named without being the applicant ("the province", "investors"):
# counted only in a sentence that says who applies or is eligible.
_CONTEXTUAL = ("public_body", "ngo", "fund_manager", "individual")
_WHO = re.compile(
    r"\b(?:voor wie|who can|who may|eligible|in aanmerking|aanvrager|applicant|doelgroep|"
    r"richt zich|bedoeld voor|intended for|aimed at|gericht op|kunnen .{0,60}aanvragen|"
    r"can apply|may apply|apply|vraagt|aanvragen|investeert|invest in|invests in|"
    r"voor (?:\w+ ){0,3}(?:fondsen|financiers|investeerders)|for (?:\w+ ){0,3}(?:funds|investors)|"
    r"bent u|are you|u bent|you are|als (?:\w+ ){0,2}(?:investeerder|financier)|"
    r"wilt u|do you|subsidie aan|subsidy to|loans? to|leningen aan|lening aan|"
    r"activiteiten (?:van|tussen)|must be|moet (?:\w+ ){0,3}zijn)"
)
# The scheme's money goes to funds or financiers, who then invest in or lend to companies.
_TO_FUNDS = re.compile(
    r"\b(?:aan|voor|to|for) (?:\w+ ){0,3}(?:investeringsfondsen|fondsen|financiers|"
    r"fund managers|investment funds|funds|business angels)\b|"
    r"\b(?:aan|to) (?:een|a) (?:\w+ ){0,2}(?:fonds|fund)\b|\b(?:als|as an?) investeerder\b"
)
# The scheme funds innovation hubs or the organisers of support programmes for companies.
_INTERMEDIARIES = re.compile(
    r"\bedihs?\b|\binnovation hubs?\b|\binnovatiehubs?\b|\bsupportprogramma|"
    r"\bsupport programmes?\b|\bondersteuningsprogramma"
)
# Fund parties that can be applicants: funds in the plural, their managers, investors. A fund in
# the singular ("an investment fund", "Startersfonds") is the scheme's own name.
_FUND_PARTIES = re.compile(
    r"\b(?:\w*fondsen|funds|fund ?managers?|fondsmanagers?|fondsbeheerders?|beheerders?|"
    r"business angels?|investeerders?|investors?|financiers|kapitaalverschaffers?|"
    r"capital providers|fund-of-funds|fund of funds|fonds-in-fonds|\w*vff-fonds\w*|fondsplan\w*)\b"
)
# Companies apply themselves (at or through a fund, a bank or a development company), or the
# scheme is said to be for them.
_COMPANIES_APPLY = re.compile(
    r"\b(?:kunnen|kan|can|may)\b(?: [\w'-]+){0,5} (?:aanvragen|apply|submit)\b|"
    r"\baanvragen (?:bij|via)\b|\bapply (?:to|at|through|via)\b|"
    r"\b(?:financiering|funding|financing|finance|kapitaal|capital) (?:zoeken|zoekt|seek)|"
    r"\b(?:seeking|looking for|seek) (?:finance|financing|funding|capital)\b|"
    r"\b(?:voor|for) (?:[\w'-]+ ){0,2}(?:ondernemers|entrepreneurs|companies|bedrijven|"
    r"ondernemingen|mkb'?ers|smes|startups|start-ups)\b"
)
_COMPANIES = ("sme", "startup", "large_company", "generic")
# Knowledge institutions named as the party a company hires, asks, may work with or is put in
# touch with, as the founders of a fund, or as where starters come from ("academische
# starters"): they do not apply.
_KNOWLEDGE_AS_PARTY = re.compile(
    r"\b(?:inschakel\w*|laat beantwoorden|engages?|hires?|in contact (?:brengen|bring\w*) met|"
    r"in touch with|(?:kunnen|kan|can|may) (?:\w+ ){0,2}(?:samenwerken|work together|cooperate|"
    r"collaborate) (?:met|with)|initiatief van|initiative of|opleiding:|voortkomen uit|"
    r"stem from|spun out of)|\b(?:academische|academic|hbo|to2)\b[^.;:]{0,60}\bstarters?\b"
)
# Collaboration named as one option ("large 25% without collaboration", "whether you carry out
# the project in a possible partnership"): a rate or a choice, not a requirement.
_OPTIONAL_COLLABORATION = re.compile(
    r"\b(?:without|zonder) (?:\w+ ){0,2}(?:collaborat|cooperat|partner|samenwerk)|"
    r"\b(?:possible|eventuele?|mogelijke?) (?:\w+ )?(?:partnership|collaborat|samenwerk|partner)|"
    r"\bwith or without\b|\bmet of zonder\b|\bal dan niet\b"
)
# Companies that only receive the money through a fund.
_FINAL_RECIPIENTS = ("sme", "startup", "large_company", "individual", "generic", "any")
_LARGE_AND_MEDIUM = re.compile(r"large and medium|grote en middelgrote|medium-sized and large")
# SMEs named as those the scheme is for or who apply ("voor mkb'ers", "SMEs can apply", "a
# voucher with which an SME ...", a title or a regulation named for them: "MKB
# innovatiestimulering"), not as one kind of partner among others ("where SMEs work together
# with stakeholders"): only then is the size restricted.
_SME_WORD = (
    r"(?:mkb\S*|sme'?s?|kmo'?s?|small and medium\S*|kleine en middelgrote|midden- en kleinbedrijf)"
)
_SME_ONLY = re.compile(
    rf"\b(?:voor|for|aan|to|van|in het|in the|only|alleen|uitsluitend|exclusively|open to|"
    rf"waarmee|with which|bent u|are you|if you are|als u|you are|u bent)\b "
    rf"(?:[\w'-]+ ){{0,3}}{_SME_WORD}|\bmkb[- ]innovatiestimulering|"
    rf"\b{_SME_WORD} (?:[\w'-]+ ){{0,3}}(?:kunnen|kan|can|may|komen|are eligible|is eligible|"
    rf"apply|vragen|aanvragen)\b|^{_SME_WORD}\b"
)
# The MKB-innovatiestimulering Regio en Topsectoren (MIT) named by its acronym, as the scheme's
# name ("MIT: Haalbaarheidsproject", "MIT-haalbaarheidsprojecten", "de MIT-regeling"): its
# official name restricts it to SMEs as "MKB innovatiestimulering" spelled out does
# (vocabulary/titles.toml names the acronym's long forms). Case-sensitive, and only beside a
# word of the scheme, so "researchers at MIT" names no scheme.
_SME_SCHEME = re.compile(
    r"\bMIT(?::|-| (?=[Hh]aalbaarheid|R&D|[Kk]ennisvoucher|[Ii]nnovatieadvies|[Rr]egeling|"
    r"[Ss]ubsidie|[Ii]nstrument|feasibility|scheme))|\(MIT\)"
)
# SMEs named for a part of the scheme only ("sommige thema's specifiek voor het mkb", "certain
# topics are for SMEs"): they may apply, but the scheme is not restricted to them, and the
# companies it names besides are of any size.
_SME_PART = re.compile(
    r"\b(?:sommige|bepaalde|enkele|some|certain) (?:[\w'’-]+ ){0,2}?(?:thema\S*|themes?|"
    r"onderdel\w*|parts?|calls?|topics?|regelingen|schemes?|modules?|instrument\w*)"
)
# Opportunities or benefits for SMEs ("Nieuwe subsidieperiode 2021-2027: nieuwe kansen voor het
# MKB") tell who gains, not who may apply.
_SME_CHANCES = re.compile(r"\b(?:kansen|voordelen|opportunit\w*|benefits?) (?:voor|for)\b")
_SME_LIMIT = re.compile(
    r"(?:no more than|up to|maximaal|minder dan|fewer than) 250 "
    r"(?:fte|workers|employees|werknemers|medewerkers)"
)


def extract_who(source: FactSource, facts: Facts) -> None:
    """applicants and sizes."""
    found: dict[str, Unit] = {}
    # On a text the catalog knows describes other schemes too, this record's own part; a
    # single scheme's page is its own throughout ("Kleine R&D-Samenwerkingsprojecten" is a
    # part of the MIT page, and what stands above it says who applies).
    units = source.own_units
    excluded = excluded_items(units)
    for unit in units:
        if unit.heading or unit in excluded:
            continue
        folded = unit.folded
        to_funds = _TO_FUNDS.search(folded)
        for code in vocabulary.applicants_in(unit.text):
            if code in found:
                continue
            named_as_applicant = _WHO.search(folded) or to_funds
            if code in _CONTEXTUAL and unit.origin != TITLE and not named_as_applicant:
                continue
            if code == "fund_manager" and not (to_funds or _FUND_PARTIES.search(folded)):
                continue
            if code == "consortium" and _optional_collaboration(unit, folded):
                continue
            if code == "knowledge_institution" and _KNOWLEDGE_AS_PARTY.search(folded):
                continue
            found[code] = unit
        if "sme" not in found and _SME_LIMIT.search(folded):
            found["sme"] = unit
    if not found and len(units) < len(source.units):
        # The record's part names no one: the page's introduction may still say its schemes
        # are for entrepreneurs, which is companies of any size (never a size, never SMEs only).
        own = set(units)
        intro = [u for u in source.units if not u.heading and u not in own]
        named = [u for u in intro if "generic" in vocabulary.applicants_in(u.text)]
        if named:
            found["generic"] = named[0]
    # The MIT acronym only where no sentence names the SMEs: a sentence is the better quote.
    scheme = next((u for u in units if not u.heading and _SME_SCHEME.search(u.text)), None)
    if "sme" not in found and scheme is not None:
        found["sme"] = scheme
    if source.instrument_type == "procurement":
        # A tender is open to any bidder; the buyer it names is no applicant.
        found = {"any": found.get("any", source.units[0])}
    companies = dict(found)
    lead = [u for u in source.units if u.origin in (TITLE, SUMMARY)]
    hub = next((u for u in lead if _INTERMEDIARIES.search(u.folded)), None)
    if hub is not None:
        found = {code: unit for code, unit in found.items() if code not in _FINAL_RECIPIENTS}
        found.setdefault("intermediary", hub)
    elif any(_companies_apply(u) for u in lead):
        found.pop("fund_manager", None)
    elif "fund_manager" in found and any(_TO_FUNDS.search(u.folded) for u in units):
        found = {code: unit for code, unit in found.items() if code not in _FINAL_RECIPIENTS}
    generic = found.pop("generic", None)
    if generic is not None and not found:
        found = {"sme": generic, "large_company": generic}
    elif generic is not None and "sme" in found and any(map(_sme_for_a_part, units)):
        found.setdefault("large_company", generic)
    if found:
        codes = [c for c in APPLICANTS if c in found]
        facts.add("applicants", codes, Evidence.of(found[codes[0]]))
        for code in codes:
            facts.evidence[f"applicants.{code}"] = Evidence.of(found[code])
    # Sizes restrict the companies, whoever applies for them.
    _sizes(units, facts, companies, scheme)


def _sme_for_a_part(unit: Unit) -> bool:
    """Whether the unit names SMEs for some themes or parts of the scheme only."""
    return bool(_SME_PART.search(unit.folded)) and "sme" in vocabulary.applicants_in(unit.text)


def _optional_collaboration(unit: Unit, folded: str) -> bool:
    """Collaboration as an option or as a cell of a table of rates ("with collaboration")."""
    cell = unit.origin != TITLE and len(folded.split()) < 4
    return cell or bool(_OPTIONAL_COLLABORATION.search(folded))


def _companies_apply(unit: Unit) -> bool:
    """Whether the unit says companies apply themselves, or that the scheme is for them."""
    if not any(code in _COMPANIES for code in vocabulary.applicants_in(unit.text)):
        return False
    return bool(_COMPANIES_APPLY.search(unit.folded))


def _sizes(units: list[Unit], facts: Facts, found: dict[str, Unit], scheme: Unit | None) -> None:
    for unit in units:
        if _LARGE_AND_MEDIUM.search(unit.folded):
            facts.add("sizes", ["medium", "large"], Evidence.of(unit))
            return
    if "sme" not in found or "large_company" in found:
        return
    for unit in units:
        folded = unit.folded
        if _SME_PART.search(folded) or _SME_CHANCES.search(folded):
            continue
        named = unit.origin == TITLE and "sme" in vocabulary.applicants_in(unit.text)
        if named or _SME_ONLY.search(folded) or _SME_LIMIT.search(folded):
            facts.add("sizes", ["micro", "small", "medium"], Evidence.of(unit))
            return
    if scheme is not None:
        facts.add("sizes", ["micro", "small", "medium"], Evidence.of(scheme))
