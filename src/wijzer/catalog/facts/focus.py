"""The part of a shared text that is about one record.

One page can describe several schemes (a list of "popular subsidies", a news item about three
funds). When the catalog knows which other records share the text, a record keeps the units
under its own heading, or naming its own words, and leaves the ones that name only another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence

from wijzer.catalog.facts.units import Unit
from wijzer.catalog.text import fold

# Words of a title that say nothing about which scheme it is.
_GENERIC = frozenset(
    [
        "de",
        "het",
        "een",
        "en",
        "of",
        "van",
        "voor",
        "in",
        "op",
        "met",
        "aan",
        "bij",
        "tot",
        "uit",
        "door",
        "over",
        "naar",
        "als",
        "dat",
        "die",
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "for",
        "in",
        "on",
        "with",
        "at",
        "to",
        "from",
        "by",
        "as",
        "about",
        "via",
        "regeling",
        "subsidie",
        "subsidies",
        "subsidieregeling",
        "scheme",
        "schemes",
        "programme",
        "program",
        "programma",
        "fonds",
        "fund",
        "funds",
        "lening",
        "loan",
        "loans",
        "krediet",
        "credit",
        "garantie",
        "guarantee",
        "call",
        "calls",
        "provincie",
        "province",
        "nederland",
        "netherlands",
        "dutch",
        "nederlandse",
        "european",
        "europese",
        "eu",
        "mkb",
        "sme",
        "smes",
        "ondernemers",
        "entrepreneurs",
        "bedrijven",
        "companies",
        "business",
        "businesses",
        "project",
        "projecten",
        "projects",
        "innovatie",
        "innovation",
        "innovatief",
        "innovative",
    ]
)
# Headings of a part of one scheme's description, not of another scheme.
_SECTION_WORDS = re.compile(
    r"\b(?:budget|voorwaarden|conditions|looptijd|aanvra|apply|applica|criteria|criterium|"
    r"hoe |how |wanneer|when |wie |who |wat |what |meer informatie|more information|contact|"
    r"vragen|questions|eligib|funding rates|financiering|kosten|costs|bedrag|amount|"
    r"beoordel|evaluation|procedure|proces|process|documenten|documents|publicat|"
    r"international calls|national|nationaal|fasen|phases|doelgroep|target)"
)
# A line that leads a list of what is excluded: "You should NOT consider EIC accelerator if:",
# "Wat financieren we niet?", "Uitgesloten zijn:".
_EXCLUDING_LEAD = re.compile(
    r"\b(?:not|niet|geen|never|nooit)\b|\bexclu|\buitgesloten\b|\buitzondering"
)
# How much of a word must agree: Dutch compounds and plurals share their first letters.
_STEM = 7


def _words(title: str) -> set[str]:
    words = set()
    for raw in re.findall(r"[\w&+-]+", fold(title)):
        for word in raw.strip("-").split("-"):
            if len(word) >= 3 and word not in _GENERIC and not word.isdigit():
                words.add(word[:_STEM])
    # Acronyms keep their short form: "GO", "VFF", "COL".
    for acronym in re.findall(r"\b[A-Z][A-Z0-9&+-]{1,9}\b", title):
        words.add(fold(acronym))
    return words


def _tokens(folded: str) -> set[str]:
    """The words of a folded text, whole and cut to their stem."""
    found = re.findall(r"[\w&+]+", folded)
    return {t[:_STEM] for t in found} | set(found)


def _mentions(tokens: set[str], words: Iterable[str]) -> int:
    return sum(1 for w in words if w in tokens)


def own_words(title: str, others: Sequence[str]) -> tuple[set[str], set[str]]:
    """(words of this title no other title has, words only the others have)."""
    mine = _words(title)
    theirs: set[str] = set()
    for other in others:
        theirs |= _words(other)
    return mine - theirs, theirs - mine


def section_heading(heading: str) -> bool:
    """A heading of a part of one scheme's description ("Budget", "Voorwaarden")."""
    return bool(_SECTION_WORDS.search(fold(heading)))


def focus(units: list[Unit], title: str, others: Sequence[str]) -> list[Unit]:
    """The units about this record when the text also describes the `others`.

    A heading that names this record starts its section, one that names another starts
    theirs; a plain heading ("Budget", "Voorwaarden") continues the section it is in, and
    any other heading after a claimed one starts a section about something else. Outside
    claimed sections a unit is kept unless it names another record and not this one. With
    no others, every unit is kept.
    """
    if not others:
        return units
    mine, theirs = own_words(title, others)
    if not mine and not theirs:
        return units
    owner, claimed, section = "", False, None
    kept = []
    for unit in units:
        if unit.section != section:
            section = unit.section
            heading = _tokens(fold(section))
            a, b = _mentions(heading, mine), _mentions(heading, theirs)
            if a > b:
                owner, claimed = "mine", True
            elif b > a:
                owner, claimed = "theirs", True
            elif not section_heading(section) and claimed:
                owner = "other"
        if owner in ("theirs", "other"):
            continue
        tokens = _tokens(unit.folded)
        a, b = _mentions(tokens, mine), _mentions(tokens, theirs)
        if b > a and owner != "mine":
            continue
        kept.append(unit)
    return kept


def relevance(unit: Unit, title: str, others: Sequence[str]) -> int:
    """How many of this record's own words the unit names (to prefer the unit about it)."""
    mine, _ = own_words(title, others)
    return _mentions(_tokens(unit.folded), mine)


def own_part(units: list[Unit], names: Callable[[str], bool]) -> list[Unit]:
    """The units to read for facts about this record. A page or document that opens under a
    heading that does not name the record (`names`), and later has one that does (a list of
    schemes, with "Research & Development tax credit (WBSO)" as one section), is read from the
    heading that names it: what stands before is about the page or other schemes ("The
    government offers various subsidies and schemes to help entrepreneurs financially")."""
    first: dict[str, bool] = {}
    for position, unit in enumerate(units):
        if not unit.heading:
            continue
        # "Budget", "Voorwaarden", "Regionaal budget R&D-Samenwerkingsprojecten": a part of
        # one scheme's description, which tells nothing about where its own part starts.
        if section_heading(unit.text):
            continue
        named = names(unit.text)
        opened = first.setdefault(unit.origin, named)
        if named and not opened:
            return [u for i, u in enumerate(units) if i >= position or u.origin != unit.origin]
    return units


def excluded_items(units: list[Unit]) -> set[Unit]:
    """The list items under a line that leads a list of what is excluded: they name what the
    scheme is not for or not open to ("You should NOT consider EIC accelerator if: · You seek
    for regular R&D funding")."""
    out: set[Unit] = set()
    excluding = False
    for unit in units:
        if unit.item:
            if excluding:
                out.add(unit)
            continue
        text = unit.folded.rstrip()
        excluding = text.endswith((":", "?")) and bool(_EXCLUDING_LEAD.search(text))
    return out
