"""A columnar, in-memory segment of the embedded index: numpy BM25, filters, facets and sort keys.

SQLite FTS5 must hand every matching row to Python to count, facet and rank it, which takes
100-200 ms for a common word at 100,000 instruments. A segment keeps the same information as
numpy arrays (postings with column-weighted term frequencies, keyword matrices, dates) so a
query is a few vectorised operations. Scores follow FTS5's bm25() formula with the same column
weights, so ranking is what `bm25(fts, 8, 3, 1)` gave.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from wijzer.catalog.taxonomy import STATUSES
from wijzer.search import analysis
from wijzer.search.documents import KEYWORD_LISTS, KEYWORDS, IndexDocument
from wijzer.search.query import Filters

FACETABLE = (*KEYWORDS, *KEYWORD_LISTS)
STATUS_CODES = tuple(STATUSES)
# Relevance is multiplied by these, so confirmed-open results come before those whose status
# the source does not tell, and those before closed ones (the Elasticsearch backend does the
# same with function_score weights).
STATUS_WEIGHTS = {"open": 1.0, "forthcoming": 1.0, "unknown": 1e-3, "closed": 1e-6}
_TIER = np.array(
    [{"open": 0, "forthcoming": 0, "unknown": 1, "closed": 2}[s] for s in STATUS_CODES] + [1]
)
_WEIGHT = np.array([STATUS_WEIGHTS[s] for s in STATUS_CODES] + [1e-3])
WEIGHTS = {"title": 8.0, "summary": 3.0, "body": 1.0}
K1, B = 1.2, 0.75  # FTS5's bm25 constants


def _day(value: str | None) -> float:
    return float(dt.date.fromisoformat(value[:10]).toordinal()) if value else math.nan


def _instant(value: str | None) -> float:
    if not value:
        return math.nan
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.timestamp()


class SegmentBuilder:
    """Collects documents (in rowid order) and freezes them into a Segment."""

    def __init__(self) -> None:
        self.rowids = array("q")
        self.ids: list[str] = []
        self.vocab: dict[str, int] = {}
        self.post_term = array("i")
        self.post_doc = array("i")
        self.post_weight = array("f")
        self.lengths = array("d")
        self.numbers: dict[str, array[float]] = {
            k: array("d") for k in ("opens", "closes", "amount_min", "amount_max", "updated")
        }
        self.deadline_doc = array("i")
        self.deadline_day = array("d")
        self.period_doc = array("i")
        self.period_start = array("d")
        self.period_end = array("d")
        self.period_status = array("i")
        self.labels: dict[str, dict[str, int]] = {f: {} for f in FACETABLE}
        self.keyword_doc: dict[str, array[int]] = {f: array("i") for f in FACETABLE}
        self.keyword_value: dict[str, array[int]] = {f: array("i") for f in FACETABLE}

    def add(self, rowid: int, document: IndexDocument) -> None:
        position = len(self.ids)
        record = document.record
        self.rowids.append(rowid)
        self.ids.append(document.id)
        weights: dict[str, float] = {}
        length = 0.0
        for name, text in document.text_fields.items():
            terms = analysis.index_terms(text)
            length += len(terms)
            weight = WEIGHTS[name]
            for term in terms:
                weights[term] = weights.get(term, 0.0) + weight
        self.lengths.append(length)
        vocab = self.vocab
        for term, weight in weights.items():
            term_id = vocab.get(term)
            if term_id is None:
                term_id = vocab[term] = len(vocab)
            self.post_term.append(term_id)
            self.post_doc.append(position)
            self.post_weight.append(weight)
        self.numbers["opens"].append(_day(record.get("opens_at")))
        self.numbers["closes"].append(_day(document.closes_at))
        for key in ("amount_min", "amount_max"):
            value = record.get(key)
            self.numbers[key].append(math.nan if value is None else float(value))
        updated = record.get("updated_at") or record.get("created_at")
        self.numbers["updated"].append(_instant(updated))
        for deadline in record.get("deadlines") or []:
            self.deadline_doc.append(position)
            self.deadline_day.append(_day(deadline))
        for start, end, status in document.status_periods:
            self.period_doc.append(position)
            self.period_start.append(_day(start) if start else -math.inf)
            self.period_end.append(_day(end) if end else math.inf)
            self.period_status.append(STATUS_CODES.index(status))
        for facet in FACETABLE:
            labels = self.labels[facet]
            for value in document.values(facet):
                code = labels.setdefault(value, len(labels))
                self.keyword_doc[facet].append(position)
                self.keyword_value[facet].append(code)

    def build(self) -> Segment:
        terms = np.frombuffer(self.post_term, dtype=np.int32)
        order = np.argsort(terms, kind="stable")
        counts = np.bincount(terms, minlength=len(self.vocab))
        offsets = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        arrays: dict[str, np.ndarray] = {
            "rowids": np.frombuffer(self.rowids, dtype=np.int64).copy(),
            "post_doc": np.frombuffer(self.post_doc, dtype=np.int32)[order],
            "post_weight": np.frombuffer(self.post_weight, dtype=np.float32)[order],
            "offsets": offsets,
            "lengths": np.frombuffer(self.lengths, dtype=np.float64).copy(),
            "deadline_doc": np.frombuffer(self.deadline_doc, dtype=np.int32).copy(),
            "deadline_day": np.frombuffer(self.deadline_day, dtype=np.float64).copy(),
            "period_doc": np.frombuffer(self.period_doc, dtype=np.int32).copy(),
            "period_start": np.frombuffer(self.period_start, dtype=np.float64).copy(),
            "period_end": np.frombuffer(self.period_end, dtype=np.float64).copy(),
            "period_status": np.frombuffer(self.period_status, dtype=np.int32).copy(),
        }
        for key, values in self.numbers.items():
            arrays[f"num_{key}"] = np.frombuffer(values, dtype=np.float64).copy()
        n = len(self.ids)
        for facet in FACETABLE:
            matrix = np.zeros((n, len(self.labels[facet])), dtype=bool)
            matrix[
                np.frombuffer(self.keyword_doc[facet], dtype=np.int32),
                np.frombuffer(self.keyword_value[facet], dtype=np.int32),
            ] = True
            arrays[f"kw_{facet}"] = matrix
        strings = {
            "ids": self.ids,
            "terms": list(self.vocab),
            "labels": {f: list(v) for f, v in self.labels.items()},
        }
        return Segment(arrays, strings)


@dataclass
class Hits:
    """Matching documents of one segment: positions and their bm25 scores (0 without text)."""

    segment: Segment
    positions: np.ndarray
    scores: np.ndarray


class Segment:
    """Frozen arrays for a set of documents; positions index every per-document array."""

    def __init__(self, arrays: dict[str, np.ndarray], strings: dict[str, Any]):
        self.arrays = arrays
        self.ids: list[str] = strings["ids"]
        self.terms: list[str] = strings["terms"]
        self.labels: dict[str, list[str]] = strings["labels"]
        self.term_ids = {t: i for i, t in enumerate(self.terms)}
        self.size = len(self.ids)
        self.live = np.ones(self.size, dtype=bool)

    # -- storage ---------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        strings = json.dumps(
            {"ids": self.ids, "terms": self.terms, "labels": self.labels}, ensure_ascii=False
        )
        arrays = {**self.arrays, "_strings": np.frombuffer(strings.encode(), dtype=np.uint8)}
        np.savez(buffer, **arrays)  # type: ignore[arg-type]
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> Segment:
        with np.load(io.BytesIO(data), allow_pickle=False) as loaded:
            arrays = {k: loaded[k] for k in loaded.files}
        strings = json.loads(arrays.pop("_strings").tobytes().decode())
        return cls(arrays, strings)

    @classmethod
    def from_documents(cls, rows: Iterable[tuple[int, IndexDocument]]) -> Segment:
        builder = SegmentBuilder()
        for rowid, document in rows:
            builder.add(rowid, document)
        return builder.build()

    def drop_rowids(self, rowids: Iterable[int]) -> None:
        """Mark deleted documents (tombstones) so no query returns them."""
        wanted = np.fromiter(rowids, dtype=np.int64)
        if wanted.size:
            self.live &= ~np.isin(self.arrays["rowids"], wanted)

    # -- querying --------------------------------------------------------------------

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        term_id = self.term_ids.get(term)
        if term_id is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        start, end = self.arrays["offsets"][term_id : term_id + 2]
        return self.arrays["post_doc"][start:end], self.arrays["post_weight"][start:end]

    def mask(self, filters: Filters, today: dt.date) -> np.ndarray:
        """Documents the filters select (AND across fields, any-of within a field)."""
        a = self.arrays
        selected = self.live.copy()
        for name, values in filters.terms().items():
            labels = self.labels[name]
            columns = [labels.index(v) for v in values if v in labels]
            if not columns:
                return np.zeros(self.size, dtype=bool)
            selected &= a[f"kw_{name}"][:, columns].any(axis=1)
        if filters.ids:
            selected &= np.isin(np.asarray(self.ids, dtype=object), list(filters.ids))
        if filters.status:
            status = self.status(today)
            selected &= np.logical_or.reduce([status[s] for s in filters.status])
        if filters.deadline_from or filters.deadline_to:
            low = filters.deadline_from.toordinal() if filters.deadline_from else -math.inf
            high = filters.deadline_to.toordinal() if filters.deadline_to else math.inf
            days = a["deadline_day"]
            in_range = np.zeros(self.size, dtype=bool)
            in_range[a["deadline_doc"][(days >= low) & (days <= high)]] = True
            selected &= in_range
        if filters.amount_min is not None or filters.amount_max is not None:
            # Ranges overlap; instruments that state no amount cannot satisfy an amount filter.
            low_amount, high_amount = a["num_amount_min"], a["num_amount_max"]
            selected &= ~(np.isnan(low_amount) & np.isnan(high_amount))
            if filters.amount_min is not None:
                selected &= np.isnan(high_amount) | (high_amount >= filters.amount_min)
            if filters.amount_max is not None:
                selected &= np.isnan(low_amount) | (low_amount <= filters.amount_max)
        return selected

    def status_codes(self, today: dt.date) -> np.ndarray:
        """Each document's status on the day, as an index into STATUS_CODES.

        The periods come from `catalog.status`, which decided them from the source's signals;
        exactly one period of a document holds any day.
        """
        a = self.arrays
        day = float(today.toordinal())
        codes = np.full(self.size, STATUS_CODES.index("unknown"), dtype=np.intp)
        if "period_doc" not in a:
            return codes  # an index built before statuses had periods: rebuild it
        current = (a["period_start"] <= day) & (day < a["period_end"])
        codes[a["period_doc"][current]] = a["period_status"][current]
        return codes

    def status(self, today: dt.date) -> dict[str, np.ndarray]:
        codes = self.status_codes(today)
        return {status: codes == n for n, status in enumerate(STATUS_CODES)}

    def match(
        self,
        groups: list[tuple[str, ...]],
        selected: np.ndarray,
        corpus_size: int,
        avg_length: float,
        doc_freq: dict[str, int],
    ) -> Hits:
        """Documents containing any stem, scored like FTS5 bm25 (one phrase per stem)."""
        scores = np.zeros(self.size, dtype=np.float64)
        matched = np.zeros(self.size, dtype=bool)
        lengths = self.arrays["lengths"]
        for stem in dict.fromkeys(s for group in groups for s in group):
            docs, weights = self.postings(stem)
            if not docs.size:
                continue
            hits = doc_freq.get(stem, 0)
            idf = math.log((corpus_size - hits + 0.5) / (hits + 0.5))
            idf = idf if idf > 0 else 1e-6
            norm = K1 * (1 - B + B * lengths[docs] / avg_length)
            scores[docs] += idf * (weights * (K1 + 1)) / (weights + norm)
            matched[docs] = True
        positions = np.flatnonzero(matched & selected)
        return Hits(self, positions, scores[positions])

    def select(self, selected: np.ndarray) -> Hits:
        positions = np.flatnonzero(selected)
        return Hits(self, positions, np.zeros(positions.size))

    def facet(self, name: str, positions: np.ndarray, today: dt.date) -> Counter[str]:
        counts: Counter[str] = Counter()
        if not positions.size:
            return counts
        if name == "status":
            for status, flags in self.status(today).items():
                counts[status] += int(flags[positions].sum())
        else:
            totals = self.arrays[f"kw_{name}"][positions].sum(axis=0)
            for label, total in zip(self.labels[name], totals.tolist(), strict=True):
                counts[label] += int(total)
        return +counts

    def sort_key(self, sort: str, has_text: bool, hits: Hits, today: dt.date) -> np.ndarray:
        """One float per hit, ascending = first; ties are broken by id afterwards."""
        positions = hits.positions
        if sort == "deadline":
            closes = self.arrays["num_closes"][positions]
            day = today.toordinal()
            bucket = np.where(np.isnan(closes), 1.0, np.where(closes < day, 2.0, 0.0))
            return bucket * 1e7 + np.nan_to_num(closes, nan=0.0)
        updated = self.arrays["num_updated"][positions]
        newest = np.where(np.isnan(updated), 1e11, -updated)
        if sort == "newest":
            return newest
        codes = self.status_codes(today)[positions]
        if has_text:
            return -hits.scores * _WEIGHT[codes]
        # Relevance without words: confirmed open first, then unknown, then closed; newest
        # first within each.
        return _TIER[codes] * 1e12 + newest
