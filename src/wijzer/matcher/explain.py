"""Structured fit of one instrument to one profile: boosts, blockers and reasons in nl or en."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog import taxonomy
from wijzer.catalog.status import closes_at, derive_status, next_deadline
from wijzer.catalog.text import fold, words
from wijzer.catalog.vocabulary.places import place_names, provinces_in
from wijzer.matcher.profile import Profile
from wijzer.matcher.understanding import CONCEPTS, Understanding
from wijzer.search import analysis

_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "June", "July", "Aug", "Sept", "Oct", "Nov", "Dec")

# Words too generic to be a reason on their own ("past bij: bedrijf" explains nothing).
_GENERIC_WORDS = """
    bedrijf bedrijven onderneming ondernemer ondernemers willen wil zoeken zoekt nodig graag
    medewerkers fte werknemers jaar jaren eerst eerste nieuwe nieuw welke zijn hebben gaan maken
    company companies business businesses want wants looking need needs employees staff year
    years first new which make develop ontwikkelt ontwikkelen developing dutch nederland
    nederlandse netherlands europe europa european europese samen together mogelijk possibly
"""
_GENERIC = frozenset(fold(w) for w in _GENERIC_WORDS.split()) | place_names()

# Score adjustments on top of the retrieval score (0..1). Blockers sink a result below fits.
REGION_MATCH = 0.4
REGION_UNKNOWN = -0.25
LEVEL_EU_WANTED = 0.15
TYPE_WANTED = 0.2
TYPE_UNDERSTOOD = 0.1
TYPE_NOT_WANTED = -0.08
THEME_MATCH = 0.05
UNINFORMATIVE_THEMES = frozenset({"innovatie"})
BLOCKER_REGION = -1.0
BLOCKER_CLOSED = -0.25
BLOCKER_OTHER = -0.5


def format_date(day: dt.date, language: str) -> str:
    if language == "en":
        return f"{day.day} {_MONTHS_EN[day.month - 1]} {day.year}"
    return f"{day.day} {_MONTHS_NL[day.month - 1]} {day.year}"


def format_amount(amount: float, language: str) -> str:
    whole = f"{round(amount):,}"
    return "€ " + (whole.replace(",", ".") if language == "nl" else whole)


def _label(vocabulary: str, code: str, language: str) -> str:
    text = taxonomy.label(vocabulary, code, language)
    return text if vocabulary == "region" else text.lower()


@dataclass
class Fit:
    adjustment: float = 0.0
    reasons: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)
    closed: bool = False


def record_text(record: dict[str, Any]) -> str:
    return " ".join(str(record.get(k) or "") for k in ("title", "summary", "description", "funder"))


@functools.lru_cache(maxsize=20_000)
def _text_analysis(text: str) -> tuple[frozenset[str], str]:
    """Stems of a text and its words joined with spaces (for phrase checks), cached because
    the batch scorer explains the same new instruments to many profiles."""
    found = words(text)
    return (
        frozenset(stem for word in found for stem in analysis.stems(word)),
        f" {' '.join(found)} ",
    )


@functools.lru_cache(maxsize=20_000)
def _profile_words(description: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple((w, frozenset(analysis.stems(w))) for w in words(description))


def instrument_regions(record: dict[str, Any]) -> list[str]:
    """The provinces a regional scheme is for; schemes for a part of the country
    ("Oost-Nederland") name no province, so those are read from the text."""
    regions = list(record.get("regions") or [])
    if record.get("level") == "regional" and not regions:
        regions = list(provinces_in(record_text(record)))
    return regions


@functools.lru_cache(maxsize=256)
def _concept_terms(concept: str) -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    """A concept's stems (all terms), stems of its one-word terms, and its phrases."""
    nl, en = CONCEPTS[concept]
    terms = (*nl, *en)
    every = frozenset(s for t in terms for s in analysis.index_terms(t))
    single = frozenset(s for t in terms if " " not in t for s in analysis.index_terms(t))
    return every, single, tuple(t for t in terms if " " in t)


@functools.lru_cache(maxsize=1024)
def _phrase_words(phrase: str) -> str:
    return f" {' '.join(words(phrase))} "


def _phrase_in(phrase: str, folded_text: str) -> bool:
    return _phrase_words(phrase) in folded_text


def matched_terms(
    profile: Profile, understanding: Understanding, record: dict[str, Any], limit: int = 5
) -> list[str]:
    """Needs and words of the profile found in the instrument, concept labels first."""
    terms, words_text = _text_analysis(record_text(record))
    out: list[str] = []
    covered: set[str] = set()
    for concept in understanding.concepts:
        every, single, phrases = _concept_terms(concept)
        covered |= every
        if concept in ("startup", "sme", "grant", "innovation"):
            continue  # too common across the catalog to tell one instrument from another
        if single & terms or any(_phrase_in(p, words_text) for p in phrases):
            out.append(understanding.concept_label(concept, profile.language))
    for word, stems in _profile_words(profile.description):
        if len(word) < 4 or word in _GENERIC or word.isdigit():
            continue
        if stems & covered:
            continue
        if stems & terms and word not in out:
            out.append(word)
    return out[:limit]


