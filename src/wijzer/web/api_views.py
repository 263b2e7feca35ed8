"""JSON API v1: search, instruments, match, overview, exports and the OpenAPI document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Response, redirect, render_template, request
from flask.typing import ResponseReturnValue
from spectree import Response as Answers

from wijzer.app import matches, searches
from wijzer.app.indexing import listed_records
from wijzer.catalog.fact_view import fact_view
from wijzer.matcher.profile import ProfileError
from wijzer.search.query import QueryError
from wijzer.search.results import result_json
from wijzer.web import feeds, openapi, overview, services
from wijzer.web.api_models import (
    Instrument,
    InstrumentsParams,
    Matches,
    MatchParams,
    Overview,
    Problem,
    Profile,
    SearchParams,
    SearchResult,
    Text,
    spec,
)
from wijzer.web.instruments import MergedInto, NotPublic, load_public
from wijzer.web.locale import reader_language
from wijzer.web.match_requests import request_from_json
from wijzer.web.match_requests import result_json as match_json
from wijzer.web.problems import json_text, problem
from wijzer.web.searching import query_from_args, run_search

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")


def _json(data: Any, status: int = 200) -> Response:
    return Response(json_text(data), status=status, mimetype="application/json")


@blueprint.errorhandler(QueryError)
def _bad_query(exc: QueryError) -> ResponseReturnValue:
    return problem(400, f"Invalid parameter {exc.parameter}: {exc.reason}", parameter=exc.parameter)


@blueprint.errorhandler(ProfileError)
def _bad_profile(exc: ProfileError) -> ResponseReturnValue:
    return problem(400, f"Invalid field {exc.field}: {exc.reason}", parameter=exc.field)


def _today() -> dt.date:
    return dt.date.today()


def _base_url() -> str:
    # Absolute links come from the configured address, never from the request's Host header.
    return services().settings.base_url


def _export_query() -> Any:
    return query_from_args(request.args, _today())


def _answers(*plain: str, **codes: Any) -> Answers:
    """The documented answers of an operation: its own, and a 429 for each (rate limit)."""
    refused = (Problem, "An input is invalid; `parameter` names it.")
    limited = (Problem, "Too many requests; see the Retry-After header.")
    return Answers(*plain, **{"HTTP_400": refused, "HTTP_429": limited, **codes})


def _documented(name: str, query: Any = None, *plain: str, **codes: Any) -> Any:
    """Documents an operation; the use cases validate (see api_models)."""
    return spec.validate(
        query=query, resp=_answers(*plain, **codes), skip_validation=True, operation_id=name
    )


@blueprint.get("/instruments")
@_documented(
    "searchInstruments",
    InstrumentsParams,
    HTTP_200=(SearchResult, "One page of results with facet counts."),
)
def instruments() -> ResponseReturnValue:
    """Search instruments with filters, facets, sort and paging.

    Example: GET /api/v1/instruments?q=waterstof&level=national,eu&mode=lexical&per_page=5
    """
    fmt = request.args.get("format") or "json"
    if fmt not in ("json", "csv"):
        raise QueryError("format", f"{fmt!r} is not offered; expected json or csv")
    if fmt == "csv":
        return export_csv()
    page = run_search(services(), request.args, _today())
    data = result_json(page.result, page.query)
    data["deadline_buckets"] = {str(k): v for k, v in page.buckets.items()}
    return _json(data)


@blueprint.get("/instruments.csv")
@_documented("exportCsv", SearchParams, HTTP_200=(Text, "CSV with a header row."))
def export_csv() -> ResponseReturnValue:
    """Every result of a search (up to 1000) as CSV.

    Example: GET /api/v1/instruments.csv?region=Utrecht&type=subsidy
    """
    query = _export_query()
    body = feeds.to_csv(searches.export(services(), query), query.today)
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="wijzer-search.csv"'},
    )


@blueprint.get("/instruments.json")
@_documented("exportJson", SearchParams, HTTP_200=(list[Instrument], "Records."))
def export_json() -> ResponseReturnValue:
    """Every result of a search (up to 1000) as a JSON array of records.

    Example: GET /api/v1/instruments.json?theme=energietransitie_duurzaamheid&status=open
    """
    query = _export_query()
    rows = []
    for record in searches.export(services(), query):
        rows.append({**record, **fact_view(record, query.today)})
    return _json(rows)


@blueprint.get("/instruments.ics")
@_documented("deadlineCalendar", SearchParams, HTTP_200=(Text, "iCalendar (RFC 5545)."))
def export_ics() -> ResponseReturnValue:
    """An iCalendar feed of the deadlines of a search.

    Example: GET /api/v1/instruments.ics?closes_within=90
    """
    query = _export_query()
    body = feeds.to_ics(
        searches.export(services(), query),
        _base_url(),
        dt.datetime.now(dt.UTC),
        name="Wijzer deadlines",
    )
    return Response(body, mimetype="text/calendar")


@blueprint.get("/instruments.atom")
@_documented("newInstrumentsFeed", SearchParams, HTTP_200=(Text, "Atom (RFC 4287)."))
def export_atom() -> ResponseReturnValue:
    """An Atom feed of the instruments of a search, newest first.

    Example: GET /api/v1/instruments.atom?sort=newest&level=regional
    """
    query = _export_query()
    body = feeds.to_atom(
        searches.export(services(), query, limit=100),
        _base_url(),
        _base_url() + request.full_path.rstrip("?"),
        dt.datetime.now(dt.UTC),
    )
    return Response(body, mimetype="application/atom+xml")


@blueprint.get("/instruments/<path:instrument_id>")
@_documented(
    "getInstrument",
    None,
    "HTTP_301",  # merged into another record: see Location
    HTTP_200=(Instrument, "The record."),
    HTTP_404=(Problem, "No listed instrument with this id."),
)
def instrument(instrument_id: str) -> ResponseReturnValue:
    """One listed instrument.

    Example: GET /api/v1/instruments/rvo-innovatiekrediet
    """
    try:
        record = load_public(services().catalog, instrument_id)
    except MergedInto as merged:
        return redirect(f"{blueprint.url_prefix}/instruments/{merged.canonical_id}", 301)
    except NotPublic:
        return problem(404, f"No listed instrument with id {instrument_id!r}.", parameter="id")
    # The facts as the export gives them: status with its words, each fact's quote.
    view = fact_view(record, _today(), record.get("overridden"))
    return _json({**record, "evidence_detail": record.get("evidence") or {}, **view})


@blueprint.post("/match")
@spec.validate(
    query=MatchParams,
    json=Profile,
    resp=_answers(
        HTTP_200=(Matches, "Ranked matches."),
        HTTP_413=(Problem, "The body is too large."),
        HTTP_415=(Problem, "The body is not JSON."),
    ),
    skip_validation=True,
    operation_id="match",
)
def match() -> ResponseReturnValue:
    """Rank instruments for a company profile, with reasons and blockers.

    Writes nothing; POST only because a profile can be long. Reasons are worded in the language
    of `lang`, else of Accept-Language, else of the profile's `language`.
    Example: POST /api/v1/match?lang=en with {"description": "Wij ontwikkelen
    waterstofopslag voor het MKB.", "region": "Utrecht", "amount": "200k"}
    """
    if not request.is_json:
        return problem(
            415,
            "Send the profile as a JSON object (Content-Type: application/json).",
            parameter="(body)",
        )
    # Decoded under the app's JSON policy; a refused body is a 400 that says why.
    data = request.get_json()
    today = _today()
    match_request = request_from_json(data)
    results = matches.match(services(), match_request, today=today)
    language = reader_language(match_request.profile().language)
    response = _json({"results": [match_json(r, today, language) for r in results]})
    response.headers["Content-Language"] = language
    return response


@blueprint.get("/overview")
@_documented("overview", None, HTTP_200=(Overview, "The counts."))
def overview_json() -> ResponseReturnValue:
    """Counts by level × type, theme × level, status, deadline month and province.

    Example: GET /api/v1/overview
    """
    today = _today()
    return _json(overview.compute(listed_records(services().catalog), today))


@blueprint.get("/openapi.json")
def openapi_json() -> ResponseReturnValue:
    return _json(openapi.document(request.script_root or "/"))


@blueprint.get("/docs")
def docs() -> ResponseReturnValue:
    return render_template("api_docs.html", spec=openapi.document(request.script_root or "/"))
