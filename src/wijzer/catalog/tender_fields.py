"""A public tender's register fields (CPV codes, procedure, lots...) from its crawled notice, when
the public record itself was listed without them (a seed record merged with a TED or TenderNed
crawl keeps its own id and text, but only the notice states the codes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from wijzer.catalog.models import Instrument

# What a tender register states about a notice (crawler.parsers.ted_xml and .tenderned), as
# the notice page reads it from `extra`.
TENDER_FIELDS = (
    "notice_schema",
    "cpv_codes",
    "procedure",
    "estimated_value_eur",
    "lots",
    "place_of_performance",
    "nuts_codes",
)


def lacks_tender_fields(record: dict[str, Any]) -> bool:
    """A tender whose own record carries no register codes."""
    extra = record.get("extra") or {}
    return record.get("instrument_type") == "procurement" and "cpv_codes" not in extra


def with_tender_fields(record: dict[str, Any], members: Iterable[Instrument]) -> dict[str, Any]:
    """`record` with the register fields it lacks taken from the most recently crawled notice
    among `members` (the records merged into it); its own values always win."""
    if not lacks_tender_fields(record):
        return record
    notices = [m for m in members if m.withdrawn_at is None and "cpv_codes" in (m.extra or {})]
    if not notices:
        return record
    oldest = dt.datetime.min.replace(tzinfo=dt.UTC)
    notice = max(notices, key=lambda m: (_aware(m.fetched_at) or oldest, m.id))
    extra = dict(record.get("extra") or {})
    for name in TENDER_FIELDS:
        if name in notice.extra and extra.get(name) in (None, "", []):
            extra[name] = notice.extra[name]
    return {**record, "extra": extra}


def _aware(moment: dt.datetime | None) -> dt.datetime | None:
    """SQLite gives naive datetimes back; they are stored as UTC."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=dt.UTC)
