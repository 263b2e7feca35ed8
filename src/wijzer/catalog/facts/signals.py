"""What a record's text says about whether it can be applied for, each with its words.

Signals, not a status: "Einddatum: 17 september 2024" is a closing date, "Tijdelijk gesloten
voor aanvragen" a closed banner, "They can submit their applications continuously" a standing
window, "2021" in a title a dated round. `catalog.status` turns them into a status for any day,
so the catalog stores what the source said and the status follows the calendar.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass
from typing import Any

from wijzer.catalog.dates import Found, dates_in
from wijzer.catalog.facts.source import FactSource
from wijzer.catalog.facts.units import DATA, TITLE, Unit
from wijzer.catalog.text import fold

# Kinds of signal, in the words of `catalog.status`.
OPENS = "opens"  # an application window opens on its date
CLOSES = "closes"  # ... or closes on it
ENDED = "ended"  # closed, ended, budget exhausted, awards made
EMERGENCY = "emergency"  # a Corona measure
ROUND = "round"  # a dated round ("MOOI 2020", "work programme 2024"): over after its year
DATED_BUDGET = "dated_budget"  # a budget or ceiling of a year ("ceiling ... (2016)")
STANDING = "standing"  # "doorlopend", "continuously"
FACILITY = "facility"  # a tax scheme, guarantee or lender product that says how to apply
OPEN_BANNER = "open_banner"  # "Open voor aanvragen" at the top of a page
SEEN = "page_date"  # the page's own date ("Laatst gecontroleerd op")
KINDS = (
    OPENS,
    CLOSES,
    ENDED,
    EMERGENCY,
    ROUND,
    DATED_BUDGET,
    STANDING,
    FACILITY,
    OPEN_BANNER,
    SEEN,
)


@dataclass(frozen=True)
class Signal:
    """One thing the text says about the window, with its words and (if any) its date."""

    kind: str
    quote: str
    origin: str
    date: dt.date | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat() if self.date else None,
            "quote": self.quote,
            "origin": self.origin,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Signal:
        date = data.get("date")
        return cls(
            str(data["kind"]),
            str(data.get("quote") or ""),
            str(data.get("origin") or DATA),
            dt.date.fromisoformat(date) if date else None,
        )


_OPENS = re.compile(
    r"(?:startdatum|start date|opens?\b|opent|opening|openstelling|open vanaf|open from|"
    r"aanvragen vanaf|aanvragen van|indienen vanaf|vanaf|applications? from|from|"
    r"plannedopeningdate|startdate)\W*(?:\w+\W+){0,4}$"
)
_CLOSES = re.compile(
    r"(?:einddatum|end date|sluit\w*|sluiting\w*|deadline\w*|closes?|closing|uiterlijk|"
    r"tot en met|t/m|until|untill|tot|before|by|vervall\w+ per|vervalt per|loopt tot|"
    r"extended to|verlengd tot|ends?\b|eindigt|submission|inschrijv\w*|"
    r"requests to participate|time limit|sluitingsdatum)\W*(?:\w+\W+){0,4}$"
)
# Dates of the page itself or of a regulation's version, not of the window.
_PAGE_DATE = re.compile(
    r"(?:gepubliceerd|laatst gecontroleerd|bijgewerkt|published|last checked|updated|"
    r"geraadpleegd|datum publicatie|publication date|last modified)\W*(?:\w+\W+){0,3}$"
)
_NOT_WINDOW = re.compile(
    r"(?:geldend van|opgericht|founded|established|since|sinds|besluit van|decision|"
    r"van kracht|in force|looptijd van|term of|terugbetal|repa(?:y|id)|aflossing|"
    r"mijlpal|rapportage|verantwoording|looptijd|duration)\W*(?:\w+\W+){0,6}$"
)
_RANGE_LINK = re.compile(r"^\s*(?:-|–|—|t/m|tot en met|tot|to|until|through|and|en)\s*$")
_ENDED = re.compile(
    r"(?:^\W*(?:tijdelijk |temporarily )?(?:gesloten|closed)\b|"
    r"\b(?:is|zijn|was|werd|wordt|are|were|now) (?:\w+ ){0,2}(?:gesloten|closed)\b|"
    r"\(gesloten\)|\(closed\)|gesloten voor (?:aanvragen|nieuwe)|closed for (?:applications|"
    r"submissions?|new)|\b(?:is beeindigd|beeindigd|afgelopen|has ended|have ended|ended on|"
    r"no longer (?:open|available|possible)|niet meer (?:mogelijk|open|aan te vragen)|"
    r"vervallen|expired|uitgeput|exhausted|used up|opgebruikt|ingetrokken|stopgezet|"
    r"discontinued|kunt u niet meer|kunt u geen .{0,30} meer|"
    r"hebben (?:\w+ ){0,3}subsidie\w* (?:ontvangen|gekregen)|subsidies? (?:zijn|is) toegekend|"
    r"(?:have|has) been awarded|were awarded)\b)"
)
# "gesloten" inside these is no closing: "samenwerking gesloten", "gesloten fonds".
_NOT_ENDED = re.compile(
    r"(?:gesloten (?:fonds|fund|overeenkomst|contract|tussen)|closed (?:fund|loop|end)|"
    r"overeenkomst\b.{0,80}gesloten|deal gesloten|gesloten met|closed with|closed between)"
)
_EMERGENCY = re.compile(r"\b(?:corona\w*|covid\w*|coronacrisis|crisismaatregel|noodmaatregel)")
_STANDING = re.compile(
    r"\b(?:doorlopend|continuously|continuous basis|on a rolling basis|all year round|"
    r"het hele jaar|het gehele jaar|op elk moment|at any time|any time|"
    r"geen sluitingsdatum|geen deadline|no deadline|no closing date|permanently open|"
    r"altijd (?:aanvragen|indienen))\b"
)
_OPEN_BANNER = re.compile(
    r"^(?:open voor aanvragen|open for applications?|open for submission|opened|"
    r"nu open|now open|open)\W*$"
)
# How people apply to a standing facility, in the present tense (strongest first).
_APPLY_NOW = re.compile(
    r"\b(?:you (?:can |may |must |simply )?(?:apply|submit)|apply (?:for|to|at)\b|"
    r"(?:they|entrepreneurs|smes|companies|ondernemers|bedrijven) (?:can |simply )?"
    r"(?:apply|submit)|"
    r"can submit|submit (?:an|the|your) application|u (?:kunt|vraagt|dient) \w+ aan|"
    r"kunt u \w+ aanvragen|vraagt u \w+ aan|vraag (?:je|u) \w+ aan|aanvragen (?:bij|via)|"
    r"je kunt \w+ aanvragen|kun je \w+ aanvragen)"
)
_OFFERS_NOW = re.compile(
    r"\b(?:verstrekt|verstrekken|provides|offers|biedt|bieden|you can deduct|deduct|"
    r"is eligible|may be eligible|komt .{0,40}in aanmerking|kom je .{0,40}in aanmerking)\b"
)
# A condition the applicant must meet is no offer to apply today: "Er is voldoende vertrouwen
# dat een financier de capaciteit heeft voor het verstrekken van geldleningen" (a condition for
# setting up a fund), "the lender must provide".
_CONDITION = re.compile(
    r"\b(?:moet|moeten|dient|dienen|must|shall|should|voorwaarden?|conditions?|"
    r"(?:voldoende )?vertrouwen dat|sufficient confidence)\b"
)
# A standing facility reached through a lender, or a tax scheme.
_LENDER = re.compile(
    r"\b(?:banks?|banken|bank|financiers?|funders?|lenders?|geldverstrekkers?|kredietunie\w*|"
    r"qredits|participating|deelnemende)\b"
)
FACILITY_TYPES = ("tax_credit", "guarantee")
# Instruments that run in rounds or calls; a fund's year is when it started, not a round.
ROUND_TYPES = ("subsidy", "voucher", "prize", "procurement", "advice")
# A year that names the round: "MOOI 2020", "(2021)", "2021 tender", "work programme 2024".
_TITLE_YEAR = re.compile(r"(?<![\d-])(?:19|20)\d{2}(?![\d-])")
_YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*(?:-|–|—|tot|to|t/m)\s*(?:19|20)?\d{2}")
_ROUND_TEXT = re.compile(
    r"\b(?:(?:werkprogramma|work ?programme|call|oproep|ronde|round|openstelling|tender)\s+"
    r"(?P<a>(?:19|20)\d{2})|(?P<b>(?:19|20)\d{2})\s+(?:work ?programme|werkprogramma|call|"
    r"round|ronde|openstelling|tender|application period|aanvraagperiode)|"
    r"(?:kunnen|can|could|konden)\s+(?:\w+\s+){0,3}in\s+(?P<c>(?:19|20)\d{2})\s+(?:\w+\s+){0,3}"
    r"(?:aanvragen|apply|indienen)|applications?\s+(?:in|for)\s+(?P<d>(?:19|20)\d{2}))\b"
)
# "MIT haalbaarheidsprojecten 2024: ...": a note or heading that names the round's year.
_NAMED_YEAR = re.compile(r"^(?P<name>[^:.]{3,80}?)\s\(?(?P<year>(?:19|20)\d{2})\)?\s*:")
_BUDGET_YEAR = re.compile(
    r"\b(?:(?:budget|plafond|subsidieplafond|ceiling|deelplafond)\w*\s+(?:for|voor|in|van)?\s*"
    r"(?P<a>(?:19|20)\d{2})|(?P<b>(?:19|20)\d{2})\s+(?:budget|ceiling|plafond)|"
    r"(?:budget|plafond|ceiling)\b[^.;]{0,120}\((?P<c>(?:19|20)\d{2})\))"
)
# Tax schemes are standing facilities whatever the crawler called them.
_TAX = re.compile(
    r"\b(?:tax (?:credit|benefit|scheme|advantage|deduction)s?|fiscale? \w*|fiscal|"
    r"belastingvoordeel|aftrek\w*|investeringsaftrek|deduct\w*|allowance)\b"
)
# A call identifier names its year: "DIGITAL-2025-EDIH-AC-08", "HORIZON-CL6-2026-04".
_CALL_ID_YEAR = re.compile(r"\b[a-z]{2,}(?:-[a-z0-9]+)?-(?P<year>20\d{2})-")
_PROGRAMME_NAMES = re.compile(r"\b(?:horizon|h)\s*2020\b")
# A page fresh enough for its own "open" banner to count (days before the day asked).
FRESH_DAYS = 60


def _quote(unit: Unit) -> str:
    return unit.quote()


def _dates(unit: Unit) -> list[tuple[str, Found]]:
    """(kind, date) of every date in the unit whose clause says what it is."""
    text = unit.text
    folded = unit.folded
    out: list[tuple[str, Found]] = []
    found = dates_in(text)
    # The closing reading is a second scan, needed only when a clause closes something.
    closing = functools.cache(lambda: dates_in(text, closing=True))
    ranges: set[int] = set()
    for first, second in itertools.pairwise(found):
        # "17 March–16 April 2026" is read as one span holding the second date.
        overlapping = second.start < first.end
        if overlapping or _RANGE_LINK.match(folded[first.end : second.start]):
            ranges.add(first.start)
    for position, item in enumerate(found):
        before = folded[max(0, item.start - 60) : item.start]
        if _PAGE_DATE.search(before):
            out.append((SEEN, item))
            continue
        if _NOT_WINDOW.search(before):
            continue
        if item.start in ranges:
            out.append((OPENS, item))
            continue
        if position > 0 and found[position - 1].start in ranges:
            out.append((CLOSES, _closing(closing(), item)))
            continue
        opens, closes = _OPENS.search(before), _CLOSES.search(before)
        if opens and (not closes or opens.start() > closes.start()):
            out.append((OPENS, item))
        elif closes:
            out.append((CLOSES, _closing(closing(), item)))
    return out


def _closing(closing: list[Found], item: Found) -> Found:
    """The closing reading of a coarse date: "tot eind 2021" is 31 December."""
    for other in closing:
        if other.start == item.start:
            return other
    return item


def extract_signals(source: FactSource) -> list[Signal]:
    """Every status signal in the record's text (dates, banners, wording, rounds)."""
    signals: list[Signal] = []
    lead = fold(f"{source.title} {source.summary}")
    for unit in source.units:
        folded = unit.folded
        quote = _quote(unit)
        for kind, found in _dates(unit):
            signals.append(Signal(kind, quote, unit.origin, found.date))
        if _OPEN_BANNER.match(folded) and unit.origin != TITLE:
            signals.append(Signal(OPEN_BANNER, quote, unit.origin))
        elif _ENDED.search(folded) and not _NOT_ENDED.search(folded):
            signals.append(Signal(ENDED, quote, unit.origin))
        if _STANDING.search(folded):
            signals.append(Signal(STANDING, quote, unit.origin))
        for m in _ROUND_TEXT.finditer(folded):
            year = int(next(g for g in m.groups() if g))
            signals.append(Signal(ROUND, quote, unit.origin, dt.date(year, 12, 31)))
        named = _NAMED_YEAR.match(unit.text)
        if named and source.instrument_type in ROUND_TYPES and source.names(named.group("name")):
            year = int(named.group("year"))
            signals.append(Signal(ROUND, quote, unit.origin, dt.date(year, 12, 31)))
        for m in _BUDGET_YEAR.finditer(folded):
            year = int(next(g for g in m.groups() if g))
            signals.append(Signal(DATED_BUDGET, quote, unit.origin, dt.date(year, 12, 31)))
        if _EMERGENCY.search(folded) and (
            unit.origin == TITLE or _EMERGENCY.search(lead) or "maatregel" in folded
        ):
            signals.append(Signal(EMERGENCY, quote, unit.origin))
    signals.extend(_title_round(source))
    signals.extend(_facility(source))
    return unique(signals)


