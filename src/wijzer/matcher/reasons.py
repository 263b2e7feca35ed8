"""Reasons and blockers as data: a code, its parameters, its kind and the source's words.

The matcher says *why* without words of any language; `wijzer.i18n.wording` renders each
code in the reader's language (dates and money through Babel). Parameters are plain JSON
values (codes of the catalog's vocabularies, ISO dates, amounts in euro, the user's own
words), so a reason survives a round trip through the API, the CLI's JSON and the outbox.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a reason does for the reader."""

    #: Why the instrument fits this profile (the region, the type, the amount it asks for).
    FIT = "fit"
    #: True of the instrument whoever asks (national scheme, open until a date).
    CONTEXT = "context"
    #: Why the profile is probably not eligible (another province, closed, too small a need).
    BLOCKER = "blocker"


@dataclass(frozen=True)
class Reason:
    code: str
    kind: Kind
    params: Mapping[str, Any] = field(default_factory=dict)
    #: The source's own sentence that states the fact, where the source states one.
    quote: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": str(self.kind),
            "params": dict(self.params),
            "quote": self.quote,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Reason:
        code = str(data["code"])
        if code not in CODES:
            raise ValueError(f"unknown reason code {code!r}")
        return cls(code, Kind(data["kind"]), dict(data.get("params") or {}), data.get("quote"))


# Every code with the names of its parameters; the wording module renders each one.
CODES: dict[str, tuple[str, ...]] = {
    "matches_terms": ("concepts", "words"),
    "region_fits": ("provinces",),
    "regional": ("provinces",),
    "region_only": ("provinces",),
    "national_scheme": (),
    "european_scheme": (),
    "type_wanted": ("type",),
    "type_mentioned": ("type",),
    "guarantees_loan": (),
    "theme": ("codes",),
    "size_fits": ("sizes",),
    "size_only": ("sizes",),
    "stage_fits": ("stages",),
    "stage_only": ("stages",),
    "applicant_only": ("applicants",),
    "applicants_fit": ("applicants",),
    "collaboration_only": (),
    "collaboration_fits": (),
    "partners_abroad": (),
    "through_financiers": (),
    "amount_fits": ("amount",),
    "amount_in_range": ("amount", "minimum", "maximum"),
    "covers_up_to": ("maximum", "amount"),
    "lends_up_to": ("maximum", "amount"),
    "starts_at": ("amount",),
    "purpose_fits": ("purposes",),
    "purpose_other": ("purposes",),
    "area_fits": ("area",),
    "area_only": ("area",),
    "not_stated": ("facts",),
    "closed_since": ("date",),
    "opens_on": ("date",),
    "closes_on": ("date",),
    "open_no_deadline": (),
    "status_unknown": (),
    "closed_stated": (),
    "similar_description": (),
    "matches_search": ("query",),
    "search_filter": ("field", "codes"),
}


def _reason(code: str, kind: Kind, quote: str | None = None, **params: Any) -> Reason:
    return Reason(code, kind, params, quote)


def _codes(values: Iterable[str]) -> list[str]:
    return [str(v) for v in values]


def matches_terms(concepts: Iterable[str], words: Iterable[str]) -> Reason:
    """Needs of the profile (concept codes) and its own words found in the instrument."""
    return _reason("matches_terms", Kind.FIT, concepts=_codes(concepts), words=_codes(words))


def region_fits(provinces: Iterable[str]) -> Reason:
    return _reason("region_fits", Kind.FIT, provinces=_codes(provinces))


def regional(provinces: Iterable[str]) -> Reason:
    """A regional scheme where the profile's province is unknown (or the scheme names none)."""
    return _reason("regional", Kind.CONTEXT, provinces=_codes(provinces))


def region_only(provinces: Iterable[str]) -> Reason:
    return _reason("region_only", Kind.BLOCKER, provinces=_codes(provinces))


def national_scheme() -> Reason:
    return _reason("national_scheme", Kind.CONTEXT)


def european_scheme(wanted: bool) -> Reason:
    """A fit when the profile asks for European funding, context otherwise."""
    return _reason("european_scheme", Kind.FIT if wanted else Kind.CONTEXT)


def type_wanted(kind: str) -> Reason:
    return _reason("type_wanted", Kind.FIT, type=kind)


def type_mentioned(kind: str) -> Reason:
    return _reason("type_mentioned", Kind.FIT, type=kind)


def guarantees_loan() -> Reason:
    """A guarantee on a bank loan, for a profile that asks for a loan: it is no loan itself."""
    return _reason("guarantees_loan", Kind.FIT)


def theme(codes: Iterable[str]) -> Reason:
    return _reason("theme", Kind.FIT, codes=_codes(codes))


def size_fits(sizes: Iterable[str], quote: str | None = None) -> Reason:
    return _reason("size_fits", Kind.FIT, quote, sizes=_codes(sizes))


def size_only(sizes: Iterable[str], quote: str | None = None) -> Reason:
    return _reason("size_only", Kind.BLOCKER, quote, sizes=_codes(sizes))


