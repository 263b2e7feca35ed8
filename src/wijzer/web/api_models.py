"""The JSON API's request and response models, from which its OpenAPI document is generated.

The vocabularies come from the catalog and the limits from the models and constants that
validate the input, so the document cannot drift from what the API accepts. Validation itself
stays with the use cases (build_query, profile_in): they name the offending parameter in a
problem+json answer, and accept comma lists (`level=eu,national`) that a schema cannot state.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictFloat, StrictInt, StrictStr
from pydantic.json_schema import SkipJsonSchema
from spectree import SpecTree

from wijzer.app.matches import ProfileIn
from wijzer.catalog import taxonomy
from wijzer.catalog.money import MAX_EUROS
from wijzer.matcher import reasons
from wijzer.matcher.profile import MAX_DESCRIPTION
from wijzer.search.query import MAX_PAGE, MAX_PER_PAGE, MAX_QUERY_CHARS, MODES, SORTS
from wijzer.search.results import NOTES
from wijzer.web.match_requests import API_AMOUNT_TEXT
from wijzer.web.searching import DEADLINE_BUCKETS

Euros = Annotated[float, Field(ge=0, le=MAX_EUROS)]


def _codes(codes: Iterable[str], description: str) -> Any:
    """A list parameter whose items are codes of a vocabulary (repeated or comma-separated)."""
    return Field(
        default_factory=list,
        description=description,
        json_schema_extra={
            "items": {"type": "string", "enum": list(codes)},
            "style": "form",
            "explode": True,
        },
    )


def _one_of(codes: Iterable[str], description: str) -> Any:
    return Field(None, description=description, json_schema_extra={"enum": list(codes)})


def _amount_schema(schema: dict[str, Any]) -> None:
    """A number of euros, or text of the shape the API reads (one schema, not a union)."""
    schema.pop("anyOf", None)
    schema.update(type=["number", "string"], minimum=0, maximum=MAX_EUROS, pattern=API_AMOUNT_TEXT)


class SearchParams(BaseModel):
    """The search parameters shared by the search and every export.

    A parameter left out is None, which the schema does not offer (SkipJsonSchema); bounds
    sit on the type itself (pydantic would leave `ge`/`le` of a union as unknown keywords).
    """

    q: str = Field("", max_length=MAX_QUERY_CHARS, description="Free text (Dutch or English).")
    level: list[str] = _codes(taxonomy.LEVELS, "Level(s): any of.")
    region: list[str] = _codes(taxonomy.PROVINCES, "Province(s): any of.")
    type: list[str] = _codes(taxonomy.INSTRUMENT_TYPES, "Instrument type(s): any of.")
    theme: list[str] = _codes(taxonomy.THEMES, "Theme or KIA mission code(s): any of.")
    size: list[str] = _codes(taxonomy.SIZES, "Company size(s) the instrument is for.")
    stage: list[str] = _codes(taxonomy.STAGES, "Company stage(s) the instrument is for.")
    language: list[str] = _codes(taxonomy.LANGUAGES, "Language of the source text.")
    status: list[str] = _codes(taxonomy.STATUSES, "Status today: any of.")
    closes_within: str | SkipJsonSchema[None] = _one_of(
        [str(d) for d in DEADLINE_BUCKETS],
        "Only instruments with a deadline within this many days from today.",
    )
    deadline_from: dt.date | SkipJsonSchema[None] = Field(
        None, description="A deadline on or after."
    )
    deadline_to: dt.date | SkipJsonSchema[None] = Field(
        None, description="A deadline on or before."
    )
    amount_min: Euros | SkipJsonSchema[None] = Field(
        None, description="Gives at least this amount (EUR)."
    )
    amount_max: Euros | SkipJsonSchema[None] = Field(
        None, description="Starts at or below this (EUR)."
    )
    sort: str | SkipJsonSchema[None] = _one_of(SORTS, "Order of the results.")
    mode: str | SkipJsonSchema[None] = _one_of(
        MODES,
        "hybrid (default): words and meaning, so Dutch finds English and vice versa;"
        " lexical: words alone.",
    )
    page: Annotated[int, Field(ge=1, le=MAX_PAGE)] | SkipJsonSchema[None] = Field(
        None, description="Page, from 1."
    )
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE)] | SkipJsonSchema[None] = Field(
        None, description=f"Results per page (at most {MAX_PER_PAGE})."
    )


class InstrumentsParams(SearchParams):
    """The search with a choice of format."""

    format: str | SkipJsonSchema[None] = _one_of(
        ("json", "csv"), "json (default, one page with facets) or csv (every result)."
    )


class MatchParams(BaseModel):
    """The match's query parameters."""

    lang: str | SkipJsonSchema[None] = _one_of(
        taxonomy.LANGUAGES, "The language of the reasons' text (nl or en)."
    )


