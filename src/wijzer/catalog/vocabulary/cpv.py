"""Labels of the CPV codes procurement notices give (see cpv.toml for where they come from)."""

from __future__ import annotations

import functools

from wijzer.catalog.vocabulary.matching import load


@functools.cache
def _labels() -> dict[str, dict[str, str]]:
    return {code: dict(entry) for code, entry in load("cpv.toml")["codes"].items()}


def cpv_label(code: str, language: str) -> tuple[str, str] | None:
    """(label, its language) of a CPV code ("50232100-6" or "50232100"): in `language` when
    a notice gave it so, else in the other language; None when no notice labelled the code."""
    labels = _labels().get(code.split("-")[0].strip())
    if not labels:
        return None
    if language in labels:
        return labels[language], language
    other, text = next(iter(labels.items()))
    return text, other
