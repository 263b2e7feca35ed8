"""Infer themes, company size, stage, instrument type and amounts from Dutch or English text."""

from __future__ import annotations

from dataclasses import dataclass

from wijzer.catalog import vocabulary
from wijzer.catalog.money import find_amounts, find_ranges
from wijzer.catalog.text import fold


def infer_themes(text: str) -> list[str]:
    """Theme codes (KIA missions first, then cross-cutting) whose keywords occur in the text."""
    return vocabulary.themes_in(text)


def infer_sizes(text: str) -> list[str]:
    return vocabulary.sizes_in(text)


def infer_stages(text: str) -> list[str]:
    return vocabulary.stages_in(text)


def infer_instrument_type(title: str, body: str = "", default: str = "subsidy") -> str:
    """The instrument type the title names, else the one the body names most."""
    # Dutch compounds name the type inside a word ("Innovatiekrediet"): read the title's
    # words first, then inside its words, before the body.
    named = vocabulary.types_in(title) or vocabulary.types_inside_words(title)
    if named:
        return named[0]
    scores = vocabulary.type_hits(body)
    best = max(scores, key=lambda c: scores[c])
    return best if scores[best] else default


# --- amounts -------------------------------------------------------------------------------

_MAX_WORDS = (
    "maximaal",
    "max.",
    "max ",
    "tot ",
    "ten hoogste",
    "hoogstens",
    "up to",
    "maximum",
    "at most",
    "no more than",
    "plafond",
    "tot een bedrag van",
)
_MIN_WORDS = (
    "minimaal",
    "minimum",
    "ten minste",
    "tenminste",
    "at least",
    "min.",
    "vanaf",
    "from ",
)
_BUDGET_WORDS = (
    "budget",
    "beschikbaar",
    "available",
    "totaal",
    "total",
    "fonds",
    "fund",
    "plafond",
    "stelt",
)


@dataclass(frozen=True)
class AmountRange:
    amount_min: float | None = None
    amount_max: float | None = None
    budget_total: float | None = None


def _words_before(text: str, start: int) -> str:
    # Padded: the words right before the amount ("tot ", "max. ") keep their spaces.
    return f" {fold(text[max(0, start - 60) : start])} "


def _per_applicant(near: str) -> bool:
    return not any(w in near for w in ("budget", "beschikbaar"))


def infer_amounts(text: str) -> AmountRange:
    """Per-applicant minimum and maximum and the total budget, from the words before amounts.

    A range ("tussen € 15.000 en € 50.000") gives both ends; a percentage ("max. 50%") is not
    an amount; an amount with no telling word is ignored.
    """
    lows: list[float] = []
    highs: list[float] = []
    budgets: list[float] = []
    spans = find_ranges(text)
    for span in spans:
        if _per_applicant(_words_before(text, span.start)[-25:]):
            lows.append(span.low)
            highs.append(span.high)
        else:
            budgets.append(span.high)
    for amount in find_amounts(text):
        if any(span.start <= amount.start < span.end for span in spans):
            continue
        context = _words_before(text, amount.start)
        near = context[-25:]
        if any(w in near for w in _MIN_WORDS):
            lows.append(amount.value)
        elif any(w in near for w in _MAX_WORDS) and _per_applicant(near):
            highs.append(amount.value)
        elif any(w in context for w in _BUDGET_WORDS) or amount.value >= 1e6:
            budgets.append(amount.value)
    amount_min = min(lows) if lows else None
    amount_max = max(highs) if highs else None
    if amount_min is not None and amount_max is not None and amount_min > amount_max:
        amount_min, amount_max = amount_max, amount_min
    return AmountRange(amount_min, amount_max, max(budgets) if budgets else None)


def fill_missing(record_data: dict) -> dict:
    """Themes inferred from title and summary for a record that has none (import enrichment)."""
    if record_data.get("themes"):
        return record_data
    text = " ".join(str(record_data.get(k) or "") for k in ("title", "summary", "description"))
    themes = infer_themes(text)
    if themes:
        record_data = {**record_data, "themes": themes}
    return record_data
