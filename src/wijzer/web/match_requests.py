"""The site's match form and the API's JSON body, read into the match use case's ProfileIn."""

from __future__ import annotations

import datetime as dt
from typing import Any

from werkzeug.datastructures import MultiDict

from wijzer.app.matches import MAX_EXCLUDED, ProfileIn, profile_in
from wijzer.i18n.wording import match_json
from wijzer.matcher.ranking import MatchResult
from wijzer.search.results import display_deadline, record_status


def request_from_json(data: Any) -> ProfileIn:
    """The API body: profile fields plus top, include_closed, hide_blockers, excluded."""
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
            "include_closed": args.get("include_closed") or False,
            "hide_blockers": args.get("hide_blockers") or False,
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
