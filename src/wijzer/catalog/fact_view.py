"""A record's facts as people and the export see them on a day: the status with the words it
rests on, each fact's quote (or that staff set it), and when the source was last seen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from wijzer.catalog.facts import FACT_FIELDS
from wijzer.catalog.status import status_of


def last_seen(record: dict[str, Any]) -> str | None:
    """The day the source was last fetched or collected (ISO), None when not known."""
    fetched = record.get("fetched_at")
    return str(fetched)[:10] if fetched else None


def quotes(record: dict[str, Any], overridden: Sequence[str] = ()) -> dict[str, str | None]:
    """{fact: quoted sentence} for every fact the record states; None where staff set it."""
    evidence = record.get("evidence") or {}
    out: dict[str, str | None] = {}
    for field in FACT_FIELDS:
        if record.get(field) in (None, "", []):
            continue
        if field in overridden:
            out[field] = None
            continue
        entry = evidence.get(field)
        if isinstance(entry, dict) and entry.get("quote"):
            out[field] = str(entry["quote"])
    return out


def fact_view(
    record: dict[str, Any], today: dt.date, overridden: Sequence[str] | None = None
) -> dict[str, Any]:
    """The export's fact fields of a record dict (the stable contract in the README)."""
    decision = status_of(record, today)
    return {
        "status": decision.status,
        "status_evidence": [s.as_json() for s in decision.evidence],
        "status_conflicts": [s.as_json() for s in decision.conflicts],
        "evidence": quotes(record, overridden or ()),
        "overridden": sorted(set(overridden or ()) & {*FACT_FIELDS, "confirmed_status"}),
        "official_url": record.get("official_url"),
        "last_seen": last_seen(record),
    }
