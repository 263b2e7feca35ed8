"""The one policy for JSON from outside: API bodies, import lines, profile files.

orjson refuses what the standard library lets through: NaN and Infinity, numbers that overflow
a double (`1e400`, a 5,000-digit integer, which the standard library turns into `inf` or a
ValueError), lone surrogates (`"\\ud800"`, which later fail to encode) and nesting deeper than
its recursion limit. On top of that, nesting is limited to MAX_DEPTH and every number to
MAX_NUMBER in size: no input this application reads needs more, and both keep later code
(recursion, float arithmetic, money formatting) away from values it cannot handle.
"""

from __future__ import annotations

from typing import Any

import orjson

# A record's `extra` nests a few levels; 32 leaves room and stops recursion bombs early.
MAX_DEPTH = 32
# Far above any euro amount (catalog.money reads at most 1e13) or count the inputs carry.
MAX_NUMBER = 1e15


class JSONInputError(ValueError):
    """JSON this application refuses; the message says why in one line."""


def loads(data: str | bytes) -> Any:
    """Decode JSON under the policy; JSONInputError says what was wrong and where."""
    try:
        value = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise JSONInputError(f"not valid JSON: {exc}") from None
    check(value)
    return value


def check(value: Any) -> None:
    """Refuse nesting deeper than MAX_DEPTH and numbers larger than MAX_NUMBER (iteratively,
    so a hostile value cannot exhaust the stack)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise JSONInputError(f"nested deeper than {MAX_DEPTH} levels")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
        elif (
            isinstance(item, int | float)
            and not isinstance(item, bool)
            and not -MAX_NUMBER <= item <= MAX_NUMBER
        ):
            raise JSONInputError(f"the number {item!r} is larger than {MAX_NUMBER:.0e}")
