"""Translations for emails, read from the alerts message catalog outside any web request."""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from babel.messages.pofile import read_po

PO_FILE = (
    Path(__file__).resolve().parent.parent / "translations" / "nl" / "LC_MESSAGES" / "alerts.po"
)


@functools.lru_cache(maxsize=4)
def _dutch() -> dict[str, str]:
    with PO_FILE.open("rb") as handle:
        catalog = read_po(handle, locale="nl")
    return {
        str(m.id): str(m.string)
        for m in catalog
        if m.id and m.string and isinstance(m.id, str) and not m.fuzzy
    }


def gettext_for(language: str) -> Callable[..., str]:
    """A gettext for nl or en (English source strings are returned as they are)."""
    table = _dutch() if language == "nl" else {}

    def gettext(message: str, **values: object) -> str:
        text = table.get(message, message)
        return text % values if values else text

    return gettext
