"""Provinces from the places a text names: provinces, cities, parts of the country, NUTS codes."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from wijzer.catalog.text import fold, strip_accents
from wijzer.catalog.vocabulary.matching import (
    NOT_AFTER_WORD,
    NOT_BEFORE_WORD,
    load,
    phrase_key,
    phrase_pattern,
)


@dataclass(frozen=True)
class Gazetteer:
    #: Every place name (folded, spaces for separators) -> the provinces it points at.
    places: dict[str, tuple[str, ...]]
    #: Spellings of a province itself -> its code.
    provinces: dict[str, str]
    nuts2: dict[str, str]
    pattern: re.Pattern[str]


def _name_pattern(name: str, capitalised: bool) -> str:
    if not capitalised:
        return phrase_pattern(name)
    # The first letter must be a capital; the rest may be in any case ("LEIDEN" in a title).
    return f"(?-i:{re.escape(name[0].upper())}){phrase_pattern(name[1:])}"


@functools.cache
def gazetteer() -> Gazetteer:
    data = load("places.toml")
    places: dict[str, tuple[str, ...]] = {}
    provinces: dict[str, str] = {}
    for code, entry in data["provinces"].items():
        for name in entry["names"]:
            provinces[phrase_key(name)] = code
        for name in (*entry["names"], *entry["adjectives"]):
            places[phrase_key(name)] = (code,)
    for name, code in data["cities"].items():
        places[phrase_key(name)] = (code,)
    for name, codes in data["areas"].items():
        places[phrase_key(name)] = tuple(codes)
    capitalised = {phrase_key(n) for n in data["capitalised"]["names"]}
    names = sorted(places, key=len, reverse=True)
    alternatives = "|".join(_name_pattern(n, n in capitalised) for n in names)
    pattern = re.compile(f"{NOT_AFTER_WORD}(?:{alternatives}){NOT_BEFORE_WORD}", re.IGNORECASE)
    return Gazetteer(places, provinces, dict(data["nuts2"]), pattern)


def place_names() -> frozenset[str]:
    """Every folded place name (words that say where, not what a company needs)."""
    return frozenset(gazetteer().places)


def _named(text: str) -> list[tuple[str, ...]]:
    """What each place the text names points at, in order of appearance."""
    found = gazetteer()
    # Accents go, case stays: some names only count with a capital ("Leiden", not "leiden").
    return [found.places[phrase_key(fold(m))] for m in found.pattern.findall(strip_accents(text))]


@functools.lru_cache(maxsize=20_000)
def provinces_in(text: str) -> tuple[str, ...]:
    """Every province the text names, directly, through a city or through a part of the
    country ("Oost-Nederland"), in order of first mention."""
    return tuple(dict.fromkeys(p for provinces in _named(text) for p in provinces))


def province_in(text: str) -> str | None:
    """The first province or city the text names that lies in one province."""
    for provinces in _named(text):
        if len(provinces) == 1:
            return provinces[0]
    return None


def normalise_province(value: str | None) -> str | None:
    """The province code for a spelling of a province ("Fryslân", "North Brabant",
    "provincie Utrecht"); None when the value is not a province."""
    if not value:
        return None
    folded = fold(value).strip().removeprefix("provincie ").removeprefix("province of ")
    return gazetteer().provinces.get(phrase_key(folded))


def province_of_nuts(code: str | None) -> str | None:
    """The province of a NUTS-2/3 code (NL33, NL414, ...); None for NL as a whole or abroad."""
    if not code or len(code) < 4:
        return None
    return gazetteer().nuts2.get(code[:4].upper())


# --- issuers: municipalities and water boards by exact name ------------------------------


def _issuer_key(name: str) -> str:
    # "Gemeente 's-Gravenhage", "Waterschap Rivierenland" -> "'s gravenhage", "rivierenland"
    folded = fold(name).strip()
    for prefix in ("gemeente ", "waterschap ", "hoogheemraadschap van ", "hoogheemraadschap "):
        folded = folded.removeprefix(prefix)
    return phrase_key(folded.replace("'", " ").replace(",", " ").strip())


@dataclass(frozen=True)
class Issuers:
    #: Folded municipality name (current, former or alias) -> (official name, province).
    municipalities: dict[str, tuple[str, str]]
    #: Folded water-board name -> (official name, provinces its area lies in).
    water_boards: dict[str, tuple[str, tuple[str, ...]]]


@functools.cache
def issuers() -> Issuers:
    data = load("municipalities.toml")
    municipalities: dict[str, tuple[str, str]] = {}
    for province, names in data["municipalities"].items():
        for name in names:
            municipalities[_issuer_key(name)] = (name, province)
    for alias, name in data["aliases"].items():
        municipalities[_issuer_key(alias)] = municipalities[_issuer_key(name)]
    for name, province in data["former"].items():
        municipalities.setdefault(_issuer_key(name), (name, province))
    boards = {
        _issuer_key(name): (name, tuple(provinces))
        for name, provinces in data["water_boards"].items()
    }
    return Issuers(municipalities, boards)


def municipality(name: str | None) -> tuple[str, str] | None:
    """(official name, province) of a Dutch municipality named exactly ("Gemeente Someren",
    "Den Haag"); None for anything else. Never guessed from running text."""
    if not name:
        return None
    return issuers().municipalities.get(_issuer_key(name))


def issuer_provinces(kind: str, name: str | None) -> tuple[str, ...]:
    """The provinces a regulation's issuer governs: kind is gemeente, provincie or waterschap
    (as overheid.nl metadata says); () when the issuer is not known."""
    if not name:
        return ()
    kind = fold(kind or "").strip()
    if kind.startswith("gemeente"):
        found = municipality(name)
        return (found[1],) if found else ()
    if kind.startswith("provincie"):
        province = normalise_province(name)
        return (province,) if province else ()
    if kind.startswith(("waterschap", "hoogheemraadschap")):
        board = issuers().water_boards.get(_issuer_key(name))
        return board[1] if board else ()
    return ()
