"""Match a company profile from the site's form or the API's JSON to instruments."""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app
from werkzeug.datastructures import MultiDict

from wijzer.app.services import Services
from wijzer.i18n.wording import match_json
from wijzer.matcher.profile import Profile, ProfileError, parse_profile
from wijzer.matcher.ranking import Matcher, MatchResult
from wijzer.search.results import display_deadline, record_status
from wijzer.web.encoding import SharedEncoder

DEFAULT_TOP = 10
MAX_TOP = 50
MAX_EXCLUDED = 200
_SHARED_LOCK = threading.Lock()


def _flag(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value in (None, "", "0", "false", "no", "off"):
        return False
    if value in ("1", "true", "yes", "on"):
        return True
    raise ProfileError(name, f"{value!r} is not true or false")


def _top(value: Any) -> int:
    if value in (None, ""):
        return DEFAULT_TOP
    if isinstance(value, bool):
        raise ProfileError("top", "expected a whole number")
    try:
        top = int(value)
    except (TypeError, ValueError):
        raise ProfileError("top", f"{value!r} is not a whole number") from None
    if not 1 <= top <= MAX_TOP:
        raise ProfileError("top", f"must be between 1 and {MAX_TOP}")
    return top


@dataclass(frozen=True)
class MatchRequest:
    profile: Profile
    top: int = DEFAULT_TOP
    include_closed: bool = False
    hide_blockers: bool = False


def _excluded(raw: Any) -> list[str]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ProfileError("excluded", "expected a list of instrument ids")
    if len(raw) > MAX_EXCLUDED:
        raise ProfileError("excluded", f"at most {MAX_EXCLUDED} ids")
    return list(dict.fromkeys(raw))


def request_from_json(data: Any, language: str) -> MatchRequest:
    """The API body: profile fields plus top, include_closed, hide_blockers."""
    if not isinstance(data, dict):
        raise ProfileError("(body)", "expected a JSON object with a description")
    profile_data = dict(data)
    profile_data.setdefault("language", language)
    profile_data["excluded"] = _excluded(data.get("excluded"))
    if "wants" in data and data["wants"] is not None and not isinstance(data["wants"], list):
        raise ProfileError("wants", "expected a list of instrument types")
    for name in ("description", "region", "size", "stage", "language"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ProfileError(name, "expected a string")
    amount = data.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, int | float)):
        raise ProfileError("amount", "expected a number")
    return MatchRequest(
        parse_profile(profile_data),
        top=_top(data.get("top")),
        include_closed=_flag(data.get("include_closed"), "include_closed"),
        hide_blockers=_flag(data.get("hide_blockers"), "hide_blockers"),
    )


def request_from_form(args: MultiDict[str, str], language: str) -> MatchRequest:
    """The site's form; "exclude" (the 'not relevant' button) adds to the hidden excluded list."""
    excluded = [v for v in args.getlist("excluded") if v]
    extra = args.get("exclude")
    if extra:
        excluded.append(extra)
    data = {
        "description": args.get("description", ""),
        "language": language,
        "region": args.get("region") or None,
        "size": args.get("size") or None,
        "stage": args.get("stage") or None,
        "wants": [w for w in args.getlist("wants") if w],
        "excluded": list(dict.fromkeys(excluded))[:MAX_EXCLUDED],
    }
    return MatchRequest(
        parse_profile(data),
        include_closed=_flag(args.get("include_closed"), "include_closed"),
        hide_blockers=_flag(args.get("hide_blockers"), "hide_blockers"),
    )


def shared_encoder(app: Flask) -> SharedEncoder:
    """The app's cached, batching wrapper around the services' encoder."""
    with _SHARED_LOCK:
        encoder = app.extensions.get("wijzer_shared_encoder")
        if encoder is None:
            encoder = SharedEncoder(app.extensions["wijzer"].encoder)
            app.extensions["wijzer_shared_encoder"] = encoder
    return encoder


def run_match(
    services: Services, request: MatchRequest, today: dt.date | None = None
) -> list[MatchResult]:
    encoder = shared_encoder(current_app._get_current_object())  # type: ignore[attr-defined]
    matcher = Matcher(services.backend, encoder, today)
    return matcher.match(
        request.profile,
        top=request.top,
        include_closed=request.include_closed,
        hide_blockers=request.hide_blockers,
    )


def result_json(result: MatchResult, today: dt.date, language: str) -> dict[str, Any]:
    """A result for the API: reasons as data with their text in `language`, record fields."""
    data = match_json(result, language)
    record = result.record or {}
    data.update(
        level=record.get("level"),
        instrument_type=record.get("instrument_type"),
        regions=record.get("regions") or [],
        deadline=display_deadline(record, today) if record else None,
        status=record_status(record, today) if record else None,
        url=record.get("url"),
    )
    return data
