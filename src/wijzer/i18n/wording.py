"""The words of every reason and blocker code, in the reader's language (the `reasons` domain).

Messages are English gettext msgids translated in `translations/nl/LC_MESSAGES/reasons.po`;
vocabulary codes are shown with the catalog's labels, dates and money through Babel. This is
the one place that turns a `Reason` into text: pages, the API, the CLI and emails call it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from wijzer.catalog import taxonomy
from wijzer.i18n.catalogs import language_of, translations
from wijzer.i18n.formatting import ListStyle, format_currency, format_date, format_list
from wijzer.matcher.fit_bands import fit_band, fit_percent
from wijzer.matcher.ranking import MatchResult
from wijzer.matcher.reasons import Reason
from wijzer.matcher.understanding import CONCEPTS

DOMAIN = "reasons"


class _Words:
    """gettext and the helpers a code's wording needs, for one language."""

    def __init__(self, language: str):
        self.language = language_of(language)
        self.catalog = translations(self.language, (DOMAIN,))

    def _(self, message: str, **values: Any) -> str:
        return self.catalog.gettext(message) % values if values else self.catalog.gettext(message)

    def ngettext(self, singular: str, plural: str, num: int, **values: Any) -> str:
        return self.catalog.ngettext(singular, plural, num) % {"num": num, **values}

    def labels(self, vocabulary: str, codes: Sequence[str], style: ListStyle = "standard") -> str:
        """Labels joined as the language lists them; lower case mid-sentence, except names
        (provinces, "Europees") and abbreviations ("SMEs", "MKB-bedrijven" stay as written)."""
        names = [taxonomy.label(vocabulary, code, self.language) for code in codes]
        if vocabulary not in ("region", "level"):
            names = [_mid_sentence(n) for n in names]
        return format_list(names, self.language, style)

    def concepts(self, codes: Sequence[str]) -> list[str]:
        index = 1 if self.language == "en" else 0
        return [CONCEPTS[c][index][0] if c in CONCEPTS else c for c in codes]

    def money(self, amount: float) -> str:
        return format_currency(amount, self.language)

    def date(self, value: str) -> str:
        return format_date(value, self.language)


Wording = Callable[[_Words, Mapping[str, Any]], str]

# Saved-search filters by vocabulary: "province: Utrecht".
_FILTER_FIELDS: dict[str, Callable[[_Words, str], str]] = {
    "level": lambda w, values: w._("level: %(values)s", values=values),
    "region": lambda w, values: w._("province: %(values)s", values=values),
    "instrument_type": lambda w, values: w._("type: %(values)s", values=values),
    "theme": lambda w, values: w._("theme: %(values)s", values=values),
}


def _matches_terms(w: _Words, p: Mapping[str, Any]) -> str:
    # A list of keywords, not a sentence: "past bij: haalbaarheid, sensor".
    terms = [*w.concepts(p["concepts"]), *p["words"]]
    return w._("matches: %(terms)s", terms=", ".join(terms))


def _regional(w: _Words, p: Mapping[str, Any]) -> str:
    if not p["provinces"]:
        return w._("regional scheme")
    return w._("regional scheme for %(provinces)s", provinces=w.labels("region", p["provinces"]))


def _theme(w: _Words, p: Mapping[str, Any]) -> str:
    codes = p["codes"]
    return w.ngettext(
        "theme: %(themes)s", "themes: %(themes)s", len(codes), themes=w.labels("theme", codes)
    )