def applicant_only(applicants: Iterable[str], quote: str | None = None) -> Reason:
    """The source names only applicants the profile is not (funds, hubs, public bodies)."""
    return _reason("applicant_only", Kind.BLOCKER, quote, applicants=_codes(applicants))


def applicants_fit(applicants: Iterable[str], quote: str | None = None) -> Reason:
    """The source names what the profile is among who may apply."""
    return _reason("applicants_fit", Kind.FIT, quote, applicants=_codes(applicants))


def collaboration_only(quote: str | None = None) -> Reason:
    """Only for collaborations of several organisations; the profile names no partner."""
    return _reason("collaboration_only", Kind.BLOCKER, quote)


def collaboration_fits(quote: str | None = None) -> Reason:
    """A scheme for collaborations, and the profile works with others."""
    return _reason("collaboration_fits", Kind.FIT, quote)


def partners_abroad(quote: str | None = None) -> Reason:
    """For collaborations across borders; the profile names partners in its own country only."""
    return _reason("partners_abroad", Kind.BLOCKER, quote)


def through_financiers(quote: str | None = None) -> Reason:
    """A loan or investment paid to funds or financiers: a company applies to them."""
    return _reason("through_financiers", Kind.BLOCKER, quote)


def amount_in_range(
    amount: float, minimum: float | None, maximum: float | None, quote: str | None = None
) -> Reason:
    """The amount needed lies within what the source states (either bound may be unstated)."""
    return _reason(
        "amount_in_range", Kind.FIT, quote, amount=amount, minimum=minimum, maximum=maximum
    )


def purpose_fits(purposes: Iterable[str], quote: str | None = None) -> Reason:
    """The money is for what the profile needs it for (purpose codes both name)."""
    return _reason("purpose_fits", Kind.FIT, quote, purposes=_codes(purposes))


def purpose_other(purposes: Iterable[str], quote: str | None = None) -> Reason:
    """The source names only other purposes than the profile's."""
    return _reason("purpose_other", Kind.CONTEXT, quote, purposes=_codes(purposes))


def area_fits(area: str, quote: str | None = None) -> Reason:
    """An area beyond one province (a region, developing countries) the profile is in."""
    return _reason("area_fits", Kind.FIT, quote, area=area)


def area_only(area: str, quote: str | None = None) -> Reason:
    return _reason("area_only", Kind.BLOCKER, quote, area=area)


def not_stated(facts: Iterable[str]) -> Reason:
    """Facts the profile asks about that the source does not state: no fit, no blocker.
    facts: applicants | amount | purposes."""
    return _reason("not_stated", Kind.CONTEXT, facts=_codes(facts))


def stage_fits(stages: Iterable[str]) -> Reason:
    return _reason("stage_fits", Kind.FIT, stages=_codes(stages))


def stage_only(stages: Iterable[str]) -> Reason:
    return _reason("stage_only", Kind.BLOCKER, stages=_codes(stages))


def amount_fits(amount: float) -> Reason:
    return _reason("amount_fits", Kind.FIT, amount=amount)


def covers_up_to(
    maximum: float, amount: float, quote: str | None = None, blocks: bool = False
) -> Reason:
    """The instrument covers part of the amount needed; a loan, guarantee or investment whose
    maximum is far below the need does not fit it (`blocks`)."""
    if blocks:
        return _reason("lends_up_to", Kind.BLOCKER, quote, maximum=maximum, amount=amount)
    return _reason("covers_up_to", Kind.CONTEXT, quote, maximum=maximum, amount=amount)


def starts_at(amount: float, quote: str | None = None, blocks: bool = True) -> Reason:
    """The instrument's minimum is above the need: far above blocks, near is context."""
    return _reason("starts_at", Kind.BLOCKER if blocks else Kind.CONTEXT, quote, amount=amount)


def closed_since(day: dt.date, quote: str | None = None) -> Reason:
    return _reason("closed_since", Kind.BLOCKER, quote, date=day.isoformat())


def closed_stated(quote: str | None = None) -> Reason:
    """The source says it is closed (budget used up, ended, a past round), with no date."""
    return _reason("closed_stated", Kind.BLOCKER, quote)


def status_unknown() -> Reason:
    """The source does not tell whether it can be applied for now: ask the funder."""
    return _reason("status_unknown", Kind.CONTEXT)


def opens_on(day: dt.date) -> Reason:
    return _reason("opens_on", Kind.CONTEXT, date=day.isoformat())


def closes_on(day: dt.date) -> Reason:
    return _reason("closes_on", Kind.CONTEXT, date=day.isoformat())


def open_no_deadline(quote: str | None = None) -> Reason:
    return _reason("open_no_deadline", Kind.CONTEXT, quote)


def similar_description() -> Reason:
    """The instrument's text is close to the profile's description (vector similarity)."""
    return _reason("similar_description", Kind.FIT)


def matches_search(query: str) -> Reason:
    """The instrument answers a saved search's words."""
    return _reason("matches_search", Kind.FIT, query=query)


def search_filter(name: str, codes: Iterable[str]) -> Reason:
    """The instrument has the values a saved search filters on (name: a vocabulary)."""
    return _reason("search_filter", Kind.FIT, field=name, codes=_codes(codes))