def _title_round(source: FactSource) -> list[Signal]:
    """A year in the title names a dated round ("MOOI 2020", "LIFE 2015 call")."""
    title = _PROGRAMME_NAMES.sub(" ", fold(source.title))
    title = _YEAR_RANGE.sub(" ", title)
    for found in dates_in(title):
        if found.precision == "day":
            title = title[: found.start] + " " * (found.end - found.start) + title[found.end :]
    years = sorted({int(y) for y in _TITLE_YEAR.findall(title)})
    years += [int(m.group("year")) for m in _CALL_ID_YEAR.finditer(title)]
    years.sort()
    if not years:
        return []
    return [Signal(ROUND, " ".join(source.title.split()), TITLE, dt.date(years[-1], 12, 31))]


def _facility(source: FactSource) -> list[Signal]:
    """A tax scheme, a guarantee or a lender's product that says how to apply, today."""
    lender = source.instrument_type == "loan"
    taxed = sum(1 for unit in source.units if _TAX.search(unit.folded)) >= 2
    if source.instrument_type not in FACILITY_TYPES and not lender and not taxed:
        return []
    # The record's own part of a page listing several schemes first: its "You submit the
    # application within 3 months" says more than the page's "Read more about schemes you can
    # apply for".
    own = source.own_units
    # The rest by identity: the own part holds the same unit objects, and comparing units by
    # value would scan the list once per unit.
    kept = {id(unit) for unit in own}
    ordered = [*own, *(u for u in source.units if id(u) not in kept)]
    for pattern in (_APPLY_NOW, _OFFERS_NOW):
        for unit in ordered:
            folded = unit.folded
            if not pattern.search(folded):
                continue
            if lender and not taxed and not _LENDER.search(folded):
                continue
            if pattern is _OFFERS_NOW and _CONDITION.search(folded):
                continue
            return [Signal(FACILITY, _quote(unit), unit.origin)]
    return []


def unique(signals: list[Signal]) -> list[Signal]:
    """The signals in order, each (kind, date, quote) once."""
    seen: set[tuple[str, dt.date | None, str]] = set()
    out = []
    for signal in signals:
        key = (signal.kind, signal.date, signal.quote)
        if key not in seen:
            seen.add(key)
            out.append(signal)
    return out


def data_signals(
    opens_at: dt.date | None, deadlines: list[dt.date], source: FactSource
) -> list[Signal]:
    """Signals for dates a source gives as data (an API field), quoted where the text has them."""
    out = []
    for kind, dates in ((OPENS, [opens_at] if opens_at else []), (CLOSES, deadlines)):
        for date in dates:
            out.append(Signal(kind, _data_quote(kind, date, source), DATA, date))
    return out


def _data_quote(kind: str, date: dt.date, source: FactSource) -> str:
    for unit in source.units:
        if any(f.date == date for f in dates_in(unit.text)):
            return _quote(unit)
    label = "opens_at" if kind == OPENS else "deadline"
    return f"{label}: {date.isoformat()}"
