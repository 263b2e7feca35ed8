"""Elasticsearch request bodies for the shared query model: documents, filters, sorts, facets."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from wijzer.catalog.taxonomy import STATUSES
from wijzer.search import analysis
from wijzer.search.documents import KEYWORD_LISTS, KEYWORDS, IndexDocument
from wijzer.search.query import Filters, SearchQuery
from wijzer.search.segment import STATUS_WEIGHTS

# Facet name -> keyword field in the index (multi-valued fields are plural in the record).
FACET_FIELDS = {**{k: v for k, v in KEYWORDS.items()}, **KEYWORD_LISTS}
STATUS_FIELDS = {s: f"status_{s}" for s in STATUSES}
# Same weights as the embedded backend's bm25(fts, 8.0, 3.0, 1.0).
TEXT_FIELDS = ["title_terms^8", "summary_terms^3", "body_terms^1"]
# Enough buckets for every vocabulary (12 provinces, ~20 themes, 9 types) with room to grow.
FACET_SIZE = 500
# Only what we read: less for Elasticsearch to serialise and for us to parse. The stored
# _source is the record alone (index_config), so hits take all of it: sent as stored, where
# asking for a part makes Elasticsearch parse and rebuild every hit's source.
RESPONSE_FIELDS = [
    "took",
    "hits.total.value",
    "hits.hits._id",
    "hits.hits._score",
    "hits.hits._source",
    "hits.hits.sort",
    "aggregations.*.buckets",
]
VECTOR_FIELDS = ["hits.hits._id", "hits.hits._score", "hits.hits._source"]


def to_source(document: IndexDocument) -> dict[str, Any]:
    """The indexed body of one document: pre-analysed text, keywords, dates and the record."""
    record = document.record
    text = document.text_fields
    body: dict[str, Any] = {
        "id": document.id,
        "title_terms": analysis.search_text(text["title"]),
        "summary_terms": analysis.search_text(text["summary"]),
        "body_terms": analysis.search_text(text["body"]),
        "opens_at": record.get("opens_at"),
        "closes_at": document.closes_at,
        "deadlines": list(record.get("deadlines") or []),
        "amount_min": record.get("amount_min"),
        "amount_max": record.get("amount_max"),
        "updated_at": record.get("updated_at") or record.get("created_at"),
        "record": record,
    }
    for facet, field in FACET_FIELDS.items():
        body[field] = document.values(facet)
    # Status by period ([start, end) days, from catalog.status): a query asks which period
    # holds its own day, so statuses follow the calendar without reindexing.
    for status in STATUS_FIELDS:
        body[STATUS_FIELDS[status]] = [
            {k: v for k, v in (("gte", start), ("lt", end)) if v}
            for start, end, found in document.status_periods
            if found == status
        ]
    if document.vector is not None:
        body["vector"] = np.asarray(document.vector, dtype=np.float32).tolist()
    return body


def _multi_match(stems: tuple[str, ...], boost: float) -> dict[str, Any]:
    return {
        "multi_match": {
            "query": " ".join(stems),
            "fields": TEXT_FIELDS,
            "type": "most_fields",
            "operator": "or",
            "analyzer": "whitespace",
            "boost": boost,
        }
    }


def text_query(text: str) -> dict[str, Any] | None:
    """The scoring query for a text, as the embedded backend matches it (None when only stop
    words): any word by one of its stems, or a compound by all its parts at PART_WEIGHT."""
    clauses: list[dict[str, Any]] = []
    for word in analysis.query_words(text):
        clauses.append(_multi_match(word.stems, 1.0))
        if word.parts:
            parts = [_multi_match(part, analysis.PART_WEIGHT) for part in word.parts]
            clauses.append({"bool": {"must": parts}})
    if not clauses:
        return None
    return {"bool": {"should": clauses, "minimum_should_match": 1}}


def _closed(today: str) -> dict[str, Any]:
    return {"range": {"closes_at": {"lt": today}}}


def status_clauses(today: dt.date) -> dict[str, dict[str, Any]]:
    """Each status as the documents one of whose periods of that status holds the day."""
    day = today.isoformat()
    return {status: {"term": {field: day}} for status, field in STATUS_FIELDS.items()}


def _status_tiers(query: dict[str, Any], today: dt.date, has_text: bool) -> dict[str, Any]:
    """Relevance times the status weight (as the embedded segment): confirmed open first."""
    clauses = status_clauses(today)
    return {
        "function_score": {
            "query": query,
            "functions": [
                {"filter": clauses["unknown"], "weight": STATUS_WEIGHTS["unknown"]},
                {"filter": clauses["closed"], "weight": STATUS_WEIGHTS["closed"]},
                {"filter": {"match_all": {}}, "weight": 1},
            ],
            "score_mode": "first",
            "boost_mode": "multiply" if has_text else "replace",
        }
    }


def filter_clauses(filters: Filters, today: dt.date) -> list[dict[str, Any]]:
    """Non-scoring clauses: every set filter narrows the result (AND across fields)."""
    clauses: list[dict[str, Any]] = []
    for name, values in filters.terms().items():
        clauses.append({"terms": {FACET_FIELDS[name]: list(values)}})
    if filters.ids:
        clauses.append({"terms": {"id": list(filters.ids)}})
    if filters.status:
        status = status_clauses(today)
        clauses.append(
            {"bool": {"should": [status[s] for s in filters.status], "minimum_should_match": 1}}
        )
    if filters.deadline_from or filters.deadline_to:
        bounds: dict[str, str] = {}
        if filters.deadline_from:
            bounds["gte"] = filters.deadline_from.isoformat()
        if filters.deadline_to:
            bounds["lte"] = filters.deadline_to.isoformat()
        # A multi-valued date matches when any of its deadlines lies in the range.
        clauses.append({"range": {"deadlines": bounds}})
    if filters.amount_min is not None or filters.amount_max is not None:
        # Ranges overlap; instruments that state no amount cannot satisfy an amount filter.
        clauses.append(
            {
                "bool": {
                    "should": [
                        {"exists": {"field": "amount_min"}},
                        {"exists": {"field": "amount_max"}},
                    ],
                    "minimum_should_match": 1,
                }
            }
        )
        if filters.amount_min is not None:
            clauses.append(
                {
                    "bool": {
                        "should": [
                            {"bool": {"must_not": [{"exists": {"field": "amount_max"}}]}},
                            {"range": {"amount_max": {"gte": filters.amount_min}}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
        if filters.amount_max is not None:
            clauses.append(
                {
                    "bool": {
                        "should": [
                            {"bool": {"must_not": [{"exists": {"field": "amount_min"}}]}},
                            {"range": {"amount_min": {"lte": filters.amount_max}}},
                        ],
                        "minimum_should_match": 1,
                    }
                }
            )
    return clauses


def _deadline_buckets(query: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """Score = bucket (3 upcoming, 2 no deadline, 1 closed) without scripts (no painless)."""
    closed = _closed(today.isoformat())
    return {
        "function_score": {
            "query": query,
            "functions": [
                {"filter": closed, "weight": 1},
                {"filter": {"exists": {"field": "closes_at"}}, "weight": 3},
                {"filter": {"match_all": {}}, "weight": 2},
            ],
            "score_mode": "first",
            "boost_mode": "replace",
        }
    }


def sort_clauses(query: SearchQuery) -> list[Any]:
    if query.sort == "newest":
        return [{"updated_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    if query.sort == "relevance" and not query.text.strip():
        # _score is the status tier weight here: newest first within each tier.
        return ["_score", {"updated_at": {"order": "desc", "missing": "_last"}}, {"id": "asc"}]
    if query.sort == "deadline":
        return ["_score", {"closes_at": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    return ["_score", {"id": "asc"}]


def facet_aggs(query: SearchQuery) -> dict[str, Any]:
    aggs: dict[str, Any] = {}
    for facet in query.facets:
        if facet == "status":
            aggs[facet] = {"filters": {"filters": status_clauses(query.today)}}
        elif facet in FACET_FIELDS:
            aggs[facet] = {"terms": {"field": FACET_FIELDS[facet], "size": FACET_SIZE}}
        else:
            raise ValueError(f"the elasticsearch backend cannot facet on {facet!r}")
    return aggs


def search_body(query: SearchQuery, terms: dict[str, Any] | None) -> dict[str, Any]:
    """The _search arguments (client keyword names): scoring apart from filters, sort, facets."""
    bool_query: dict[str, Any] = {"filter": filter_clauses(query.filters, query.today)}
    if terms:
        bool_query["must"] = [terms]
    scoring: dict[str, Any] = {"bool": bool_query}
    if query.sort == "deadline":
        scoring = _deadline_buckets(scoring, query.today)
    else:
        scoring = _status_tiers(scoring, query.today, bool(terms))
    sort = sort_clauses(query)
    return {
        "query": scoring,
        "sort": sort,
        # With _score as the first sort key every hit's score is its first sort value;
        # track_scores would score each hit again in the fetch phase (10-40 % of a
        # 100-hit search's `took` in the profile API).
        "track_scores": sort[0] != "_score",
        "track_total_hits": True,
        "from_": query.offset,
        "size": query.per_page,
        "aggs": facet_aggs(query),
        "filter_path": RESPONSE_FIELDS,
    }


def hit_score(hit: dict[str, Any]) -> float:
    """A hit's score: its `_score`, or its first sort value when that is the score."""
    score = hit.get("_score")
    if score is None and hit.get("sort"):
        score = hit["sort"][0]
    return float(score or 0.0)


def read_facets(aggregations: dict[str, Any], facets: tuple[str, ...]) -> dict[str, dict[str, int]]:
    """Facet counts ordered like the embedded backend: count descending, then value."""
    out: dict[str, dict[str, int]] = {}
    for facet in facets:
        agg = aggregations.get(facet) or {}
        buckets = agg.get("buckets", [])
        if isinstance(buckets, dict):
            pairs = [(key, b["doc_count"]) for key, b in buckets.items()]
        else:
            pairs = [(str(b["key"]), b["doc_count"]) for b in buckets]
        pairs = [p for p in pairs if p[1] > 0]
        out[facet] = dict(sorted(pairs, key=lambda p: (-p[1], p[0])))
    return out
