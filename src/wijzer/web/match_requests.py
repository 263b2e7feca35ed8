"""The site's match form and the API's JSON body, read into the match use case's ProfileIn."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from werkzeug.datastructures import MultiDict

from wijzer.app.matches import MAX_EXCLUDED, ProfileIn, profile_in
from wijzer.i18n.wording import match_json
from wijzer.matcher.profile import ProfileError
from wijzer.matcher.ranking import MatchResult
from wijzer.search.results import display_deadline, record_status

# The API's body takes these fields and no others (files may carry more, e.g. judgments).
API_FIELDS = frozenset(ProfileIn.model_fields) - {"id"}
# Amounts as text in the API: what the OpenAPI document promises, and every text of this shape
# reads as at most 9,999,999.99 million euros. The site's form and the CLI read more freely.
API_AMOUNT_TEXT = r"^(€ ?)?[1-9][0-9]{0,6}([.,][0-9]{1,2})?( ?(k|ton|mln))?$"


def request_from_json(data: Any) -> ProfileIn:
    """The API body: profile fields plus top, include_closed, hide_blockers, excluded; a field
    it does not know is refused by name (a typo must not be ignored silently)."""
    if isinstance(data, dict):
        unknown = sorted(str(k) for k in data if k not in API_FIELDS)
        if unknown:
            raise ProfileError(unknown[0][:100], "is not a field of the profile")
        amount = data.get("amount")
        if isinstance(amount, str) and not re.fullmatch(API_AMOUNT_TEXT, amount):
            raise ProfileError(
                "amount", "write a number of euros, or text like 200k, 2 ton or 1,5 mln"
            )
    return profile_in(data)


def request_from_form(args: MultiDict[str, str]) -> ProfileIn:
    """The site's form; "exclude" (the 'not relevant' button) adds to the hidden excluded list.

    The description's language is detected, not taken from the page: an English description
    on the Dutch page is matched as English.
    """
    excluded = [v for v in args.getlist("excluded") if v]
    extra = args.get("exclude")
    if extra:
        excluded.append(extra)
    return profile_in(
        {
            "description": args.get("description", ""),
            "region": args.get("region") or None,
            "size": args.get("size") or None,
            "stage": args.get("stage") or None,
            "wants": [w for w in args.getlist("wants") if w],
            "amount": args.get("amount") or None,
            "excluded": list(dict.fromkeys(excluded))[:MAX_EXCLUDED],
            "include_closed": bool(args.get("include_closed")),
            "hide_blockers": bool(args.get("hide_blockers")),
        }
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