class Profile(ProfileIn):
    """The match request body: the use case's ProfileIn, with its vocabularies documented."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "description": "Wij ontwikkelen waterstofopslag voor het MKB.",
                    "region": "Utrecht",
                    "size": "small",
                    "wants": ["subsidy", "loan"],
                    "amount": "200k",
                }
            ]
        },
    )

    description: StrictStr = Field(
        min_length=1, max_length=MAX_DESCRIPTION, description="The company in a few sentences."
    )
    language: StrictStr | SkipJsonSchema[None] = _one_of(
        taxonomy.LANGUAGES, "The description's language; detected when left out."
    )
    region: StrictStr | SkipJsonSchema[None] = _one_of(taxonomy.PROVINCES, "Province.")
    size: StrictStr | SkipJsonSchema[None] = _one_of(taxonomy.SIZES, "Company size.")
    stage: StrictStr | SkipJsonSchema[None] = _one_of(taxonomy.STAGES, "Company stage.")
    wants: list[StrictStr] = Field(
        default_factory=list,
        description="Wanted instrument types.",
        json_schema_extra={"items": {"type": "string", "enum": list(taxonomy.INSTRUMENT_TYPES)}},
    )
    amount: StrictInt | StrictFloat | StrictStr | SkipJsonSchema[None] = Field(
        None,
        description="EUR needed: a number, or text such as 200k, 2 ton, € 1,5 mln.",
        json_schema_extra=_amount_schema,
    )
    id: SkipJsonSchema[StrictStr | StrictInt | None] = None


class Problem(BaseModel):
    """An RFC 7807 problem; `parameter` names the offending input."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    instance: str = ""
    parameter: str = Field("", description="The offending parameter or field.")


class ResultRow(BaseModel):
    id: str
    title: str
    level: str
    region: str | None = None
    regions: list[str] = []
    instrument_type: str
    deadline: dt.date | None = None
    status: str = Field(json_schema_extra={"enum": list(taxonomy.STATUSES)})
    score: float
    nearest_only: bool = Field(
        False,
        description="True when neither a query word nor close meaning found this instrument:"
        " it is one of the nearest in meaning, listed after the others because few matched.",
    )


class SearchResult(BaseModel):
    """One page of results with facet counts."""

    total: int
    page: int
    per_page: int
    results: list[ResultRow]
    facets: dict[str, dict[str, int]] = Field(description="Per facet field, a count per value.")
    deadline_buckets: dict[str, int] = Field(
        description="How many results close within 30 and 90 days."
    )
    mode: str = Field(
        "hybrid",
        description="How the results were ranked: by words and meaning (hybrid) or by words"
        " alone (lexical: quoted phrases, identifiers, other sorts, mode=lexical, or when"
        " meaning is unavailable).",
        json_schema_extra={"enum": list(MODES)},
    )
    notes: list[str] = Field(
        [],
        description="only_common_words: the query has nothing to search for;"
        " meaning_unavailable: hybrid was asked but words alone answered.",
        json_schema_extra={"items": {"type": "string", "enum": list(NOTES)}},
    )


class StatusSignal(BaseModel):
    kind: str
    date: dt.date | None = None
    quote: str
    origin: str