# Areas beyond one province, as fact extraction names them (catalog.facts.geography), in Dutch
# and English; an area not listed is shown as the source names it.
AREAS: dict[str, tuple[str, str]] = {
    "Noord-Nederland": ("Noord-Nederland", "the Northern Netherlands"),
    "Groningen en Noord-Drenthe": ("Groningen en Noord-Drenthe", "Groningen and North Drenthe"),
    "Zuid-Nederland": ("Zuid-Nederland", "the Southern Netherlands"),
    "Brainport Eindhoven (Noord-Brabant)": ("Brainport Eindhoven", "Brainport Eindhoven"),
    "grensregio Vlaanderen-Nederland": (
        "de grensregio Vlaanderen-Nederland",
        "the Flanders–Netherlands border region",
    ),
    "grensregio Duitsland-Nederland": (
        "de grensregio Duitsland-Nederland",
        "the Germany–Netherlands border region",
    ),
    "emerging markets and developing countries": (
        "projecten in opkomende markten en ontwikkelingslanden",
        "projects in emerging markets and developing countries",
    ),
    "DTIF countries (investments abroad)": (
        "investeringen in DTIF-landen (buitenland)",
        "investments in DTIF countries (abroad)",
    ),
    "investments abroad": ("investeringen in het buitenland", "investments abroad"),
}


def _area(w: _Words, area: str) -> str:
    names = AREAS.get(area)
    return names[1 if w.language == "en" else 0] if names else area


def _amount_in_range(w: _Words, p: Mapping[str, Any]) -> str:
    amount, low, high = w.money(p["amount"]), p["minimum"], p["maximum"]
    if low is not None and high is not None:
        return w._(
            "your %(amount)s lies within the %(minimum)s–%(maximum)s the source states",
            amount=amount,
            minimum=w.money(low),
            maximum=w.money(high),
        )
    if high is not None:
        return w._(
            "your %(amount)s is within the maximum of %(maximum)s",
            amount=amount,
            maximum=w.money(high),
        )
    return w._(
        "your %(amount)s is above the minimum of %(minimum)s", amount=amount, minimum=w.money(low)
    )


# The facts a source may leave unstated, as the reader names them.
_FACTS = {
    "applicants": lambda w: w._("who may apply"),
    "amount": lambda w: w._("the amount"),
    "purposes": lambda w: w._("what the money is for"),
}


def _not_stated(w: _Words, p: Mapping[str, Any]) -> str:
    facts = [_FACTS[f](w) for f in p["facts"] if f in _FACTS]
    return w._(
        "not stated by the source: %(facts)s", facts=format_list(facts, w.language, "standard")
    )


def _search_filter(w: _Words, p: Mapping[str, Any]) -> str:
    name = p["field"]
    values = w.labels(name, p["codes"], "or")
    field = _FILTER_FIELDS.get(name)
    return field(w, values) if field else values


