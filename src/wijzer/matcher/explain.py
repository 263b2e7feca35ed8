"""Why an instrument fits a profile: the words they share, and the rules for one record."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field, replace
from typing import Any

from wijzer.catalog.text import fold, words
from wijzer.catalog.vocabulary.places import place_names
from wijzer.matcher import reasons, rules
from wijzer.matcher.profile import Profile
from wijzer.matcher.reasons import Kind, Reason
from wijzer.matcher.rules import record_text
from wijzer.matcher.understanding import CONCEPTS, Understanding
from wijzer.search import analysis

# Words too generic to be a reason on their own ("past bij: bedrijf" explains nothing).
_GENERIC_WORDS = """
    bedrijf bedrijven onderneming ondernemer ondernemers willen wil zoeken zoekt nodig graag
    medewerkers fte werknemers jaar jaren eerst eerste nieuwe nieuw welke zijn hebben gaan maken
    company companies business businesses want wants looking need needs employees staff year
    years first new which make develop ontwikkelt ontwikkelen developing dutch nederland
    nederlandse netherlands europe europa european europese samen together mogelijk possibly
"""
_GENERIC = frozenset(fold(w) for w in _GENERIC_WORDS.split()) | place_names()


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


# Concepts too common across the catalog to tell one instrument from another.
_COMMON_CONCEPTS = frozenset({"startup", "sme", "grant", "innovation"})
# Concepts that a rule's own reason states in words when it fits (the purpose of the money, the
# instrument type): said there, with the source's quote, and not again as "matches: ...".
_SAID_BY_RULES: dict[str, tuple[str, ...]] = {
    "feasibility": ("purpose_fits:feasibility",),
    "proof_of_concept": ("purpose_fits:feasibility",),
    "demonstration": ("purpose_fits:demonstration",),
    "market": ("purpose_fits:market_introduction",),
    "export": ("purpose_fits:export_international",),
    "advice": ("purpose_fits:advice", "type:advice"),
    "procurement": ("purpose_fits:procurement_contract", "type:procurement"),
    "loan": ("type:loan",),
    "grant": ("type:subsidy",),
    "equity": ("type:equity",),
    "guarantee": ("type:guarantee",),
    "voucher": ("type:voucher",),
    "tax": ("type:tax_credit",),
}
# Concepts that name a kind of money, and that kind: they fit only an instrument of that kind.
# A tax credit's text says "credit" and a guarantee's says "loan", but neither is the loan a
# bakery asks for, so "matches: loan" under them stated a fit that is not there.
_TYPE_CONCEPTS: dict[str, str] = {
    "loan": "loan",
    "grant": "subsidy",
    "equity": "equity",
    "guarantee": "guarantee",
    "voucher": "voucher",
    "tax": "tax_credit",
    "procurement": "procurement",
}
# True of an instrument whoever asks, and shown with it on the page (its level): not a reason.
_GENERIC_CONTEXT = frozenset({"national_scheme", "european_scheme"})


def matched_terms(
    profile: Profile,
    understanding: Understanding,
    record: dict[str, Any],
    limit: int = 5,
    said: frozenset[str] = frozenset(),
) -> Reason | None:
    """Needs (concepts) and words of the profile found in the instrument, needs first; a
    concept another reason already states (`said`, see `_SAID_BY_RULES`) is left out."""
    terms, words_text = _text_analysis(record_text(record))
    kind = record.get("instrument_type")
    concepts: list[str] = []
    shared: list[str] = []
    covered: set[str] = set()
    for concept in understanding.concepts:
        every, single, phrases = _concept_terms(concept)
        covered |= every
        if concept in _COMMON_CONCEPTS or said.intersection(_SAID_BY_RULES.get(concept, ())):
            continue
        if _TYPE_CONCEPTS.get(concept, kind) != kind:
            continue
        if single & terms or any(_phrase_in(p, words_text) for p in phrases):
            concepts.append(concept)
    for word, stems in _profile_words(profile.description):
        if len(word) < 4 or word in _GENERIC or word.isdigit():
            continue
        if stems & covered:
            continue
        if stems & terms and word not in shared:
            shared.append(word)
    concepts = concepts[:limit]
    shared = shared[: limit - len(concepts)]
    return reasons.matches_terms(concepts, shared) if concepts or shared else None


@dataclass
class Fit:
    adjustment: float = 0.0
    reasons: list[Reason] = field(default_factory=list)
    blockers: list[Reason] = field(default_factory=list)
    closed: bool = False


def explain(
    profile: Profile,
    understanding: Understanding,
    assessment: rules.Assessment,
    row: int,
) -> tuple[list[Reason], list[Reason]]:
    """(reasons, blockers) of one assessed row: shared words first, then each rule's; each fit
    said once, and context that is true whoever asks (a national scheme) left out."""
    found = [
        r
        for r in assessment.reasons(row)
        if not (r.code in _GENERIC_CONTEXT and r.kind == Kind.CONTEXT)
    ]
    shared = matched_terms(profile, understanding, assessment.table.records[row], said=_said(found))
    fits, blockers = rules.split([shared, *found] if shared else found)
    if not any(r.kind == Kind.FIT for r in fits):
        # Context ("national scheme", "open, no deadline") says nothing about this profile:
        # it never stands alone. A candidate no rule or word explains was found by meaning.
        fits.insert(0, reasons.similar_description())
    return _quoted_once(fits), blockers


def _quoted_once(found: list[Reason]) -> list[Reason]:
    """A source sentence that supports several fits is quoted under the first of them only.

    One sentence often states the amount and the purpose at once; quoting it under each reason
    made a result read the same paragraph two or three times. Blockers keep their quote: they
    are read on their own, under "watch out".
    """
    seen: set[str] = set()
    kept = []
    for reason in found:
        if reason.quote and reason.quote in seen:
            reason = replace(reason, quote=None)
        elif reason.quote:
            seen.add(reason.quote)
        kept.append(reason)
    return kept


def _said(found: list[Reason]) -> frozenset[str]:
    """What the rules' fit reasons state: "purpose_fits:<code>" and "type:<code>"."""
    said: set[str] = set()
    for reason in found:
        if reason.kind != Kind.FIT:
            continue
        if reason.code == "purpose_fits":
            said.update(f"purpose_fits:{p}" for p in reason.params["purposes"])
        elif reason.code in ("type_wanted", "type_mentioned"):
            said.add(f"type:{reason.params['type']}")
    return frozenset(said)


def assess(
    profile: Profile,
    record: dict[str, Any],
    understanding: Understanding,
    today: dt.date,
) -> Fit:
    """The structured fit of one instrument to one profile (the rules over a table of one)."""
    assessment = rules.assess_table(
        rules.Asks.of(profile, understanding), rules.FitTable([record], today)
    )
    found, blockers = explain(profile, understanding, assessment, 0)
    return Fit(float(assessment.adjustment[0]), found, blockers, bool(assessment.closed[0]))


def score_parts(
    profile: Profile, record: dict[str, Any], understanding: Understanding, today: dt.date
) -> list[tuple[str, float]]:
    """Each rule's share of one instrument's score adjustment for a profile, by rule name
    ("type", "purpose", ...), leaving out rules that add nothing: why a result ranks where it
    does (the evaluation bench prints them for every judged instrument it misses)."""
    assessment = rules.assess_table(
        rules.Asks.of(profile, understanding), rules.FitTable([record], today)
    )
    parts = []
    for rule, outcome in zip(rules.RULES, assessment.outcomes[:, 0].tolist(), strict=True):
        weight = rule.WEIGHTS[outcome]
        if weight:
            parts.append((rule.name, float(weight)))
    return parts
