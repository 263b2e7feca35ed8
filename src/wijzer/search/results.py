"""Search as the site, the API and the CLI use it: run a query and shape result rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wijzer.catalog.status import next_deadline, status_of
from wijzer.search.analysis import query_groups
from wijzer.search.backend import SearchBackend
from wijzer.search.query import SearchQuery, SearchResult


def display_deadline(record: dict[str, Any], today: dt.date) -> str | None:
    """The deadline a reader cares about: the next one, or the last one once all passed."""
    deadlines = record.get("deadlines") or []
    upcoming = next_deadline(deadlines, today)
    if upcoming:
        return upcoming.isoformat()
    return max(deadlines) if deadlines else None


def record_status(record: dict[str, Any], today: dt.date) -> str:
    """open, forthcoming, closed or unknown on the day (see `catalog.status`)."""
    return status_of(record, today).status


def result_row(
    record: dict[str, Any], score: float, today: dt.date, far: bool = False
) -> dict[str, Any]:
    """The stable JSON row of one search result."""
    regions = record.get("regions") or []
    return {
        "id": record["id"],
        "title": record.get("title"),
        "level": record.get("level"),
        "region": regions[0] if len(regions) == 1 else None,
        "regions": regions,
        "instrument_type": record.get("instrument_type"),
        "deadline": display_deadline(record, today),
        "status": record_status(record, today),
        "score": round(score, 4),
        "nearest_only": far,
    }


def search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    return backend.search(query)


#: Notes a result can carry (codes for programs; pages word them in the reader's language).
NOTES = ("only_common_words", "meaning_unavailable")


def result_notes(result: SearchResult, query: SearchQuery) -> list[str]:
    """What the reader should know about how the query was answered."""
    notes = []
    if query.text.strip() and not query_groups(query.text):
        notes.append("only_common_words")
    if result.fallback:
        notes.append("meaning_unavailable")
    return notes


def result_json(result: SearchResult, query: SearchQuery) -> dict[str, Any]:
    return {
        "total": result.total,
        "page": query.page,
        "per_page": query.per_page,
        "results": [result_row(h.source, h.score, query.today, h.far) for h in result.hits],
        "facets": result.facets,
        "mode": result.mode,
        "notes": result_notes(result, query),
    }
