"""Who may apply (applicants) and which company sizes, each with the sentence it came from.

Every code the text names counts (the rules ask for recall: a consortium requirement adds
`consortium`, a fund scheme adds `fund_manager`); tenders are open to anyone. Companies named
without a size ("ondernemers", "your company") count as SMEs and large companies alike, and
only when the text names no kind of applicant at all. Sizes are kept only where the text
restricts them: SMEs alone are micro, small and medium; "large and medium-sized" is what it says.
"""

from __future__ import annotations

import re

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import TITLE, Unit
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
            if code in _CONTEXTUAL and unit.origin != TITLE and not _WHO.search(folded):
                continue
            found[code] = unit
        if "sme" not in found and _SME_LIMIT.search(folded):
            found["sme"] = unit
    if source.instrument_type == "procurement":
        found.setdefault("any", source.units[0])
    generic = found.pop("generic", None)
    if generic is not None and not found:
        found = {"sme": generic, "large_company": generic}
    if found:
        codes = [c for c in APPLICANTS if c in found]
        facts.add("applicants", codes, Evidence.of(found[codes[0]]))
        for code in codes:
            facts.evidence[f"applicants.{code}"] = Evidence.of(found[code])
    _sizes(source, facts, found)


def _sizes(source: FactSource, facts: Facts, found: dict[str, Unit]) -> None:
    for unit in source.units:
        if _LARGE_AND_MEDIUM.search(fold(unit.text)):
            facts.add("sizes", ["medium", "large"], Evidence.of(unit))
            return
    if "sme" in found and "large_company" not in found:
        facts.add("sizes", ["micro", "small", "medium"], Evidence.of(found["sme"]))
