"""The search use case: a validated query against the live index, as every entry point runs it.

`wijzer search`, the site's search page, the API's listings and exports, and saved-search alerts
all come through here, so they analyse, understand and rank a query the same way.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from wijzer.app.services import Services
from wijzer.search.query import MAX_PER_PAGE, SearchQuery, SearchResult, build_query

# Exports walk the pages of a search up to this many rows.
EXPORT_LIMIT = 1000


def search(services: Services, query: SearchQuery) -> SearchResult:
    """One page of results with facets for a query built by `build_query`."""
    return services.backend.search(query)


def search_text(services: Services, text: str | None, **params: Any) -> SearchResult:
    """Validate raw parameters (QueryError names a bad one) and search."""
    return search(services, build_query(text, **params))


def count_closed(services: Services, query: SearchQuery) -> int:
    """How many closed instruments the query finds apart from its own status filter."""
    filters = dataclasses.replace(query.filters, status=("closed",))
    probe = dataclasses.replace(query, filters=filters, page=1, per_page=1, facets=())
    return search(services, probe).total


def closing_within(services: Services, query: SearchQuery, days: Sequence[int]) -> dict[int, int]:
    """How many results of the query (ignoring its own deadline range) close within N days."""
    counts: dict[int, int] = {}
    for window in days:
        filters = dataclasses.replace(
            query.filters,
            deadline_from=query.today,
            deadline_to=query.today + dt.timedelta(days=window),
        )
        probe = dataclasses.replace(query, filters=filters, page=1, per_page=1, facets=())
        counts[window] = search(services, probe).total
    return counts


def export(
    services: Services, query: SearchQuery, limit: int = EXPORT_LIMIT
) -> Iterator[dict[str, Any]]:
    """Every record the query selects (all pages, in its sort order) up to `limit`."""
    page, seen = 1, 0
    while seen < limit:
        probe = dataclasses.replace(query, page=page, per_page=MAX_PER_PAGE, facets=())
        hits = search(services, probe).hits
        for hit in hits[: limit - seen]:
            yield hit.source
        seen += len(hits)
        if len(hits) < MAX_PER_PAGE:
            return
        page += 1
