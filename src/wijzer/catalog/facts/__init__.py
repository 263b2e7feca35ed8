"""Facts about an instrument read from its own text, each with the words it rests on.

`extract(source)` reads a record's title, summary, page text and the source document it points
at (`FactSource`) and returns the facts it found with their evidence, plus the status signals
`catalog.status` decides a status from. What the text does not state is left out: the catalog
shows "not stated by the source" rather than a guess. `catalog.fact_records` applies this to
the records the catalog stores.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from wijzer.catalog.facts.amounts import extract_amounts
from wijzer.catalog.facts.geography import extract_geography
from wijzer.catalog.facts.purposes import extract_purposes
from wijzer.catalog.facts.signals import Signal, extract_signals
from wijzer.catalog.facts.source import Evidence, Facts, FactSource
from wijzer.catalog.facts.themes import extract_themes
from wijzer.catalog.facts.who import extract_who

__all__ = ["FACT_FIELDS", "Evidence", "Extraction", "FactSource", "Facts", "Signal", "extract"]

# The facts a record carries with evidence (record fields of the same name).
FACT_FIELDS = (
    "amount_min",
    "amount_max",
    "budget_total",
    "sizes",
    "applicants",
    "purposes",
    "geography",
    "themes",
)


@dataclass
class Extraction:
    facts: Facts = field(default_factory=Facts)
    signals: list[Signal] = field(default_factory=list)


def extract(source: FactSource) -> Extraction:
    """Every fact and status signal the record's own text states."""
    facts = Facts()
    extract_amounts(source, facts)
    extract_who(source, facts)
    extract_purposes(source, facts)
    extract_geography(source, facts)
    extract_themes(source, facts)
    return Extraction(facts, extract_signals(source))
