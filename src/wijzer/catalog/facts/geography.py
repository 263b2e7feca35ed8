"""Where an instrument is restricted to, beyond "the Netherlands": a province, a region, a
group of countries; "Netherlands" only where the text requires establishment there.

An area counts only where a sentence names it: a page heading ("Regio Zuid" above one row of a
table of regional budgets) names no restriction, and neither does a common noun written as part
of a name ("Financierings-maatschappij voor Ontwikkelingslanden"). A cross-border region is
the one the text names; "grensregio" alone names none. When in doubt the area is unknown, and
unknown never restricts anyone."""

from __future__ import annotations

import re

from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import TITLE, Unit
from wijzer.catalog.vocabulary.places import provinces_in

# Areas named as a restriction, most specific first; the label is what the catalog shows.
_AREAS: tuple[tuple[str, str], ...] = (
    (r"\bbrainport\b", "Brainport Eindhoven (Noord-Brabant)"),
    (r"\bgroningen en noord-drenthe\b", "Groningen en Noord-Drenthe"),
    (r"\bnoord-nederland\b|\bnorthern netherlands\b", "Noord-Nederland"),
    (r"\bvlaanderen-nederland\b|\bflanders-netherlands\b", "grensregio Vlaanderen-Nederland"),
    (r"\bduits(?:land)?-nederland|deutschland-nederland\b", "grensregio Duitsland-Nederland"),
    (r"\bnorth sea region\b|\bnoordzeeregio\b", "North Sea Region"),
    (r"\bnorth west europe\b|\bnoordwest-europa\b", "North West Europe"),
    (
        r"\beurostars(?:-| )?(?:countries|country|landen)\b|\beurostars country\b",
        "Eurostars countries",
    ),
    (
        r"\bemerging markets?\b|\bopkomende markten\b|\bdeveloping countr|\bontwikkelingslanden\b",
        "emerging markets and developing countries",
    ),
    (r"\bdtif-landen\b|\bdtif countries\b", "DTIF countries (investments abroad)"),
    (
        r"\bin het buitenland (?:\w+ ){0,2}investeren\b|\binvester(?:en|ingen) in het buitenland\b|"
        r"\binvest(?:ing|ments?)? abroad\b",
        "investments abroad",
    ),
    (r"\bmember states?\b|\blidstaten\b", "EU member states"),
    (r"\bregio zuid\b|\bsouthern netherlands\b|\bzuid-nederland\b", "Zuid-Nederland"),
)
# Areas named by a common noun, which a sentence writes in lower case unless it is part of a
# name. ("Member State" is left out: EU texts capitalise it as a term.)
_COMMON_NOUN_AREAS = frozenset(["emerging markets and developing countries"])
_ESTABLISHED_NL = re.compile(
    r"(?:established|gevestigd|located|registered office|business) (?:\w+ ){0,3}in (?:the )?"
    r"(?:netherlands|nederland)|in nederland gevestigd|business in the netherlands"
)
_RESTRICTS = re.compile(
    r"\b(?:in|uit|from|voor|for|binnen|within|located|gevestigd|only|alleen|actief)\b"
)
_ADJECTIVE = {
    "zuid-hollandse": "Zuid-Holland",
    "noord-hollandse": "Noord-Holland",
    "limburgse": "Limburg",
    "gelderse": "Gelderland",
    "overijsselse": "Overijssel",
    "brabantse": "Noord-Brabant",
    "drentse": "Drenthe",
    "flevolandse": "Flevoland",
    "friese": "Friesland",
    "groningse": "Groningen",
    "utrechtse": "Utrecht",
    "zeeuwse": "Zeeland",
}


def extract_geography(source: FactSource, facts: Facts) -> None:
    units = [unit for unit in source.units if not unit.heading]
    for unit in units:
        folded = unit.folded
        for pattern, label in _AREAS:
            found = re.search(pattern, folded)
            if found and not (label in _COMMON_NOUN_AREAS and _in_a_name(unit, found.start())):
                facts.add("geography", label, Evidence.of(unit))
                return
    provinces = list(source.regions)
    if len(provinces) == 1:
        province = provinces[0]
        for unit in units:
            folded = unit.folded
            if province.lower() in folded or any(
                adj in folded and name == province for adj, name in _ADJECTIVE.items()
            ):
                facts.add("geography", province, Evidence.of(unit))
                return
    for unit in units if source.level == "regional" else ():
        folded = unit.folded
        named = set(provinces_in(unit.text))
        adjectives = [name for adj, name in _ADJECTIVE.items() if adj in folded]
        if len(named | set(adjectives)) == 1 and (_RESTRICTS.search(folded) or adjectives):
            facts.add("geography", next(iter(named | set(adjectives))), Evidence.of(unit))
            return
    for unit in units:
        if _ESTABLISHED_NL.search(unit.folded):
            facts.add("geography", "Netherlands", Evidence.of(unit))
            return


def _in_a_name(unit: Unit, start: int) -> bool:
    """Whether the word at `start` is capitalised inside a sentence: part of a name."""
    text = unit.text
    if start == 0 or len(unit.folded) != len(text) or unit.origin == TITLE:
        return False
    return text[start].isupper() and not text[:start].rstrip().endswith((".", ":", "(", "–"))
