"""Search for the site and the API: request parameters -> the search use case, deadline buckets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from markupsafe import Markup, escape
from werkzeug.datastructures import MultiDict

from wijzer.app import searches
from wijzer.app.services import Services
from wijzer.catalog import taxonomy
from wijzer.search.analysis import highlight, query_groups
from wijzer.search.query import (
    QueryError,
    QueryErrorCode,
    SearchHit,
    SearchQuery,
    SearchResult,
    build_query,
)
from wijzer.web.presentation import amount, date

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
    "mode",
)


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


def shows_closed(args: MultiDict[str, str]) -> bool:
    """Whether the reader asked for closed instruments too (`closed=1`, or a status filter)."""
    return (args.get("closed") or "").strip().lower() in ("1", "true", "on", "yes")


def query_from_args(args: MultiDict[str, str], today: dt.date | None = None) -> SearchQuery:
    """Validate request parameters into a SearchQuery; QueryError names a bad parameter.

    Without a status filter, closed instruments are left out unless `closed=1` asks for them
    (instruments whose status the source does not tell are shown, after the open ones).
    """
    today = today or dt.date.today()
    kwargs: dict[str, Any] = {key: _values(args, param) for param, key in LIST_PARAMS.items()}
    if not kwargs["status"] and not shows_closed(args):
        kwargs["status"] = list(taxonomy.DEFAULT_STATUSES)
    elif kwargs["status"] and shows_closed(args) and "closed" not in kwargs["status"]:
        kwargs["status"].append("closed")
    for name in SCALAR_PARAMS:
        kwargs[name] = args.get(name)
    within = closes_within(args)
    if within is not None:
        if kwargs["deadline_from"] or kwargs["deadline_to"]:
            raise QueryError(
                "closes_within",
                "cannot be combined with deadline_from/deadline_to",
                QueryErrorCode.DEADLINES_COMBINED,
            )
        kwargs["deadline_from"] = today
        kwargs["deadline_to"] = today + dt.timedelta(days=within)
    return build_query(args.get("q"), today=today, **kwargs)


@dataclass
class SearchPage:
    query: SearchQuery
    result: SearchResult
    buckets: dict[int, int]
    closes_within: int | None
    #: Closed instruments the query would also find (shown with `closed=1`).
    closed_hidden: int = 0
    #: The status filter is the default one (the reader chose none).
    status_defaulted: bool = False

    @property
    def near_hits(self) -> list[SearchHit]:
        """The results words or close meaning found (all of them, unless the list is short)."""
        return [h for h in self.result.hits if not h.far]

    @property
    def far_hits(self) -> list[SearchHit]:
        """The nearest in meaning that fill a short list, shown apart under their own heading."""
        return [h for h in self.result.hits if h.far]

    @property
    def only_common_words(self) -> bool:
        """The reader typed something, but only stop words or punctuation (nothing to find)."""
        return bool(self.query.text.strip()) and not query_groups(self.query.text)

    @property
    def amount_band(self) -> str | None:
        """The chosen amount band in words ("Amount from € 25.001 to € 100.000")."""
        low, high = self.query.filters.amount_min, self.query.filters.amount_max
        if low is not None and high is not None:
            return _("Amount from %(low)s to %(high)s", low=amount(low), high=amount(high))
        if low is not None:
            return _("Amount at least %(low)s", low=amount(low))
        if high is not None:
            return _("Amount up to %(high)s", high=amount(high))
        return None

    @property
    def deadline_window(self) -> str | None:
        """The reader's own deadline window in words (not a "closes within" bucket)."""
        start, end = self.query.filters.deadline_from, self.query.filters.deadline_to
        if self.closes_within:
            return None
        if start and end:
            return _("Deadline between %(start)s and %(end)s", start=date(start), end=date(end))
        if start:
            return _("Deadline from %(start)s", start=date(start))
        if end:
            return _("Deadline until %(end)s", end=date(end))
        return None

    @property
    def ranges(self) -> list[tuple[str, tuple[str, ...]]]:
        """Chosen ranges in words, each with the parameters that remove it."""
        chosen = [
            (self.amount_band, ("amount_min", "amount_max")),
            (self.deadline_window, ("deadline_from", "deadline_to")),
        ]
        return [(words, params) for words, params in chosen if words]

    @property
    def pages(self) -> int:
        return max(1, -(-self.result.total // self.query.per_page))


def run_search(
    services: Services, args: MultiDict[str, str], today: dt.date | None = None
) -> SearchPage:
    query = query_from_args(args, today)
    result = searches.search(services, query, filled=True)
    buckets = searches.closing_within(services, query, DEADLINE_BUCKETS)
    hidden = 0
    defaulted = not args.getlist("status") and not shows_closed(args)
    if defaulted:
        hidden = searches.count_closed(services, query)
    return SearchPage(query, result, buckets, closes_within(args), hidden, defaulted)


def highlight_html(text: str | None, query: str) -> Markup:
    """Escape crawled text first, then turn the highlight markers into <mark> tags."""
    # Control characters from a crawl must not be mistaken for our markers.
    clean = (text or "").replace("\x02", "").replace("\x03", "")
    marked = highlight(clean, query) if query else clean
    escaped = str(escape(marked))
    return Markup(escaped.replace("\x02", "<mark>").replace("\x03", "</mark>"))
