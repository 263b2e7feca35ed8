"""What the money is for (the taxonomy's purposes), each with the sentence it came from.

Read from the title, the summary and the first sentences of the text, where a scheme says
what it funds; a page's later details (conditions, procedures) name too much to be its
purpose. A tender is a public contract; a guarantee with no other stated purpose is `other`.
The research a report's authors did ("Wij hebben onderzoek gedaan naar 2 fondsen", "our audit")
is theirs, not what the scheme funds.
"""

from __future__ import annotations

import re

from wijzer.catalog import vocabulary
from wijzer.catalog.facts.focus import section_heading
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.units import Unit
from wijzer.catalog.taxonomy import PURPOSES

# The authors' own research or audit, in the first person.
_AUTHORS_RESEARCH = re.compile(
    r"\b(?:wij|we) hebben (?:\w+ ){0,3}(?:onderzoek|onderzocht|gekeken)|\b(?:ons|onze) "
    r"(?:\w+ )?onderzoek|\bour (?:\w+ )?(?:research|audit|study|review)\b|"
    r"\bwe (?:have )?(?:examined|investigated|researched|audited|reviewed)\b"
)
# How many units of the page or document are read for the purpose.
LEAD_UNITS = 12


def extract_purposes(source: FactSource, facts: Facts) -> None:
    found: dict[str, Unit] = {}
    seen_by_origin: dict[str, int] = {}
    for unit in _own_part(source):
        count = seen_by_origin.get(unit.origin, 0)
        seen_by_origin[unit.origin] = count + 1
        if count >= LEAD_UNITS and unit.origin not in ("title", "summary"):
            continue
        authors = _AUTHORS_RESEARCH.search(unit.folded)
        for code in vocabulary.purposes_in(unit.text):
            if not (code == "research" and authors):
                found.setdefault(code, unit)
    if source.instrument_type == "procurement":
        found.setdefault("procurement_contract", source.units[0])
    if not found and source.instrument_type == "guarantee":
        found["other"] = source.units[0]
    if found:
        codes = [c for c in PURPOSES if c in found]
        facts.add("purposes", codes, Evidence.of(found[codes[0]]))
        for code in codes:
            facts.evidence[f"purposes.{code}"] = Evidence.of(found[code])


def _own_part(source: FactSource) -> list[Unit]:
    """The units to read. A page or document that opens under a heading that does not name
    this record, and later has one that does (a list of schemes, with "Research & Development
    tax credit (WBSO)" as one section), is read from the heading that names it: what stands
    before is about the page or other schemes."""
    units = source.units
    first: dict[str, bool] = {}
    for position, unit in enumerate(units):
        if not unit.heading:
            continue
        # "Budget", "Voorwaarden", "Regionaal budget R&D-Samenwerkingsprojecten": a part of
        # one scheme's description, which tells nothing about where its own part starts.
        if section_heading(unit.text):
            continue
        named = source.names(unit.text)
        opened = first.setdefault(unit.origin, named)
        if named and not opened:
            return [u for i, u in enumerate(units) if i >= position or u.origin != unit.origin]
    return units