class Instrument(BaseModel):
    """A listed instrument with the source's words behind its facts."""

    id: str
    title: str
    summary: str = ""
    description: str = ""
    funder: str = ""
    level: str
    regions: list[str] = []
    instrument_type: str
    themes: list[str] = []
    sizes: list[str] = []
    stages: list[str] = []
    amount_min: float | None = None
    amount_max: float | None = None
    budget_total: float | None = None
    applicants: list[str] = Field(
        [], json_schema_extra={"items": {"enum": list(taxonomy.APPLICANTS)}}
    )
    purposes: list[str] = Field([], json_schema_extra={"items": {"enum": list(taxonomy.PURPOSES)}})
    geography: str | None = None
    opens_at: dt.date | None = None
    deadlines: list[dt.date] = []
    status: str = Field(
        description="As of today; unknown: the source does not tell.",
        json_schema_extra={"enum": list(taxonomy.STATUSES)},
    )
    status_evidence: list[StatusSignal] = Field(
        [], description="The source's words the status rests on."
    )
    evidence: dict[str, str | None] = Field(
        {}, description="Per fact, the sentence of the source it was read from."
    )
    last_seen: dt.date | None = None
    url: str | None = None
    source_url: str | None = None
    fetched_at: str | None = None
    updated_at: str = ""
    version: int = 0


class Reason(BaseModel):
    """A reason or blocker as data (code and parameters, stable) with its text in the
    response's language (Content-Language)."""

    code: str = Field(json_schema_extra={"enum": list(reasons.CODES)})
    kind: str = Field(json_schema_extra={"enum": [str(k) for k in reasons.Kind]})
    params: dict[str, Any] = Field(
        description="The code's parameters: vocabulary codes (provinces, type, codes, sizes,"
        " stages), ISO dates (date), amounts in EUR (amount, maximum), the profile's own words"
        " (words) or a saved search (query, field)."
    )
    quote: str | None = Field(
        description="The source's own sentence stating the fact, where it has one."
    )
    text: str = Field(examples=["regionale regeling voor Utrecht"])


class Fit(BaseModel):
    band: str = Field(json_schema_extra={"enum": ["strong", "good", "possible"]})
    label: str = Field(examples=["sterke match"])
    percent: int = Field(ge=0, le=100)


class Match(BaseModel):
    id: str
    title: str
    score: float = Field(description="Ranking score, unbounded; people read `fit` instead.")
    fit: Fit
    reasons: list[Reason] = Field(
        description="Why it fits (kind fit) and what holds whoever asks (context)."
    )
    blockers: list[Reason] = Field(
        description="Why the profile is probably not eligible (kind blocker)."
    )
    level: str | None = None
    instrument_type: str | None = None
    regions: list[str] = []
    deadline: str | None = None
    status: str | None = None
    url: str | None = None


class Matches(BaseModel):
    """Ranked matches; the Content-Language header names the language of the reasons."""

    results: list[Match]


class Text(RootModel[str]):
    """A text answer (CSV, iCalendar, Atom); the document names its media type."""


class Overview(BaseModel):
    """Counts by level × type, theme × level, status, deadline month and province."""

    model_config = ConfigDict(extra="allow")


# Documentation only (skip_validation on every operation): the use cases validate, see above.
# A refused input is a 400 problem, so that is the validation error every operation documents.
spec = SpecTree(
    "flask",
    title="Wijzer API",
    version="1.0.0",
    description=(
        "Read-only access to Dutch funding instruments for startups and SMEs: search "
        "with filters and facets, instrument records, matching of a company profile, "
        "the functional overview, and exports (CSV, JSON, iCal, Atom). "
        "Rate-limited per client address; a 429 answer carries Retry-After."
    ),
    license={"name": "EUPL-1.2", "url": "https://eupl.eu/1.2/en/"},
    mode="strict",
    annotations=False,
    validation_error_status=400,
    validation_error_model=Problem,
    # Components by the model's own name (spectree would add a hash of the module).
    naming_strategy=lambda model: model.__name__,
    nested_naming_strategy=lambda _parent, child: child,
)
