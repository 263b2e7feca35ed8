"""What a saved alert is about, in words: the search's filters or the profile's fields."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from wijzer.catalog import taxonomy
from wijzer.i18n.formatting import format_currency


def _labels(vocabulary: str, codes: list[str] | str | None, language: str) -> str:
    chosen = [codes] if isinstance(codes, str) else list(codes or [])
    if not chosen:
        return _("Any")
    return ", ".join(taxonomy.label(vocabulary, code, language) for code in chosen)


def saved_in_words(subscription: dict[str, Any], language: str) -> list[tuple[str, str]]:
    """(name, value) rows a subscriber reads on the manage page; no codes, no lists."""
    spec = subscription.get("spec") or {}
    if subscription["kind"] == "query":
        return [
            (_("Search words"), spec.get("q") or _("none")),
            (_("Level"), _labels("level", spec.get("level"), language)),
            (_("Province"), _labels("region", spec.get("region"), language)),
            (_("Type"), _labels("instrument_type", spec.get("instrument_type"), language)),
            (_("Theme"), _labels("theme", spec.get("theme"), language)),
        ]
    if subscription["kind"] == "profile":
        amount = spec.get("amount")
        return [
            (_("Describe your company"), spec.get("description") or ""),
            (_("Province"), _labels("region", spec.get("region"), language)),
            (_("Company size"), _labels("size", spec.get("size"), language)),
            (_("Stage"), _labels("stage", spec.get("stage"), language)),
            (
                _("Amount needed (EUR)"),
                format_currency(amount, language) if amount is not None else _("Not specified"),
            ),
            (
                _("What kind of funding do you want?"),
                _labels("instrument_type", spec.get("wants"), language),
            ),
        ]
    return []
