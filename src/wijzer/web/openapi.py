"""The OpenAPI 3 document of the JSON API v1 (hand-written, kept next to the routes)."""

from __future__ import annotations

from typing import Any

from wijzer.app.matches import MAX_TOP
from wijzer.catalog import taxonomy
from wijzer.catalog.money import MAX_EUROS
from wijzer.matcher import reasons
from wijzer.search.query import MAX_PER_PAGE, MODES, SORTS
from wijzer.search.results import NOTES
from wijzer.web.match_requests import API_AMOUNT_TEXT
from wijzer.web.searching import DEADLINE_BUCKETS

# Amounts are finite euros; more than MAX_EUROS is no scheme's (catalog.money).
EUROS: dict[str, Any] = {"type": "number", "minimum": 0, "maximum": MAX_EUROS}


def _list_param(name: str, codes: list[str] | None, description: str) -> dict[str, Any]:
    items: dict[str, Any] = {"type": "string"}
    if codes:
        items["enum"] = codes
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": {"type": "array", "items": items},
        "style": "form",
        "explode": True,
    }


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


SEARCH_PARAMETERS: list[dict[str, Any]] = [
    _param("q", {"type": "string", "maxLength": 1000}, "Free text (Dutch or English)."),
    _list_param("level", list(taxonomy.LEVELS), "Level(s): any of."),
    _list_param("region", list(taxonomy.PROVINCES), "Province(s): any of."),
    _list_param("type", list(taxonomy.INSTRUMENT_TYPES), "Instrument type(s): any of."),
    _list_param("theme", list(taxonomy.THEMES), "Theme or KIA mission code(s): any of."),
    _list_param("size", list(taxonomy.SIZES), "Company size(s) the instrument is for."),
    _list_param("stage", list(taxonomy.STAGES), "Company stage(s) the instrument is for."),
    _list_param("language", list(taxonomy.LANGUAGES), "Language of the source text."),
    _list_param("status", list(taxonomy.STATUSES), "Status today: any of."),
    _param(
        "closes_within",
        {"type": "string", "enum": [str(d) for d in DEADLINE_BUCKETS]},
        "Only instruments with a deadline within this many days from today.",
    ),
    _param("deadline_from", {"type": "string", "format": "date"}, "A deadline on or after."),
    _param("deadline_to", {"type": "string", "format": "date"}, "A deadline on or before."),
    _param("amount_min", EUROS, "Gives at least this amount (EUR)."),
    _param("amount_max", EUROS, "Starts at or below this (EUR)."),
    _param("sort", {"type": "string", "enum": list(SORTS)}, "Order of the results."),
    _param(
        "mode",
        {"type": "string", "enum": list(MODES)},
        "hybrid (default): words and meaning, so Dutch finds English and vice versa;"
        " lexical: words alone.",
    ),
    _param("page", {"type": "integer", "minimum": 1, "maximum": 10000}, "Page, from 1."),
    _param(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        f"Results per page (at most {MAX_PER_PAGE}).",
    ),
]

_PROBLEM = {"$ref": "#/components/schemas/Problem"}


def _problem_response(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/problem+json": {"schema": _PROBLEM}},
    }


