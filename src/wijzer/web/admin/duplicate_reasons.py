"""Why entity resolution put two records side by side, in the staff page's language.

The resolution rules store a rule code and the evidence they rest on (the shared identifier,
page, title, lender or words, and the share of words in common); a curator reads a sentence,
never the code or its JSON (`admin` domain).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from wijzer.catalog.curation.resolution import (
    SAME_FACILITY,
    SAME_IDENTIFIER,
    SAME_PAGE,
    SAME_TITLE,
    SIMILAR_TITLE,
)
from wijzer.i18n import formatting
from wijzer.web.presentation import lang


def _listed(values: Any) -> str:
    if isinstance(values, str):
        return values
    return formatting.format_list([str(v) for v in values], lang())


def hint_reason(rule: str, evidence: Mapping[str, Any] | None) -> str:
    """One sentence for a duplicate hint: the rule and what both records share."""
    found = dict(evidence or {})
    if rule == SAME_IDENTIFIER and found.get("identifier"):
        return _("Both carry the identifier %(identifier)s.", identifier=found["identifier"])
    if rule == SAME_PAGE and found.get("page"):
        return _("Both describe the page %(page)s.", page=found["page"])
    if rule == SAME_TITLE and found.get("title"):
        return _("Same title and funder: “%(title)s”.", title=found["title"])
    if rule == SAME_TITLE and found.get("page"):
        return _("Same title on the page %(page)s.", page=found["page"])
    if rule == SAME_FACILITY:
        return _(
            "The same standing facility of %(funder)s; title words in common: %(words)s.",
            funder=_listed(found.get("funder") or []),
            words=_listed(found.get("words") or []),
        )
    if rule == SIMILAR_TITLE:
        return _(
            "Similar titles: %(share)s of their words in common (%(words)s).",
            share=formatting.format_percent(float(found.get("score") or 0.0), lang()),
            words=_listed(found.get("words") or []),
        )
    return _("Look-alike records.")


def candidate_reason(reason: str, score: float) -> str:
    """A look-alike found by comparing records: why, and how alike as a share."""
    share = formatting.format_percent(score, lang())
    if reason == "same url":
        return _("The same address.")
    if reason == "similar content":
        return _("Similar content: %(share)s alike.", share=share)
    return _("Similar titles: %(share)s alike.", share=share)
