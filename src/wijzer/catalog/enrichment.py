"""Infer themes, company size, stage and instrument type from Dutch or English text (facts with
evidence, such as amounts and who may apply, are read by `catalog.facts`)."""

from __future__ import annotations

from wijzer.catalog import vocabulary


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
