"""What fact extraction reads of a record, and what it returns: values with their quotes."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog.facts.focus import focus, own_part, relevance
from wijzer.catalog.facts.units import BODY, DOCUMENT, PARAPHRASE, SUMMARY, TITLE, Unit, clip, units


@dataclass(frozen=True)
class Evidence:
    """The words a fact rests on and where they stand."""

    quote: str
    #: title | summary | description (the record's text) | document (its source document) |
    #: data (a structured field of the source) | staff
    origin: str

    def as_json(self) -> dict[str, str]:
        return {"quote": self.quote, "origin": self.origin}

    @classmethod
    def of(cls, unit: Unit) -> Evidence:
        return cls(unit.quote(), unit.origin)

    @classmethod
    def from_json(cls, data: Any) -> Evidence | None:
        if isinstance(data, dict) and isinstance(data.get("quote"), str):
            return cls(clip(data["quote"]), str(data.get("origin") or DOCUMENT))
        if isinstance(data, str) and data.strip():
            return cls(clip(data), DOCUMENT)
        return None


@dataclass(frozen=True)
class FactSource:
    """A record's own words: title, summary, page text and the source document it points at."""

    title: str
    summary: str = ""
    body: str = ""
    document: str = ""
    #: The source document is a paraphrase (third-party notes), not the original wording.
    paraphrase: bool = False
    #: Titles of other records described by the same text (focus keeps this record's part).
    others: tuple[str, ...] = ()
    instrument_type: str = "subsidy"
    level: str = "national"
    regions: tuple[str, ...] = ()
    language: str = "nl"
    #: When the text was seen (fetched or collected); None when not known.
    seen_on: dt.date | None = None
    #: The kinds of action a call states as data ("HORIZON Innovation Actions").
    action_types: tuple[str, ...] = ()

    @functools.cached_property
    def units(self) -> list[Unit]:
        """Title, summary (unless the page repeats it) and the focused page and document."""
        out = [Unit(" ".join(self.title.split()), TITLE, "", 0)]
        texts = " ".join(f"{self.body} {self.document}".split())
        summary = " ".join(self.summary.split())
        if summary and summary not in texts:
            out.extend(units(self.summary, SUMMARY, start=1))
        start = len(out)
        document = PARAPHRASE if self.paraphrase else DOCUMENT
        for text, origin in ((self.body, BODY), (self.document, document)):
            if text.strip():
                found = focus(units(text, origin, start=start), self.title, self.others)
                out.extend(found)
                start += len(found) + 1
        return out

    @functools.cached_property
    def own_units(self) -> list[Unit]:
        """The units about this record alone: on a text that also describes other schemes,
        from the heading that names it on (`focus.own_part`); else every unit."""
        return own_part(self.units, self.names) if self.others else self.units

    def relevance(self, unit: Unit) -> int:
        """How many words of its own (not of the others) a unit of a shared text names."""
        return relevance(unit, self.title, self.others) if self.others else 0

    def names(self, text: str) -> bool:
        """Whether the text names one of this record's own title words."""
        return relevance(Unit(text, TITLE), self.title, self.others) > 0

    def title_overlap(self, unit: Unit) -> float:
        """A small preference for units that name the scheme (0, 0.25 or 0.5)."""
        if unit.origin == "title":
            return 0.0
        return min(relevance(unit, self.title, ()), 2) * 0.25


@dataclass
class Facts:
    """Values found in a record's text, each fact with the unit it came from."""

    values: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Evidence] = field(default_factory=dict)

    def add(self, name: str, value: Any, evidence: Evidence) -> None:
        self.values[name] = value
        self.evidence[name] = evidence
