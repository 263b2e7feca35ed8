"""Search for the site and the API: request parameters -> query, results, deadline buckets."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from wijzer.search.analysis import highlight
from wijzer.search.backend import SearchBackend
from wijzer.search.query import MAX_PER_PAGE, QueryError, SearchQuery, SearchResult, build_query

# "Closes within N days" buckets offered as a facet.
DEADLINE_BUCKETS = (30, 90)
# Request parameter -> build_query keyword (the web and API name instrument_type "type").
LIST_PARAMS = {
    "level": "level",
    "region": "region",
    "type": "instrument_type",
    "theme": "theme",
    "size": "size",
    "stage": "stage",
    "language": "language",
    "status": "status",
}
SCALAR_PARAMS = (
    "deadline_from",
    "deadline_to",
    "amount_min",
    "amount_max",
    "sort",
    "page",
    "per_page",
)
# Exports walk the pages of a search up to this many rows.
EXPORT_LIMIT = 1000


def _values(args: MultiDict[str, str], name: str) -> list[str]:
    """Repeated parameters and comma lists both work: level=eu&level=national, level=eu,national."""
    out: list[str] = []
    for raw in args.getlist(name):
        out.extend(v.strip() for v in raw.split(",") if v.strip())
    return out


def closes_within(args: MultiDict[str, str]) -> int | None:
    raw = (args.get("closes_within") or "").strip()
    if not raw:
        return None
    if raw not in {str(d) for d in DEADLINE_BUCKETS}:
        allowed = " or ".join(str(d) for d in DEADLINE_BUCKETS)
        raise QueryError("closes_within", f"{raw!r} is not offered; expected {allowed}")
    return int(raw)


def query_from_args(args: MultiDict[str, str], today: dt.date | None = None) -> SearchQuery:
    """Validate request parameters into a SearchQuery; QueryError names a bad parameter."""
    today = today or dt.date.today()
    kwargs: dict[str, Any] = {key: _values(args, param) for param, key in LIST_PARAMS.items()}
    for name in SCALAR_PARAMS:
        kwargs[name] = args.get(name)
    within = closes_within(args)
    if within is not None:
        if kwargs["deadline_from"] or kwargs["deadline_to"]:
            raise QueryError("closes_within", "cannot be combined with deadline_from/deadline_to")
        kwargs["deadline_from"] = today
        kwargs["deadline_to"] = today + dt.timedelta(days=within)
    return build_query(args.get("q"), today=today, **kwargs)


@dataclass
class SearchPage:
    query: SearchQuery
    result: SearchResult
    buckets: dict[int, int]
    closes_within: int | None

    @property
    def pages(self) -> int:
        return max(1, -(-self.result.total // self.query.per_page))


def deadline_buckets(backend: SearchBackend, query: SearchQuery) -> dict[int, int]:
    """How many results of the query (ignoring its own deadline range) close within N days."""
    counts: dict[int, int] = {}
    for days in DEADLINE_BUCKETS:
        filters = dataclasses.replace(
            query.filters,
            deadline_from=query.today,
            deadline_to=query.today + dt.timedelta(days=days),
        )
        probe = dataclasses.replace(query, filters=filters, page=1, per_page=1, facets=())
        counts[days] = backend.search(probe).total
    return counts


def run_search(
    backend: SearchBackend, args: MultiDict[str, str], today: dt.date | None = None
) -> SearchPage:
    query = query_from_args(args, today)
    result = backend.search(query)
    return SearchPage(query, result, deadline_buckets(backend, query), closes_within(args))


def iter_export(
    backend: SearchBackend, query: SearchQuery, limit: int = EXPORT_LIMIT
) -> Iterator[dict[str, Any]]:
    """Every record the query selects (all pages, in its sort order) up to `limit`."""
    page, seen = 1, 0
    while seen < limit:
        probe = dataclasses.replace(query, page=page, per_page=MAX_PER_PAGE, facets=())
        hits = backend.search(probe).hits
        for hit in hits[: limit - seen]:
            yield hit.source
        seen += len(hits)
        if len(hits) < MAX_PER_PAGE:
            return
        page += 1


def highlight_html(text: str | None, query: str) -> Markup:
    """Escape crawled text first, then turn the highlight markers into <mark> tags."""
    # Control characters from a crawl must not be mistaken for our markers.
    clean = (text or "").replace("\x02", "").replace("\x03", "")
    marked = highlight(clean, query) if query else clean
    escaped = str(escape(marked))
    return Markup(escaped.replace("\x02", "<mark>").replace("\x03", "</mark>"))
