"""The peer engine for bench/search.py: the same documents and queries answered by tantivy.

tantivy (the Rust search library behind Quickwit and ParadeDB) indexes exactly what Wijzer's
backends index: the text analysed by `wijzer.search.analysis` (both stems of every word, joined
by spaces and split again by tantivy's whitespace tokenizer), the title/summary/body fields with
the weights 8/3/1, the keyword fields as fast fields, the dates as day numbers, and the record
(as JSON) and vector as stored fields. A query does what a search page needs: the page of hits
with their records, the total, and counts for every facet (status included, computed for the
query's day through range aggregations). Nothing is cached between queries.

Statuses are the catalog's periods (`IndexDocument.status_periods`, computed at indexing as
Wijzer's backends do): period k of a document is three fast fields (start day, end day,
status), so "the status on day D" is start_k <= D < end_k for some k, a filter of range
queries and a facet of nested range and terms aggregations, exact and in one pass. Relevance
is the score alone: Wijzer also ranks confirmed open before unknown before closed, work the
peer is spared.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import tantivy

from wijzer.search import analysis
from wijzer.search.documents import KEYWORD_LISTS, KEYWORDS, IndexDocument
from wijzer.search.query import SearchHit, SearchQuery, SearchResult

TEXT_WEIGHTS = {"title": 8.0, "summary": 3.0, "body": 1.0}
# Facet name -> field, as the Elasticsearch mapping names them.
FIELDS = {**KEYWORDS, **KEYWORD_LISTS}
# Missing dates as values that sort and compare like Wijzer's rules: no deadline = never
# closed (and last among upcoming in the deadline sort); no opening date = already open.
NEVER = 10**7
ALWAYS = 0
# Status periods per document the schema has room for. The bench corpus needs 4, and slots
# cost the peer (a status query at 20k: 10.3 ms CPU with 4 slots, 18.6 ms with 6), so it gets
# no more than it needs; a document with more is refused.
PERIODS = 4


def _day(value: str | None, missing: int) -> int:
    return dt.date.fromisoformat(value[:10]).toordinal() if value else missing


def _instant(value: str | None) -> int:
    if not value:
        return -1
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return int(moment.timestamp())


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    for name in TEXT_WEIGHTS:
        builder.add_text_field(name, tokenizer_name="whitespace", index_option="freq")
    for field in FIELDS.values():
        builder.add_text_field(field, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("id", stored=False, fast=True, tokenizer_name="raw")
    for name in ("opens", "closes", "updated"):
        builder.add_integer_field(name, indexed=True, fast=True)
    builder.add_integer_field("deadlines", indexed=True, fast=True)
    builder.add_float_field("amount_min", indexed=True, fast=True)
    builder.add_float_field("amount_max", indexed=True, fast=True)
    for k in range(PERIODS):
        builder.add_integer_field(f"period{k}_start", indexed=True, fast=True)
        builder.add_integer_field(f"period{k}_end", indexed=True, fast=True)
        builder.add_text_field(
            f"period{k}_status", fast=True, tokenizer_name="raw", index_option="basic"
        )
    # Bytes, not text: a text field would also index the whole JSON as one (huge) term.
    builder.add_bytes_field("record", stored=True)
    builder.add_bytes_field("vector", stored=True)
    return builder.build()


class TantivyPeer:
    """Index and query one corpus with tantivy, answering with Wijzer's result types."""

    name = "tantivy"

    def __init__(self, directory: Path, threads: int = 0):
        directory.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.index = tantivy.Index(self.schema, path=str(directory), reuse=False)
        self.threads = threads

    def rebuild(self, documents: Iterable[IndexDocument]) -> int:
        writer = self.index.writer(heap_size=256_000_000, num_threads=self.threads)
        count = 0
        for document in documents:
            writer.add_document(self._document(document))
            count += 1
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        return count

    @staticmethod
    def _document(document: IndexDocument) -> tantivy.Document:
        record = document.record
        doc = tantivy.Document()
        for name, text in document.text_fields.items():
            doc.add_text(name, analysis.search_text(text))
        for facet, field in FIELDS.items():
            for value in document.values(facet):
                doc.add_text(field, value)
        doc.add_text("id", document.id)
        doc.add_integer("opens", _day(record.get("opens_at"), ALWAYS))
        doc.add_integer("closes", _day(document.closes_at, NEVER))
        doc.add_integer("updated", _instant(record.get("updated_at") or record.get("created_at")))
        for deadline in record.get("deadlines") or []:
            doc.add_integer("deadlines", _day(deadline, NEVER))
        for name in ("amount_min", "amount_max"):
            if record.get(name) is not None:
                doc.add_float(name, float(record[name]))
        periods = document.status_periods
        if len(periods) > PERIODS:
            raise ValueError(f"{document.id} has {len(periods)} status periods; raise PERIODS")
        for k, (start, end, status) in enumerate(periods):
            doc.add_integer(f"period{k}_start", _day(start, ALWAYS))
            doc.add_integer(f"period{k}_end", _day(end, NEVER))
            doc.add_text(f"period{k}_status", status)
        doc.add_bytes("record", orjson.dumps(record))
        if document.vector is not None:
            doc.add_bytes("vector", np.asarray(document.vector, dtype=np.float32).tobytes())
        return doc

    # -- queries -----------------------------------------------------------------------

    def _range(self, field: str, low: int | None, high: int | None) -> tantivy.Query:
        return tantivy.Query.range_query(
            self.schema, field, tantivy.FieldType.Integer, low, high, True, True
        )

    def _filters(self, query: SearchQuery) -> list[tantivy.Query]:
        filters = query.filters
        if filters.amount_min is not None or filters.amount_max is not None or filters.ids:
            raise NotImplementedError("the bench's query mix filters no amounts or ids")
        clauses = [
            tantivy.Query.term_set_query(self.schema, FIELDS[name], list(values))
            for name, values in filters.terms().items()
        ]
        today = query.today.toordinal()
        if filters.status:
            # The period holding the day has one of the statuses (periods do not overlap).
            wanted = list(filters.status)
            clauses.append(
                tantivy.Query.boolean_query(
                    [
                        (
                            tantivy.Occur.Should,
                            tantivy.Query.boolean_query(
                                [
                                    (
                                        tantivy.Occur.Must,
                                        self._range(f"period{k}_start", None, today),
                                    ),
                                    (
                                        tantivy.Occur.Must,
                                        self._range(f"period{k}_end", today + 1, None),
                                    ),
                                    (
                                        tantivy.Occur.Must,
                                        tantivy.Query.term_set_query(
                                            self.schema, f"period{k}_status", wanted
                                        ),
                                    ),
                                ]
                            ),
                        )
                        for k in range(PERIODS)
                    ]
                )
            )
        if filters.deadline_from or filters.deadline_to:
            clauses.append(
                self._range(
                    "deadlines",
                    filters.deadline_from.toordinal() if filters.deadline_from else None,
                    filters.deadline_to.toordinal() if filters.deadline_to else None,
                )
            )
        return clauses

    def _text(self, text: str) -> tantivy.Query | None:
        groups = analysis.query_groups(text)
        if not groups:
            return None
        stems = dict.fromkeys(s for group in groups for s in group)
        return tantivy.Query.boolean_query(
            [
                (
                    tantivy.Occur.Should,
                    tantivy.Query.boost_query(
                        tantivy.Query.term_query(self.schema, field, stem, index_option="freq"),
                        weight,
                    ),
                )
                for stem in stems
                for field, weight in TEXT_WEIGHTS.items()
            ]
        )

    def _query(self, query: SearchQuery, extra: list[tantivy.Query]) -> tantivy.Query:
        text = self._text(query.text)
        clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
        if text is not None:
            clauses.append((tantivy.Occur.Must, text))
        for clause in [*self._filters(query), *extra]:
            # Filters select without scoring, like Elasticsearch's filter context.
            clauses.append((tantivy.Occur.Must, tantivy.Query.const_score_query(clause, 0.0)))
        if not clauses:
            return tantivy.Query.all_query()
        return tantivy.Query.boolean_query(clauses)

    def _aggregations(self, query: SearchQuery) -> dict[str, Any]:
        today = query.today.toordinal()
        aggs: dict[str, Any] = {}
        for facet in query.facets:
            if facet == "status":
                # Per period slot: start <= day, then end > day, then the status's count.
                for k in range(PERIODS):
                    aggs[f"status{k}"] = {
                        "range": {
                            "field": f"period{k}_start",
                            "ranges": [{"key": "held", "to": today + 1}],
                        },
                        "aggs": {
                            "end": {
                                "range": {
                                    "field": f"period{k}_end",
                                    "ranges": [{"key": "held", "from": today + 1}],
                                },
                                "aggs": {
                                    "status": {"terms": {"field": f"period{k}_status", "size": 8}}
                                },
                            }
                        },
                    }
            else:
                aggs[facet] = {"terms": {"field": FIELDS[facet], "size": 500}}
        return aggs

    @staticmethod
    def _facets(result: dict[str, Any], facets: tuple[str, ...]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for facet in facets:
            agg = result.get(facet) or {}
            pairs: list[tuple[str, int]] = []
            if facet == "status":
                counts: dict[str, int] = {}
                for k in range(PERIODS):
                    # tantivy adds buckets for the rest of the range: only "held" counts.
                    for started in (result.get(f"status{k}") or {}).get("buckets", []):
                        for ending in started["end"]["buckets"]:
                            if started["key"] != "held" or ending["key"] != "held":
                                continue
                            for b in ending["status"]["buckets"]:
                                counts[b["key"]] = counts.get(b["key"], 0) + b["doc_count"]
                pairs = list(counts.items())
            else:
                pairs = [(str(b["key"]), b["doc_count"]) for b in agg.get("buckets", [])]
            pairs = [p for p in pairs if p[1] > 0]
            out[facet] = dict(sorted(pairs, key=lambda p: (-p[1], p[0])))
        return out

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        if query.text.strip() and not analysis.query_groups(query.text):
            return SearchResult(0, [], {f: {} for f in query.facets})  # only stop words
        searcher = self.index.searcher()
        wanted = query.offset + query.per_page
        scored: list[tuple[float, Any]] = []
        if query.sort == "deadline":
            # Upcoming by closing day (no deadline last among them), then the closed ones:
            # Wijzer's deadline order, as two sorted searches over the closing-day fast field.
            today = query.today.toordinal()
            upcoming = searcher.search(
                self._query(query, [self._range("closes", today, None)]),
                limit=wanted,
                order_by_field="closes",
                order=tantivy.Order.Asc,
            )
            closed = searcher.search(
                self._query(query, [self._range("closes", None, today - 1)]),
                limit=max(wanted - len(upcoming.hits), 1),  # tantivy needs one
                order_by_field="closes",
                order=tantivy.Order.Asc,
            )
            scored = [*upcoming.hits, *closed.hits][query.offset : wanted]
            total = upcoming.count + closed.count
            total_query = self._query(query, [])
        else:
            total_query = self._query(query, [])
            if query.sort == "relevance" and query.text.strip():
                found = searcher.search(total_query, limit=query.per_page, offset=query.offset)
            else:
                found = searcher.search(
                    total_query,
                    limit=query.per_page,
                    offset=query.offset,
                    order_by_field="updated",
                    order=tantivy.Order.Desc,
                )
            scored = list(found.hits)
            total = found.count
        hits = []
        for score, address in scored:
            record = orjson.loads(searcher.doc(address)["record"][0])
            hits.append(SearchHit(record["id"], float(score), record))
        facets = self._facets(
            searcher.aggregate(total_query, self._aggregations(query)), query.facets
        )
        return SearchResult(total, hits, facets, (time.perf_counter() - started) * 1000)
