"""Where an instrument is restricted to, beyond "the Netherlands": a province, a region, a
group of countries; "Netherlands" only where the text requires establishment there."""

from __future__ import annotations

import re

from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.text import fold
from wijzer.catalog.vocabulary.places import provinces_in

# Areas named as a restriction, most specific first; the label is what the catalog shows.
_AREAS: tuple[tuple[str, str], ...] = (
    (r"\bbrainport\b", "Brainport Eindhoven (Noord-Brabant)"),
    (r"\bgroningen en noord-drenthe\b", "Groningen en Noord-Drenthe"),
    (r"\bnoord-nederland\b|\bnorthern netherlands\b", "Noord-Nederland"),
    (
        r"\bgrensregio\b|\bcross-border region\b|\bvlaanderen-nederland\b",
        "grensregio Vlaanderen-Nederland",
    ),
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
    (r"\bmember states?\b|\blidstaten\b", "EU member states"),
    (r"\bregio zuid\b|\bsouthern netherlands\b|\bzuid-nederland\b", "Zuid-Nederland"),
)
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
    for unit in source.units:
        folded = fold(unit.text)
        for pattern, label in _AREAS:
            if re.search(pattern, folded):
                facts.add("geography", label, Evidence.of(unit))
                return
    provinces = list(source.regions)
    if len(provinces) == 1:
        province = provinces[0]
        for unit in source.units:
            folded = fold(unit.text)
            if province.lower() in folded or any(
                adj in folded and name == province for adj, name in _ADJECTIVE.items()
            ):
                facts.add("geography", province, Evidence.of(unit))
                return
    for unit in source.units if source.level == "regional" else ():
        folded = fold(unit.text)
        named = set(provinces_in(unit.text))
        adjectives = [name for adj, name in _ADJECTIVE.items() if adj in folded]
        if len(named | set(adjectives)) == 1 and (_RESTRICTS.search(folded) or adjectives):
            facts.add("geography", next(iter(named | set(adjectives))), Evidence.of(unit))
            return
    for unit in source.units:
        if _ESTABLISHED_NL.search(fold(unit.text)):
            facts.add("geography", "Netherlands", Evidence.of(unit))
            return