WORDINGS: dict[str, Wording] = {
    "matches_terms": _matches_terms,
    "region_fits": _regional,
    "regional": _regional,
    "region_only": lambda w, p: w._(
        "only for companies in %(provinces)s", provinces=w.labels("region", p["provinces"], "or")
    ),
    "national_scheme": lambda w, p: w._("national scheme"),
    "european_scheme": lambda w, p: w._("European scheme"),
    "type_wanted": lambda w, p: w._(
        "the kind you want: %(type)s", type=w.labels("instrument_type", [p["type"]])
    ),
    "type_mentioned": lambda w, p: w._(
        "the kind you mention: %(type)s", type=w.labels("instrument_type", [p["type"]])
    ),
    "guarantees_loan": lambda w, p: w._(
        "a guarantee on a bank loan, so a bank can lend what it would not lend without it"
    ),
    "theme": _theme,
    "size_fits": lambda w, p: w._("size: %(sizes)s", sizes=w.labels("size", p["sizes"], "or")),
    "size_only": lambda w, p: w._(
        "only for size: %(sizes)s", sizes=w.labels("size", p["sizes"], "or")
    ),
    "applicant_only": lambda w, p: w._(
        "only for: %(applicants)s", applicants=w.labels("applicant", p["applicants"], "or")
    ),
    "applicants_fit": lambda w, p: w._(
        "open to %(applicants)s, as you are", applicants=w.labels("applicant", p["applicants"])
    ),
    "collaboration_only": lambda w, p: w._(
        "only for a collaboration of several organisations; you name no partner"
    ),
    "collaboration_fits": lambda w, p: w._("for a collaboration, as you plan one"),
    "partners_abroad": lambda w, p: w._(
        "for a collaboration with partners in other countries; you name no partner abroad"
    ),
    "through_financiers": lambda w, p: w._(
        "paid to funds or financiers, not to companies: you apply to one of them"
    ),
    "amount_in_range": _amount_in_range,
    "lends_up_to": lambda w, p: w._(
        "lends or invests at most %(maximum)s; you need %(amount)s",
        maximum=w.money(p["maximum"]),
        amount=w.money(p["amount"]),
    ),
    "purpose_fits": lambda w, p: w._(
        "the money is for %(purposes)s, as you need it",
        purposes=w.labels("purpose", p["purposes"]),
    ),
    "purpose_other": lambda w, p: w._(
        "the money is for %(purposes)s", purposes=w.labels("purpose", p["purposes"])
    ),
    "area_fits": lambda w, p: w._("for %(area)s, where you are", area=_area(w, p["area"])),
    "area_only": lambda w, p: w._("only for %(area)s", area=_area(w, p["area"])),
    "not_stated": _not_stated,
    "stage_fits": lambda w, p: w._(
        "stage: %(stages)s", stages=w.labels("stage", p["stages"], "or")
    ),
    "stage_only": lambda w, p: w._(
        "only for stage: %(stages)s", stages=w.labels("stage", p["stages"], "or")
    ),
    "amount_fits": lambda w, p: w._("amount fits: %(amount)s", amount=w.money(p["amount"])),
    "covers_up_to": lambda w, p: w._(
        "covers up to %(maximum)s of %(amount)s",
        maximum=w.money(p["maximum"]),
        amount=w.money(p["amount"]),
    ),
    "starts_at": lambda w, p: w._("starts at %(amount)s", amount=w.money(p["amount"])),
    "closed_since": lambda w, p: w._("closed since %(date)s", date=w.date(p["date"])),
    "opens_on": lambda w, p: w._("opens on %(date)s", date=w.date(p["date"])),
    "closes_on": lambda w, p: w._("closes on %(date)s", date=w.date(p["date"])),
    "open_no_deadline": lambda w, p: w._("open, no deadline stated"),
    "status_unknown": lambda w, p: w._(
        "the source does not say whether it is open: check with the funder"
    ),
    "closed_stated": lambda w, p: w._("closed, according to the source"),
    "similar_description": lambda w, p: w._("close to your company description"),
    "matches_search": lambda w, p: w._("matches your search “%(query)s”", query=p["query"]),
    "search_filter": _search_filter,
}


def render(reason: Reason, language: str) -> str:
    """The reason in words, in nl or en."""
    return WORDINGS[reason.code](_Words(language), reason.params)


def render_all(found: Sequence[Reason], language: str) -> list[str]:
    words = _Words(language)
    return [WORDINGS[r.code](words, r.params) for r in found]


def reason_json(reason: Reason, language: str) -> dict[str, Any]:
    """The reason as data plus its text: {code, kind, params, quote, text}."""
    return {**reason.as_json(), "text": render(reason, language)}


def fit_label(band: str, language: str) -> str:
    """A fit band in words: "sterke match" / "strong match"."""
    w = _Words(language)
    words = {
        "strong": w._("strong match"),
        "good": w._("good match"),
        "possible": w._("possible match"),
    }
    return words[band]


def fit_json(result: MatchResult, language: str) -> dict[str, Any]:
    """How well a result fits: its band, the band in words and a 0-100 fit for a bar."""
    band = fit_band(result.score, result.blocked or bool(result.blockers))
    return {"band": band, "label": fit_label(band, language), "percent": fit_percent(result.score)}


def match_json(result: MatchResult, language: str) -> dict[str, Any]:
    """A match result as the API and `wijzer match --format json` give it, reasons with text."""
    return {
        **result.as_json(),
        "fit": fit_json(result, language),
        "reasons": [reason_json(r, language) for r in result.reasons],
        "blockers": [reason_json(r, language) for r in result.blockers],
    }


def _mid_sentence(label: str) -> str:
    """A label as it reads inside a sentence: its first letter lowered unless it starts an
    abbreviation ("Startups" -> "startups", "SMEs" stays)."""
    return label if label[:2].isupper() else label[:1].lower() + label[1:]