def assess(
    profile: Profile,
    record: dict[str, Any],
    understanding: Understanding,
    today: dt.date,
    *,
    explain: bool = True,
) -> Fit:
    """Boosts, blockers and (when explain) reasons for one instrument and one profile."""
    nl = profile.language != "en"
    lang = "nl" if nl else "en"
    fit = Fit()
    region = profile.region or understanding.region

    if explain:
        terms = matched_terms(profile, understanding, record)
        if terms:
            fit.reasons.append(("past bij: " if nl else "matches: ") + ", ".join(terms))

    # Region and level.
    level = record.get("level")
    regions = instrument_regions(record)
    if level == "eu" and understanding.wants_eu:
        fit.adjustment += LEVEL_EU_WANTED
    if level == "regional" and regions:
        names = ", ".join(_label("region", r, lang) for r in regions)
        if region and region in regions:
            fit.adjustment += REGION_MATCH
            fit.reasons.append(
                f"regionale regeling voor {names}" if nl else f"regional scheme for {names}"
            )
        elif region:
            fit.adjustment += BLOCKER_REGION
            fit.blockers.append(
                f"alleen voor bedrijven in {names}" if nl else f"only for companies in {names}"
            )
        else:
            fit.adjustment += REGION_UNKNOWN
            fit.reasons.append(
                f"regionale regeling voor {names}" if nl else f"regional scheme for {names}"
            )
    elif level == "regional":
        fit.adjustment += REGION_UNKNOWN
        fit.reasons.append("regionale regeling" if nl else "regional scheme")
    elif level == "national":
        fit.reasons.append("landelijke regeling" if nl else "national scheme")
    elif level == "eu":
        fit.reasons.append("Europese regeling" if nl else "European scheme")

    # Instrument type: what the profile asks for, else what its text asks for.
    kind = record.get("instrument_type") or ""
    kind_label = _label("instrument_type", kind, lang)
    if profile.wants:
        if kind in profile.wants:
            fit.adjustment += TYPE_WANTED
            fit.reasons.append(
                f"soort die u zoekt: {kind_label}" if nl else f"the kind you want: {kind_label}"
            )
        else:
            fit.adjustment += TYPE_NOT_WANTED
    elif kind in understanding.types:
        fit.adjustment += TYPE_UNDERSTOOD
        fit.reasons.append(
            f"soort die u noemt: {kind_label}" if nl else f"the kind you mention: {kind_label}"
        )

    # "innovatie" tags most of the catalog, so sharing it says nothing about fit.
    themes = (set(record.get("themes") or []) & set(understanding.themes)) - UNINFORMATIVE_THEMES
    if themes:
        fit.adjustment += THEME_MATCH * min(2, len(themes))
        if explain:
            labels = ", ".join(_label("theme", t, lang) for t in sorted(themes))
            fit.reasons.append(f"thema: {labels}" if nl else f"theme: {labels}")

    # Size and stage, only when the instrument states them.
    for name, value, allowed in (
        ("size", profile.size, record.get("sizes") or []),
        ("stage", profile.stage, record.get("stages") or []),
    ):
        if not value or not allowed:
            continue
        labels = ", ".join(_label(name, v, lang) for v in allowed)
        if value in allowed:
            fit.reasons.append(f"voor {labels}" if nl else f"for {labels}")
        else:
            fit.adjustment += BLOCKER_OTHER
            fit.blockers.append(f"alleen voor {labels}" if nl else f"only for {labels}")

    # Amount needed against the instrument's range.
    amount = profile.amount if profile.amount is not None else understanding.amount
    low, high = record.get("amount_min"), record.get("amount_max")
    if amount is not None and (low is not None or high is not None):
        if low is not None and amount < low:
            fit.adjustment += BLOCKER_OTHER
            fit.blockers.append(
                f"pas vanaf {format_amount(low, lang)}"
                if nl
                else f"starts at {format_amount(low, lang)}"
            )
        elif high is not None and amount > high:
            fit.reasons.append(
                f"dekt tot {format_amount(high, lang)} van {format_amount(amount, lang)}"
                if nl
                else f"covers up to {format_amount(high, lang)} of {format_amount(amount, lang)}"
            )
        else:
            fit.adjustment += 0.05
            fit.reasons.append(
                f"bedrag past: {format_amount(amount, lang)}"
                if nl
                else f"amount fits: {format_amount(amount, lang)}"
            )

    # Deadline status.
    deadlines = record.get("deadlines") or []
    opens = record.get("opens_at")
    opens_at = dt.date.fromisoformat(opens) if opens else None
    status = derive_status(opens_at, deadlines, today)
    if status == "closed":
        last = closes_at(deadlines) or today
        fit.closed = True
        fit.adjustment += BLOCKER_CLOSED
        fit.blockers.append(
            f"gesloten sinds {format_date(last, lang)}"
            if nl
            else f"closed since {format_date(last, lang)}"
        )
    elif status == "forthcoming" and opens_at is not None:
        fit.reasons.append(
            f"opent op {format_date(opens_at, lang)}"
            if nl
            else f"opens on {format_date(opens_at, lang)}"
        )
    else:
        upcoming = next_deadline(deadlines, today)
        if upcoming is not None:
            fit.reasons.append(
                f"sluit op {format_date(upcoming, lang)}"
                if nl
                else f"closes on {format_date(upcoming, lang)}"
            )
        else:
            fit.reasons.append("open, geen deadline vermeld" if nl else "open, no deadline stated")
    return fit
