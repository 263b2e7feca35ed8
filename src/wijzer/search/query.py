"""The query model shared by every backend: text, filters, facets, sort and paging."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from wijzer.catalog import taxonomy
from wijzer.catalog.money import MAX_EUROS

SORTS = ("relevance", "deadline", "newest")
#: How a text query is ranked: words and meaning fused (hybrid) or words alone (lexical).
MODES = ("hybrid", "lexical")
#: Longest query text accepted; longer ones get a clear error naming `q`.
MAX_QUERY_CHARS = 1000
FACET_FIELDS = ("level", "region", "instrument_type", "theme", "status")
# Multi-valued fields are filtered by "any of the given values".
TERM_FILTERS = (
    "level",
    "region",
    "instrument_type",
    "theme",
    "size",
    "stage",
    "language",
    "source",
)
MAX_PER_PAGE = 100
MAX_PAGE = 10_000


class QueryErrorCode(StrEnum):
    """Why a query was refused, stable for callers that word the advice themselves (the
    English reason is for the API and the logs and may be reworded)."""

    #: The value is not one the parameter takes (a code, a date, a number, a range, a length).
    INVALID = "invalid"
    #: deadline_to lies before deadline_from.
    DEADLINES_REVERSED = "deadlines_reversed"
    #: amount_max is smaller than amount_min.
    AMOUNTS_REVERSED = "amounts_reversed"
    #: "closes within" was given together with deadline dates of its own.
    DEADLINES_COMBINED = "deadlines_combined"


class QueryError(ValueError):
    """A query parameter that cannot be honoured; names the parameter and why (`code`)."""

    def __init__(self, parameter: str, reason: str, code: QueryErrorCode = QueryErrorCode.INVALID):
        super().__init__(f"{parameter}: {reason}")
        self.parameter = parameter
        self.reason = reason
        self.code = code


@dataclass(frozen=True)
class Filters:
    """Structured constraints; every set field narrows the results (AND across fields)."""

    level: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    instrument_type: tuple[str, ...] = ()
    theme: tuple[str, ...] = ()
    size: tuple[str, ...] = ()
    stage: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    amount_min: float | None = None
    amount_max: float | None = None

    def terms(self) -> dict[str, tuple[str, ...]]:
        return {name: getattr(self, name) for name in TERM_FILTERS if getattr(self, name)}


@dataclass(frozen=True)
class SearchQuery:
    text: str = ""
    filters: Filters = field(default_factory=Filters)
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    facets: tuple[str, ...] = FACET_FIELDS
    # The day status is computed for; fixed per query so that paging stays consistent.
    today: dt.date = field(default_factory=dt.date.today)
    #: Ranking asked for (see MODES); backends rank lexically, the search use case fuses.
    mode: str = "hybrid"

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@dataclass
class SearchHit:
    id: str
    score: float
    source: dict[str, Any]
    #: One of the nearest in meaning that only fills a short list: no query word matches it
    #: and it is not close (see `search.hybrid`).
    far: bool = False


@dataclass
class SearchResult:
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    took_ms: float = 0.0
    # The backend's own time for the query where it reports one (Elasticsearch `took`).
    backend_took_ms: float | None = None
    #: How the list was ranked: "lexical" or "hybrid" (set by the search use case).
    mode: str = "lexical"
    #: Why a hybrid query was answered lexically, when it had to be ("encoder_unavailable").
    fallback: str | None = None


def _codes(vocabulary: str, values: Any, parameter: str) -> tuple[str, ...]:
    if values is None or values == "" or values == []:
        return ()
    if isinstance(values, str):
        values = values.split(",")
    # A blank value is a form's "Any" choice: it narrows nothing.
    values = [v for v in values if str(v).strip()]
    out = []
    for value in values:
        try:
            out.append(taxonomy.check_code(vocabulary, str(value).strip()))
        except ValueError as exc:
            raise QueryError(parameter, str(exc)) from None
    return tuple(dict.fromkeys(out))


def _date(value: Any, parameter: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise QueryError(parameter, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _amount(value: Any, parameter: str) -> float | None:
    if value in (None, ""):
        return None
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise QueryError(parameter, f"{value!r} is not a number") from None
    if not (math.isfinite(amount) and 0 <= amount <= MAX_EUROS):
        raise QueryError(parameter, f"must be an amount of euros between 0 and {MAX_EUROS:.0e}")
    return amount


def _int(value: Any, parameter: str, default: int, low: int, high: int) -> int:
    if value in (None, ""):
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise QueryError(parameter, f"{value!r} is not a whole number") from None
    if not low <= number <= high:
        raise QueryError(parameter, f"must be between {low} and {high}")
    return number


def build_query(
    text: str | None = None,
    *,
    level: Any = None,
    region: Any = None,
    instrument_type: Any = None,
    theme: Any = None,
    size: Any = None,
    stage: Any = None,
    language: Any = None,
    status: Any = None,
    deadline_from: Any = None,
    deadline_to: Any = None,
    amount_min: Any = None,
    amount_max: Any = None,
    sort: str | None = None,
    page: Any = None,
    per_page: Any = None,
    today: dt.date | None = None,
    mode: str | None = None,
) -> SearchQuery:
    """Validate raw parameters (CLI, web, API) into a SearchQuery, or raise QueryError."""
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("q", f"is longer than {MAX_QUERY_CHARS} characters")
    mode = mode or "hybrid"
    if mode not in MODES:
        raise QueryError("mode", f"unknown mode {mode!r}; expected one of: {', '.join(MODES)}")
    languages: tuple[str, ...] = ()
    if language:
        raw = language.split(",") if isinstance(language, str) else list(language)
        for lang in raw:
            if lang not in taxonomy.LANGUAGES:
                raise QueryError("language", f"unknown language {lang!r}; expected nl or en")
        languages = tuple(raw)
    filters = Filters(
        level=_codes("level", level, "level"),
        region=_codes("region", region, "region"),
        instrument_type=_codes("instrument_type", instrument_type, "type"),
        theme=_codes("theme", theme, "theme"),
        size=_codes("size", size, "size"),
        stage=_codes("stage", stage, "stage"),
        language=languages,
        status=_codes("status", status, "status"),
        deadline_from=_date(deadline_from, "deadline_from"),
        deadline_to=_date(deadline_to, "deadline_to"),
        amount_min=_amount(amount_min, "amount_min"),
        amount_max=_amount(amount_max, "amount_max"),
    )
    if (
        filters.deadline_from
        and filters.deadline_to
        and filters.deadline_from > filters.deadline_to
    ):
        raise QueryError(
            "deadline_to", "is before deadline_from", QueryErrorCode.DEADLINES_REVERSED
        )
    if (
        filters.amount_min is not None
        and filters.amount_max is not None
        and filters.amount_min > filters.amount_max
    ):
        raise QueryError(
            "amount_max", "is smaller than amount_min", QueryErrorCode.AMOUNTS_REVERSED
        )
    sort = sort or "relevance"
    if sort not in SORTS:
        raise QueryError("sort", f"unknown sort {sort!r}; expected one of: {', '.join(SORTS)}")
    return SearchQuery(
        text=text,
        filters=filters,
        sort=sort,
        page=_int(page, "page", 1, 1, MAX_PAGE),
        per_page=_int(per_page, "per_page", 20, 1, MAX_PER_PAGE),
        today=today or dt.date.today(),
        mode=mode,
    )
