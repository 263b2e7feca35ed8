"""Provinces from place names and NUTS codes: cities, regions and province spellings."""

from __future__ import annotations

import re

from wijzer.catalog.taxonomy import PROVINCES, _fold, normalise_province

# NUTS-2 regions of the Netherlands (2016/2021 versions) to provinces.
NUTS2 = {
    "NL11": "Groningen",
    "NL12": "Friesland",
    "NL13": "Drenthe",
    "NL21": "Overijssel",
    "NL22": "Gelderland",
    "NL23": "Flevoland",
    "NL31": "Utrecht",
    "NL32": "Noord-Holland",
    "NL33": "Zuid-Holland",
    "NL34": "Zeeland",
    "NL41": "Noord-Brabant",
    "NL42": "Limburg",
    "NL35": "Noord-Holland",
    "NL36": "Zuid-Holland",
}
# Cities and regions people name instead of the province (a curated, extendable list).
PLACES = {
    "amsterdam": "Noord-Holland",
    "haarlem": "Noord-Holland",
    "heemstede": "Noord-Holland",
    "bloemendaal": "Noord-Holland",
    "ijmond": "Noord-Holland",
    "kennemerland": "Noord-Holland",
    "alkmaar": "Noord-Holland",
    "rotterdam": "Zuid-Holland",
    "den haag": "Zuid-Holland",
    "the hague": "Zuid-Holland",
    "leiden": "Zuid-Holland",
    "delft": "Zuid-Holland",
    "dordrecht": "Zuid-Holland",
    "utrecht": "Utrecht",
    "amersfoort": "Utrecht",
    "eindhoven": "Noord-Brabant",
    "tilburg": "Noord-Brabant",
    "breda": "Noord-Brabant",
    "den bosch": "Noord-Brabant",
    "'s-hertogenbosch": "Noord-Brabant",
    "maastricht": "Limburg",
    "venlo": "Limburg",
    "heerlen": "Limburg",
    "sittard": "Limburg",
    "arnhem": "Gelderland",
    "nijmegen": "Gelderland",
    "wageningen": "Gelderland",
    "apeldoorn": "Gelderland",
    "ede": "Gelderland",
    "enschede": "Overijssel",
    "zwolle": "Overijssel",
    "deventer": "Overijssel",
    "hengelo": "Overijssel",
    "twente": "Overijssel",
    "groningen": "Groningen",
    "leeuwarden": "Friesland",
    "assen": "Drenthe",
    "emmen": "Drenthe",
    "lelystad": "Flevoland",
    "almere": "Flevoland",
    "middelburg": "Zeeland",
    "vlissingen": "Zeeland",
    "friesland": "Friesland",
    "fryslan": "Friesland",
    "brabant": "Noord-Brabant",
}


def province_of_nuts(code: str | None) -> str | None:
    """The province of a NUTS-2/3 code (NL33, NL414, ...); None for NL as a whole or abroad."""
    if not code or len(code) < 4:
        return None
    return NUTS2.get(code[:4].upper())


def provinces_in(text: str) -> list[str]:
    """Provinces named in the text, directly or through a city or region."""
    folded = f" {_fold(text)} "
    found = set()
    for code in PROVINCES:
        for spelling in {code, PROVINCES[code][1]}:
            if re.search(rf"(?<![\w-]){re.escape(_fold(spelling))}(?![\w-])", folded):
                found.add(code)
    for place, province in PLACES.items():
        if re.search(rf"(?<![\w-]){re.escape(place)}(?![\w-])", folded):
            found.add(province)
    # "Noord-Brabant" also contains "brabant"; "Zuid-Holland" is never "Holland" alone.
    return sorted(p for p in found if normalise_province(p))