_ERRORS = {
    "400": _problem_response("A parameter is invalid; `parameter` names it."),
    "429": _problem_response("Too many requests; see the Retry-After header."),
}

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object",
        "required": ["title", "status", "detail"],
        "properties": {
            "type": {"type": "string"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "instance": {"type": "string"},
            "parameter": {"type": "string", "description": "The offending parameter or field."},
        },
    },
    "ResultRow": {
        "type": "object",
        "required": ["id", "title", "level", "instrument_type", "status", "score"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "level": {"type": "string"},
            "region": {"type": ["string", "null"]},
            "regions": {"type": "array", "items": {"type": "string"}},
            "instrument_type": {"type": "string"},
            "deadline": {"type": ["string", "null"], "format": "date"},
            "status": {"type": "string", "enum": list(taxonomy.STATUSES)},
            "score": {"type": "number"},
        },
    },
    "SearchResult": {
        "type": "object",
        "required": ["total", "page", "per_page", "results", "facets", "deadline_buckets"],
        "properties": {
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "per_page": {"type": "integer"},
            "results": {"type": "array", "items": {"$ref": "#/components/schemas/ResultRow"}},
            "facets": {
                "type": "object",
                "description": "Per facet field, a count per value.",
                "additionalProperties": {
                    "type": "object",
                    "additionalProperties": {"type": "integer"},
                },
            },
            "deadline_buckets": {
                "type": "object",
                "description": "How many results close within 30 and 90 days.",
                "additionalProperties": {"type": "integer"},
            },
            "mode": {
                "type": "string",
                "enum": list(MODES),
                "description": "How the results were ranked: by words and meaning (hybrid)"
                " or by words alone (lexical: quoted phrases, identifiers, other sorts,"
                " mode=lexical, or when meaning is unavailable).",
            },
            "notes": {
                "type": "array",
                "items": {"type": "string", "enum": list(NOTES)},
                "description": "only_common_words: the query has nothing to search for;"
                " meaning_unavailable: hybrid was asked but words alone answered.",
            },
        },
    },
    "Instrument": {
        "type": "object",
        "required": ["id", "title", "level", "instrument_type", "status"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "description": {"type": "string"},
            "funder": {"type": "string"},
            "level": {"type": "string"},
            "regions": {"type": "array", "items": {"type": "string"}},
            "instrument_type": {"type": "string"},
            "themes": {"type": "array", "items": {"type": "string"}},
            "sizes": {"type": "array", "items": {"type": "string"}},
            "stages": {"type": "array", "items": {"type": "string"}},
            "amount_min": {"type": ["number", "null"]},
            "amount_max": {"type": ["number", "null"]},
            "budget_total": {"type": ["number", "null"]},
            "applicants": {"type": "array", "items": {"enum": list(taxonomy.APPLICANTS)}},
            "purposes": {"type": "array", "items": {"enum": list(taxonomy.PURPOSES)}},
            "geography": {"type": ["string", "null"]},
            "opens_at": {"type": ["string", "null"], "format": "date"},
            "deadlines": {"type": "array", "items": {"type": "string", "format": "date"}},
            "status": {
                "type": "string",
                "enum": list(taxonomy.STATUSES),
                "description": "As of today; unknown: the source does not tell.",
            },
            "status_evidence": {
                "type": "array",
                "description": "The source's words the status rests on.",
                "items": {"$ref": "#/components/schemas/StatusSignal"},
            },
            "evidence": {
                "type": "object",
                "description": "Per fact, the sentence of the source it was read from.",
                "additionalProperties": {"type": ["string", "null"]},
            },
            "last_seen": {"type": ["string", "null"], "format": "date"},
            "url": {"type": ["string", "null"]},
            "source_url": {"type": ["string", "null"]},
            "fetched_at": {"type": ["string", "null"]},
            "updated_at": {"type": "string"},
            "version": {"type": "integer"},
        },
    },
    "StatusSignal": {
        "type": "object",
        "required": ["kind", "quote", "origin"],
        "properties": {
            "kind": {"type": "string"},
            "date": {"type": ["string", "null"], "format": "date"},
            "quote": {"type": "string"},
            "origin": {"type": "string"},
        },
    },
    "Profile": {
        "type": "object",
        "required": ["description"],
        "additionalProperties": False,
        "properties": {
            "description": {
                "type": "string",
                "minLength": 1,
                "maxLength": 5000,
                "description": "The company in a few sentences.",
            },
            "language": {
                "type": "string",
                "enum": list(taxonomy.LANGUAGES),
                "description": "The description's language; detected when left out.",
            },
            "region": {"type": "string", "enum": list(taxonomy.PROVINCES)},
            "size": {"type": "string", "enum": list(taxonomy.SIZES)},
            "stage": {"type": "string", "enum": list(taxonomy.STAGES)},
            "wants": {
                "type": "array",
                "items": {"type": "string", "enum": list(taxonomy.INSTRUMENT_TYPES)},
            },
            "amount": {
                **EUROS,
                "type": ["number", "string"],
                "pattern": API_AMOUNT_TEXT,
                "description": "EUR needed: a number, or text such as 200k, 2 ton, € 1,5 mln.",
            },
            "excluded": {
                "type": "array",
                "items": {"type": "string"},
                "maxItems": 200,
                "description": "Instrument ids marked not relevant.",
            },
            "top": {"type": "integer", "minimum": 1, "maximum": MAX_TOP},
            "include_closed": {"type": "boolean"},
            "hide_blockers": {"type": "boolean"},
        },
    },
    "Reason": {
        "type": "object",
        "required": ["code", "kind", "params", "quote", "text"],
        "description": (
            "A reason or blocker as data (code and parameters, stable) with its text in the "
            "response's language (Content-Language)."
        ),
        "properties": {
            "code": {"type": "string", "enum": list(reasons.CODES)},
            "kind": {"type": "string", "enum": [str(k) for k in reasons.Kind]},
            "params": {
                "type": "object",
                "description": (
                    "The code's parameters: vocabulary codes (provinces, type, codes, sizes, "
                    "stages), ISO dates (date), amounts in EUR (amount, maximum), the profile's "
                    "own words (words) or a saved search (query, field)."
                ),
            },
            "quote": {
                "type": ["string", "null"],
                "description": "The source's own sentence stating the fact, where it has one.",
            },
            "text": {"type": "string", "examples": ["regionale regeling voor Utrecht"]},
        },
    },
    "Match": {
        "type": "object",
        "required": ["id", "title", "score", "fit", "reasons", "blockers"],
        "properties": {
            "id": {"type": "string"},
            "title": {"type": "string"},
            "score": {
                "type": "number",
                "description": "Ranking score, unbounded; people read `fit` instead.",
            },
            "fit": {
                "type": "object",
                "required": ["band", "label", "percent"],
                "properties": {
                    "band": {"type": "string", "enum": ["strong", "good", "possible"]},
                    "label": {"type": "string", "examples": ["sterke match"]},
                    "percent": {"type": "integer", "minimum": 0, "maximum": 100},
                },
            },
            "reasons": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Reason"},
                "description": "Why it fits (kind fit) and what holds whoever asks (context).",
            },
            "blockers": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Reason"},
                "description": "Why the profile is probably not eligible (kind blocker).",
            },
            "level": {"type": ["string", "null"]},
            "instrument_type": {"type": ["string", "null"]},
            "regions": {"type": "array", "items": {"type": "string"}},
            "deadline": {"type": ["string", "null"]},
            "status": {"type": ["string", "null"]},
            "url": {"type": ["string", "null"]},
        },
    },
}


