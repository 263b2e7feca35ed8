"""The match use case: one company profile in (`ProfileIn`), ranked instruments with reasons out.

The site's form, the API body, the CLI's options and profile files all become a ProfileIn, so
every entry point detects the description's language, reads amounts like "200k", "2 ton" or
"€ 1,5 mln", and never matches query vectors against an index built with another encoder.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    field_validator,
)

from wijzer.app.indexing import encoder_mismatch, rebuild_index
from wijzer.app.services import Services
from wijzer.catalog import json_input
from wijzer.catalog.json_input import JSONInputError
from wijzer.catalog.money import parse_amount
from wijzer.crawler.normalise.language import detect_language
from wijzer.matcher.profile import Profile, ProfileError, parse_profile
from wijzer.matcher.ranking import Matcher, MatchResult

DEFAULT_TOP = 10
MAX_TOP = 100
MAX_EXCLUDED = 200
_FLOAT_LITERAL = re.compile(r"[+-]?(?:nan|inf(?:inity)?|\d+(?:\.\d+)?e[+-]?\d+)", re.IGNORECASE)
# One rebuild at a time when the index's vectors come from another encoder.
_REBUILD_LOCK = threading.Lock()


class ProfileIn(BaseModel):
    """A company profile and how to show its matches, as any entry point receives it."""

    model_config = ConfigDict(extra="ignore")

    description: StrictStr = ""
    #: The description's language (nl or en); detected from the description when left out.
    language: StrictStr | None = None
    region: StrictStr | None = None
    size: StrictStr | None = None
    stage: StrictStr | None = None
    wants: list[StrictStr] = Field(default_factory=list)
    #: EUR needed: a number, or text such as "200k", "2 ton", "€ 1,5 mln".
    amount: StrictInt | StrictFloat | StrictStr | None = None
    #: Instruments the user marked "not relevant".
    excluded: list[StrictStr] = Field(default_factory=list, max_length=MAX_EXCLUDED)
    id: StrictStr | StrictInt | None = None
    top: StrictInt = Field(DEFAULT_TOP, ge=1, le=MAX_TOP)
    include_closed: StrictBool = False
    hide_blockers: StrictBool = False

    @field_validator("top", mode="before")
    @classmethod
    def _whole_number(cls, value: Any) -> Any:
        # JSON has one number type: 10.0 is the whole number 10, "10" is text.
        return int(value) if isinstance(value, float) and value.is_integer() else value

    _profile: Profile | None = PrivateAttr(default=None)

    def profile(self) -> Profile:
        """The validated matcher profile; ProfileError names a field that cannot be used."""
        if self._profile is None:
            self._profile = parse_profile(
                {
                    "description": self.description,
                    "language": self.language or detect_language(self.description),
                    "region": self.region,
                    "size": self.size,
                    "stage": self.stage,
                    "wants": self.wants,
                    "amount": read_amount(self.amount),
                    "id": self.id,
                    "excluded": list(dict.fromkeys(self.excluded)),
                }
            )
        return self._profile


def read_amount(value: Any) -> Any:
    """A number from "200000", "200k", "2 ton", "€ 1,5 mln"; other text is left for the
    profile check to refuse by name."""
    if not isinstance(value, str) or not value.strip():
        return value if value != "" else None
    text = value.strip()
    if _FLOAT_LITERAL.fullmatch(text):
        # "1e400", "nan", "inf": numbers to Python, none to the money reader (which would see
        # "1" and "400"); the profile check refuses what is not a finite amount.
        return float(text)
    return parse_amount(text) or parse_amount(f"€ {text}") or text


def profile_in(data: Any, line: int | None = None) -> ProfileIn:
    """Validate raw input (a JSON object, form fields) fully before any work is done."""
    if not isinstance(data, dict):
        raise ProfileError("(body)", "expected a JSON object with a description", line)
    try:
        request = ProfileIn.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = str(error["loc"][0]) if error["loc"] else "(body)"
        raise ProfileError(field, error["msg"], line) from None
    try:
        request.profile()
    except ProfileError as exc:
        raise ProfileError(exc.field, exc.reason, line) from None
    return request


def read_profiles_in(lines: Iterable[str]) -> list[ProfileIn]:
    """Profiles from JSONL, each with a unique id; ProfileError names the first bad line."""
    requests: list[ProfileIn] = []
    seen: set[str] = set()
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            data = json_input.loads(raw)
        except JSONInputError as exc:
            raise ProfileError("(json)", str(exc), number) from None
        request = profile_in(data, number)
        if request.id is None:
            raise ProfileError("id", "every profile in a file needs an id", number)
        if str(request.id) in seen:
            raise ProfileError("id", f"duplicate id {request.id!r}", number)
        seen.add(str(request.id))
        requests.append(request)
    return requests


def checked_matcher(
    services: Services, today: dt.date | None = None, notify: Callable[[str], None] | None = None
) -> Matcher:
    """The matcher, after making sure the live index's vectors come from its encoder.

    Raises EncoderUnavailable (no encoder here), IndexMissing (no index yet) or
    BackendUnavailable for the adapter to report.
    """
    encoder = services.encoder
    if encoder_mismatch(services.backend, encoder) is not None:
        with _REBUILD_LOCK:
            # Looked at again: another request may have rebuilt it meanwhile.
            mismatch = encoder_mismatch(services.backend, encoder)
            if mismatch is not None:
                if notify:
                    notify(f"Rebuilding the search index: {mismatch}.")
                rebuild_index(services.catalog, services.backend, encoder)
    return services.matcher(today)


def match(
    services: Services,
    request: ProfileIn,
    *,
    today: dt.date | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[MatchResult]:
    """The instruments that fit one profile, best first, each with reasons and blockers."""
    return match_all(services, [request], today=today, notify=notify)[0]


def match_all(
    services: Services,
    requests: Sequence[ProfileIn],
    *,
    today: dt.date | None = None,
    notify: Callable[[str], None] | None = None,
) -> list[list[MatchResult]]:
    """match() for many profiles (a profiles file), checking the index once."""
    profiles = [r.profile() for r in requests]
    matcher = checked_matcher(services, today, notify)
    return [
        matcher.match(profile, r.top, r.include_closed, r.hide_blockers)
        for profile, r in zip(profiles, requests, strict=True)
    ]
