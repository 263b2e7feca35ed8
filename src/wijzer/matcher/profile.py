"""A company profile as users and files describe it, validated."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog import json_input, taxonomy
from wijzer.catalog.json_input import JSONInputError
from wijzer.catalog.money import MAX_EUROS

MAX_DESCRIPTION = 5000


class ProfileError(ValueError):
    """A profile field that cannot be used; names the field (and line for files)."""

    def __init__(self, field: str, reason: str, line: int | None = None):
        where = f"line {line}: " if line else ""
        super().__init__(f"{where}{field}: {reason}")
        self.field = field
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Profile:
    description: str
    language: str = "nl"
    region: str | None = None
    size: str | None = None
    stage: str | None = None
    wants: tuple[str, ...] = ()
    amount: float | None = None
    id: str | None = None
    # Instruments the user marked "not relevant".
    excluded: tuple[str, ...] = field(default=())


def parse_profile(data: Any, line: int | None = None) -> Profile:
    """Validate a decoded profile object (extra fields are ignored)."""
    if not isinstance(data, dict):
        raise ProfileError("(profile)", "expected a JSON object", line)
    description = str(data.get("description") or "").strip()
    if not description:
        raise ProfileError("description", "is empty; describe the company in a few sentences", line)
    if len(description) > MAX_DESCRIPTION:
        raise ProfileError("description", f"is longer than {MAX_DESCRIPTION} characters", line)
    language = data.get("language") or "nl"
    if language not in taxonomy.LANGUAGES:
        raise ProfileError("language", f"unknown language {language!r}; expected nl or en", line)

    def code(name: str, vocabulary: str) -> str | None:
        value = data.get(name)
        if value in (None, ""):
            return None
        try:
            return taxonomy.check_code(vocabulary, str(value))
        except ValueError as exc:
            raise ProfileError(name, str(exc), line) from None

    wants_raw = data.get("wants") or []
    if isinstance(wants_raw, str):
        wants_raw = [w for w in wants_raw.split(",") if w.strip()]
    if not isinstance(wants_raw, list):
        raise ProfileError("wants", "expected a list of instrument types", line)
    wants = []
    for want in wants_raw:
        try:
            wants.append(taxonomy.check_code("instrument_type", str(want).strip()))
        except ValueError as exc:
            raise ProfileError("wants", str(exc), line) from None
    amount = data.get("amount")
    if amount not in (None, ""):
        try:
            amount = float(amount)
        except (TypeError, ValueError, OverflowError):
            raise ProfileError("amount", f"{amount!r} is not a number", line) from None
        # "nan", "inf" and "1e400" read as floats but are no amount of euros.
        if not (math.isfinite(amount) and 0 <= amount <= MAX_EUROS):
            raise ProfileError(
                "amount", f"must be an amount of euros between 0 and {MAX_EUROS:.0e}", line
            )
    return Profile(
        description=description,
        language=language,
        region=code("region", "region"),
        size=code("size", "size"),
        stage=code("stage", "stage"),
        wants=tuple(dict.fromkeys(wants)),
        amount=amount if amount not in (None, "") else None,
        id=str(data["id"]) if data.get("id") is not None else None,
        excluded=tuple(data.get("excluded") or ()),
    )


def read_profiles(lines: Iterable[str]) -> list[Profile]:
    """Profiles from JSONL; the first broken line raises ProfileError with its number."""
    profiles = []
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json_input.loads(raw)
        except JSONInputError as exc:
            raise ProfileError("(json)", str(exc), number) from None
        profile = parse_profile(data, number)
        if profile.id is None:
            raise ProfileError("id", "every profile in a file needs an id", number)
        profiles.append(profile)
    return profiles