def document(server_url: str = "/") -> dict[str, Any]:
    """The OpenAPI 3.1 document; `server_url` is where the API is served."""
    json_ok = {"description": "OK", "content": {"application/json": {}}}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Wijzer API",
            "version": "1.0.0",
            "description": (
                "Read-only access to Dutch funding instruments for startups and SMEs: search "
                "with filters and facets, instrument records, matching of a company profile, "
                "the functional overview, and exports (CSV, JSON, iCal, Atom). "
                "Rate-limited per client address; a 429 answer carries Retry-After."
            ),
            "license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"},
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/api/v1/instruments": {
                "get": {
                    "operationId": "searchInstruments",
                    "summary": "Search instruments with filters, facets, sort and paging.",
                    "parameters": [
                        *SEARCH_PARAMETERS,
                        _param(
                            "format",
                            {"type": "string", "enum": ["json", "csv"]},
                            "json (default, one page with facets) or csv (every result).",
                        ),
                    ],
                    "responses": {
                        "200": {
                            "description": "One page of results with facet counts.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/SearchResult"}
                                },
                                "text/csv": {"schema": {"type": "string"}},
                            },
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/instruments.json": {
                "get": {
                    "operationId": "exportJson",
                    "summary": "Every result of a search (up to 1000) as a JSON array of records.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "Records.",
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "array",
                                        "items": {"$ref": "#/components/schemas/Instrument"},
                                    }
                                }
                            },
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/instruments.csv": {
                "get": {
                    "operationId": "exportCsv",
                    "summary": "Every result of a search (up to 1000) as CSV.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "CSV with a header row.",
                            "content": {"text/csv": {"schema": {"type": "string"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/instruments.ics": {
                "get": {
                    "operationId": "deadlineCalendar",
                    "summary": "An iCalendar feed of the deadlines of a search.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "iCalendar (RFC 5545).",
                            "content": {"text/calendar": {"schema": {"type": "string"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/instruments.atom": {
                "get": {
                    "operationId": "newInstrumentsFeed",
                    "summary": "An Atom feed of the instruments of a search, newest first.",
                    "parameters": SEARCH_PARAMETERS,
                    "responses": {
                        "200": {
                            "description": "Atom (RFC 4287).",
                            "content": {"application/atom+xml": {"schema": {"type": "string"}}},
                        },
                        **_ERRORS,
                    },
                }
            },
            "/api/v1/instruments/{id}": {
                "get": {
                    "operationId": "getInstrument",
                    "summary": "One listed instrument.",
                    "parameters": [
                        {
                            "name": "id",
                            "in": "path",
                            "required": True,
                            "schema": {"type": "string", "minLength": 1},
                        }
                    ],
                    "responses": {
                        "200": {
                            "description": "The record.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/Instrument"}
                                }
                            },
                        },
                        "301": {"description": "Merged into another record (see Location)."},
                        "404": _problem_response("No listed instrument with this id."),
                        "429": _ERRORS["429"],
                    },
                }
            },
            "/api/v1/match": {
                "post": {
                    "operationId": "match",
                    "summary": "Rank instruments for a company profile, with reasons and blockers.",
                    "description": (
                        "Writes nothing; POST only because a profile can be long. Reasons are "
                        "worded in the language of `lang`, else of Accept-Language, else of the "
                        "profile's `language`."
                    ),
                    "parameters": [
                        _param(
                            "lang",
                            {"type": "string", "enum": list(taxonomy.LANGUAGES)},
                            "The language of the reasons' text (nl or en).",
                        )
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Profile"}}
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "Ranked matches.",
                            "headers": {
                                "Content-Language": {
                                    "description": "The language of the reasons' text.",
                                    "schema": {"type": "string"},
                                }
                            },
                            "content": {
                                "application/json": {
                                    "schema": {
                                        "type": "object",
                                        "required": ["results"],
                                        "properties": {
                                            "results": {
                                                "type": "array",
                                                "items": {"$ref": "#/components/schemas/Match"},
                                            }
                                        },
                                    }
                                }
                            },
                        },
                        "400": _problem_response(
                            "A profile field is invalid; `parameter` names it."
                        ),
                        "415": _problem_response("The body is not JSON."),
                        "429": _ERRORS["429"],
                    },
                }
            },
            "/api/v1/overview": {
                "get": {
                    "operationId": "overview",
                    "summary": (
                        "Counts by level × type, theme × level, status, deadline month "
                        "and province."
                    ),
                    "responses": {"200": json_ok, "429": _ERRORS["429"]},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
