"""Text the catalog can store and staff can open safely: what a record may hold, and CSV cells
that a spreadsheet never runs as a formula."""

from __future__ import annotations

import re
from typing import Any

# PostgreSQL refuses NUL in text; an unpaired surrogate cannot be encoded as UTF-8 by any
# database driver. Both would fail the write after validation, so validation refuses them.
_UNPAIRED_SURROGATE = re.compile("[\ud800-\udfff]")
# OWASP, "CSV Injection": a cell starting with one of these is read as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def storage_problem(text: str) -> str | None:
    """Why the text cannot be stored, or None when it can."""
    if "\x00" in text:
        return "contains a NUL character"
    if _UNPAIRED_SURROGATE.search(text):
        return "contains an unpaired surrogate (not valid Unicode text)"
    return None


def check_storable(value: Any) -> Any:
    """Raise ValueError naming the problem when any text in a (nested) value cannot be stored."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            problem = storage_problem(item)
            if problem:
                raise ValueError(problem)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return value


def spreadsheet_cell(text: str) -> str:
    """The text as a CSV cell a spreadsheet shows as text: a leading formula character gets a
    quote in front (the csv module quotes embedded quotes and separators)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
