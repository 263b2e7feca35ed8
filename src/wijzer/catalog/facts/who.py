"""Who may apply (applicants) and which company sizes, each with the sentence it came from.

Every code the text names counts (the rules ask for recall: a consortium requirement adds
`consortium`, a fund scheme adds `fund_manager`); tenders are open to anyone. Where the money
goes to funds or financiers ("lening aan investeringsfondsen", "voor regionale financiers"),
they are who applies: the startups and SMEs they invest in are the final recipients, not
applicants, so only `fund_manager` (and a collaboration requirement) is kept. Likewise where
the title or summary is about innovation hubs or support programmes, the companies they serve
are not the applicants (`intermediary`). Companies named
without a size ("ondernemers", "your company") count as SMEs and large companies alike, and
only when the text names no kind of applicant at all. Sizes are kept only where the text
restricts them: SMEs alone are micro, small and medium; "large and medium-sized" is what it says.
"""

from __future__ import annotations

import re

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import SUMMARY, TITLE, Unit
from wijzer.catalog.taxonomy import APPLICANTS
from wijzer.catalog.text import fold

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
# Companies that only receive the money through a fund.
_FINAL_RECIPIENTS = ("sme", "startup", "large_company", "individual", "generic", "any")
_LARGE_AND_MEDIUM = re.compile(r"large and medium|grote en middelgrote|medium-sized and large")
_SME_LIMIT = re.compile(
    r"(?:no more than|up to|maximaal|minder dan|fewer than) 250 "
    r"(?:fte|workers|employees|werknemers|medewerkers)"
)


def extract_who(source: FactSource, facts: Facts) -> None:
    """applicants and sizes."""
    found: dict[str, Unit] = {}
    for unit in source.units:
        folded = fold(unit.text)
        for code in vocabulary.applicants_in(unit.text):
            if code in found:
                continue
            named_as_applicant = _WHO.search(folded) or _TO_FUNDS.search(folded)
            if code in _CONTEXTUAL and unit.origin != TITLE and not named_as_applicant:
                continue
            found[code] = unit
        if "sme" not in found and _SME_LIMIT.search(folded):
            found["sme"] = unit
    if source.instrument_type == "procurement":
        found.setdefault("any", source.units[0])
    companies = dict(found)
    lead = [u for u in source.units if u.origin in (TITLE, SUMMARY)]
    hub = next((u for u in lead if _INTERMEDIARIES.search(fold(u.text))), None)
    if hub is not None:
        found = {code: unit for code, unit in found.items() if code not in _FINAL_RECIPIENTS}
        found.setdefault("intermediary", hub)
    elif "fund_manager" in found and any(_TO_FUNDS.search(fold(u.text)) for u in source.units):
        found = {code: unit for code, unit in found.items() if code not in _FINAL_RECIPIENTS}
    generic = found.pop("generic", None)
    if generic is not None and not found:
        found = {"sme": generic, "large_company": generic}
    if found:
        codes = [c for c in APPLICANTS if c in found]
        facts.add("applicants", codes, Evidence.of(found[codes[0]]))
        for code in codes:
            facts.evidence[f"applicants.{code}"] = Evidence.of(found[code])
    # Sizes restrict the companies, whoever applies for them.
    _sizes(source, facts, companies)


def _sizes(source: FactSource, facts: Facts, found: dict[str, Unit]) -> None:
    for unit in source.units:
        if _LARGE_AND_MEDIUM.search(fold(unit.text)):
            facts.add("sizes", ["medium", "large"], Evidence.of(unit))
            return
    if "sme" in found and "large_company" not in found:
        facts.add("sizes", ["micro", "small", "medium"], Evidence.of(found["sme"]))
