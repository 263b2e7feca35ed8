"""The words that name the taxonomy's codes in text: themes, instrument types, sizes, stages,
applicants and purposes.

The words are data (the TOML files beside this module); catalog enrichment (records) and query
understanding (profiles, queries) both read text through these functions, so the same text
gets the same codes on both sides. Places are in `vocabulary.places`, amounts in
`catalog.money`.
"""

from __future__ import annotations

import functools

from wijzer.catalog.text import fold
from wijzer.catalog.vocabulary.matching import KeywordSet, load


@functools.cache
def themes() -> KeywordSet:
    return KeywordSet(load("themes.toml"))


@functools.cache
def instrument_types() -> KeywordSet:
    return KeywordSet(load("instrument_types.toml"))


@functools.cache
def sizes() -> KeywordSet:
    return KeywordSet(load("company.toml")["size"])


@functools.cache
def stages() -> KeywordSet:
    return KeywordSet(load("company.toml")["stage"])


@functools.cache
def applicants() -> KeywordSet:
    return KeywordSet(load("applicants.toml"))


@functools.cache
def purposes() -> KeywordSet:
    return KeywordSet(load("purposes.toml"))


@functools.lru_cache(maxsize=64)
def _folded(text: str) -> str:
    # The same text is read by several vocabularies in a row: folded once.
    return fold(text)


def themes_in(text: str) -> list[str]:
    """Theme codes (KIA missions first, then cross-cutting) named in the text."""
    return themes().codes_in(_folded(text))


def types_in(text: str) -> list[str]:
    """Instrument types named in the text, the most specific first."""
    return instrument_types().codes_in(_folded(text))


def type_hits(text: str) -> dict[str, int]:
    """How many different words of each instrument type the text uses."""
    return instrument_types().hits(_folded(text))


def types_inside_words(text: str) -> list[str]:
    """Instrument types named anywhere, also at the end of a compound ("innovatiekrediet")."""
    return instrument_types().codes_inside_words(_folded(text))


def applicants_in(text: str) -> list[str]:
    """Who may apply, as the text names them (`generic` for companies of no stated size)."""
    return applicants().codes_in(_folded(text))


def purposes_in(text: str) -> list[str]:
    """What the money is for, as the text names it."""
    return purposes().codes_in(_folded(text))


def sizes_in(text: str) -> list[str]:
    """Company sizes the text names (micro, small, medium, large)."""
    return sizes().codes_in(_folded(text))


def stages_in(text: str) -> list[str]:
    """Company stages the text names (idea, startup, scaleup, established)."""
    return stages().codes_in(_folded(text))
