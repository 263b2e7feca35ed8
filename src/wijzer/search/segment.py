"""A columnar segment of the embedded index: numpy BM25, bitset filters and facets, sort keys.

Every per-document value is a numpy array indexed by the document's position in the segment;
a built segment is a directory of .npy files that every searching process memory-maps, so the
web workers share its pages. A query is a few vectorised operations over those arrays:

- text is scored from the postings of the query's stems with FTS5's bm25 formula, the column
  weights 8/3/1 folded into the term frequency (ranking is what `bm25(fts, 8, 3, 1)` gave);
- filters are bitsets, one per keyword value, OR-ed within a field and AND-ed across fields;
- facet counts are popcounts of each value's bitset AND the hits' bitset (one operation for all
  values of a field), or a gather of the hits' bits when they are few;
- sort keys are computed for the hits only and the page is cut with a partition.

What is indexed comes from `documents.py` (keyword and number fields), so a field added there is
filterable here without touching this module.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import json
import math
import os
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson

from wijzer.catalog.status import RANK
from wijzer.catalog.taxonomy import STATUSES
from wijzer.search import analysis
from wijzer.search.documents import KEYWORD_LISTS, KEYWORDS, NUMBERS, IndexDocument
from wijzer.search.query import Filters

FACETABLE = (*KEYWORDS, *KEYWORD_LISTS)
# Whole numbers, so a field's weighted counts are counted in C (each term repeated `weight` times).
WEIGHTS = {"title": 8, "summary": 3, "body": 1}
K1, B = 1.2, 0.75  # FTS5's bm25 constants
STATUS_CODES = tuple(STATUSES)
# Relevance is multiplied by these, so confirmed-open results come before those whose status
# the source does not tell, and those before closed ones (the Elasticsearch backend does the
# same with function_score weights).
STATUS_WEIGHTS = {"open": 1.0, "forthcoming": 1.0, "unknown": 1e-3, "closed": 1e-6}
_TIER = np.array([RANK[s] for s in STATUS_CODES])  # the catalog's listing order
_WEIGHT = np.array([STATUS_WEIGHTS[s] for s in STATUS_CODES])
# Days whose statuses a segment keeps (codes and bitsets, made by the first query of the day).
STATUS_DAYS = 8
# Below this many hits per 64 documents, facet counts gather the hits' bits instead of
# AND-ing whole bitsets (measured break-even on 100k documents: about 1 hit in 64).
GATHER_BELOW = 1 / 64


def _number(kind: str, value: Any) -> float:
    """A number field as a float: dates as day numbers, instants as epoch seconds; NaN if none."""
    if value is None or value == "":
        return math.nan
    if kind == "number":
        return float(value)
    return _parsed(kind, str(value))


@functools.lru_cache(maxsize=65_536)
def _parsed(kind: str, value: str) -> float:
    """Dates repeat across instruments (deadlines on the same day): parsed once each."""
    if kind == "date":
        return float(dt.date.fromisoformat(str(value)[:10]).toordinal())
    if kind == "instant":
        moment = dt.datetime.fromisoformat(str(value))
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return moment.timestamp()
    return float(value)


def _words(size: int) -> int:
    return (size + 63) // 64


def pack(mask: np.ndarray) -> np.ndarray:
    """A boolean array as a bitset of uint64 words (document p is bit p % 64 of word p // 64)."""
    packed = np.packbits(mask, bitorder="little")
    padded = np.zeros(_words(mask.size) * 8, dtype=np.uint8)
    padded[: packed.size] = packed
    return padded.view(np.uint64)


def _stable_order(values: np.ndarray, highest: int) -> np.ndarray:
    """Stable argsort of small non-negative ints by 16-bit radix passes (numpy's radix sort)."""
    if highest < 1 << 16:
        return np.argsort(values.astype(np.uint16), kind="stable")
    low = np.argsort((values & 0xFFFF).astype(np.uint16), kind="stable")
    high = np.argsort((values[low] >> 16).astype(np.uint16), kind="stable")
    return low[high]


class SegmentBuilder:
    """Collects documents (in rowid order) and freezes them into a Segment."""

    def __init__(self) -> None:
        self.rowids = array("q")
        self.ids: list[str] = []
        # term -> id, assigned in order of first appearance by the C-level counter.
        self.vocab: defaultdict[str, int] = defaultdict(itertools.count().__next__)
        self.post_term = array("i")
        self.post_doc = array("i")
        self.post_weight = array("f")
        self.lengths = array("f")
        self.numbers: dict[str, array[float]] = {name: array("d") for name in NUMBERS}
        self.deadline_doc = array("i")
        self.deadline_day = array("d")
        self.period_doc = array("i")
        self.period_start = array("d")
        self.period_end = array("d")
        self.period_status = array("b")
        self.labels: dict[str, dict[str, int]] = {f: {} for f in FACETABLE}
        self.keyword_doc: dict[str, array[int]] = {f: array("i") for f in FACETABLE}
        self.keyword_value: dict[str, array[int]] = {f: array("i") for f in FACETABLE}
        self.records = bytearray()
        self.record_ends = array("q")
        self.vectors = bytearray()
        self.dimensions: int | None = None
        self.has_vector = array("b")

    def add(self, rowid: int, document: IndexDocument, data: bytes | None = None) -> None:
        """Add one document; `data` is its record as JSON when the caller has it already."""
        position = len(self.ids)
        record = document.record
        self.rowids.append(rowid)
        self.ids.append(document.id)
        self.records += data if data is not None else orjson.dumps(record)
        self.record_ends.append(len(self.records))
        # Column-weighted term frequencies, counted in C: a title term counts 8 times.
        weights: Counter[str] = Counter()
        length = 0
        for name, text in document.text_fields.items():
            terms = analysis.search_terms(text)
            length += len(terms)
            weights.update(terms * WEIGHTS[name] if WEIGHTS[name] != 1 else terms)
        self.lengths.append(length)
        self.post_term.extend(map(self.vocab.__getitem__, weights))
        self.post_weight.extend(weights.values())
        self.post_doc.extend(itertools.repeat(position, len(weights)))
        for name, kind in NUMBERS.items():
            self.numbers[name].append(_number(kind, document.number(name)))
        for deadline in record.get("deadlines") or []:
            self.deadline_doc.append(position)
            self.deadline_day.append(_number("date", deadline))
        # Status by [start, end) periods from catalog.status: a query finds the status on its
        # own day, so the calendar passing a deadline needs no rebuild.
        for start, end, status in document.status_periods:
            self.period_doc.append(position)
            self.period_start.append(_number("date", start) if start else -math.inf)
            self.period_end.append(_number("date", end) if end else math.inf)
            self.period_status.append(STATUS_CODES.index(status))
        for facet in FACETABLE:
            labels = self.labels[facet]
            for value in document.values(facet):
                self.keyword_doc[facet].append(position)
                self.keyword_value[facet].append(labels.setdefault(value, len(labels)))
        self._add_vector(document.vector)

    def _add_vector(self, vector: np.ndarray | None) -> None:
        if vector is None:
            self.has_vector.append(0)
            if self.dimensions:
                self.vectors.extend(bytes(4 * self.dimensions))
            return
        row = np.asarray(vector, dtype=np.float32).reshape(-1)
        if self.dimensions is None:
            # Documents before the first vector get zero rows of the now known width.
            self.dimensions = row.size
            self.vectors.extend(bytes(4 * row.size * len(self.has_vector)))
        elif row.size != self.dimensions:
            raise ValueError(f"vector of {row.size} dimensions in an index of {self.dimensions}")
        self.has_vector.append(1)
        self.vectors.extend(row.tobytes())

    def build(self) -> Segment:
        n = len(self.ids)
        terms = np.frombuffer(self.post_term, dtype=np.int32)
        order = _stable_order(terms, len(self.vocab))
        offsets = np.zeros(len(self.vocab) + 1, dtype=np.int64)
        np.cumsum(np.bincount(terms, minlength=len(self.vocab)), out=offsets[1:])
        days = np.frombuffer(self.deadline_day, dtype=np.float64)
        by_day = np.argsort(days, kind="stable")
        by_id = sorted(range(n), key=self.ids.__getitem__)
        id_rank = np.empty(n, dtype=np.int32)
        id_rank[by_id] = np.arange(n, dtype=np.int32)
        arrays: dict[str, np.ndarray] = {
            "rowids": np.frombuffer(self.rowids, dtype=np.int64).copy(),
            "id_rank": id_rank,
            "post_doc": np.frombuffer(self.post_doc, dtype=np.int32)[order],
            "post_weight": np.frombuffer(self.post_weight, dtype=np.float32)[order],
            "offsets": offsets,
            "lengths": np.frombuffer(self.lengths, dtype=np.float32).copy(),
            "deadline_day": days[by_day].astype(np.float32),
            "deadline_doc": np.frombuffer(self.deadline_doc, dtype=np.int32)[by_day],
            "has_vector": np.frombuffer(self.has_vector, dtype=np.int8).astype(bool),
            "records": np.frombuffer(self.records, dtype=np.uint8).copy(),
            "record_ends": np.frombuffer(self.record_ends, dtype=np.int64).copy(),
            "period_doc": np.frombuffer(self.period_doc, dtype=np.int32).copy(),
            "period_start": np.frombuffer(self.period_start, dtype=np.float64).astype(np.float32),
            "period_end": np.frombuffer(self.period_end, dtype=np.float64).astype(np.float32),
            "period_status": np.frombuffer(self.period_status, dtype=np.int8).copy(),
        }
        for name, values in self.numbers.items():
            # Day numbers are exact in float32 and half the bytes to compare per query.
            dtype = np.float32 if NUMBERS[name] == "date" else np.float64
            arrays[f"num_{name}"] = np.frombuffer(values, dtype=np.float64).astype(dtype)
        for facet in FACETABLE:
            matrix = np.zeros((len(self.labels[facet]), n), dtype=bool)
            matrix[
                np.frombuffer(self.keyword_value[facet], dtype=np.int32),
                np.frombuffer(self.keyword_doc[facet], dtype=np.int32),
            ] = True
            arrays[f"kw_{facet}"] = (
                np.stack([pack(row) for row in matrix])
                if len(matrix)
                else np.zeros((0, _words(n)), dtype=np.uint64)
            )
        if self.dimensions:
            matrix = np.frombuffer(self.vectors, dtype=np.float32).reshape(n, self.dimensions)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            arrays["vectors"] = matrix / np.where(norms == 0, 1, norms)
        strings = {
            "ids": self.ids,
            "terms": list(self.vocab),
            "labels": {f: list(v) for f, v in self.labels.items()},
            "analysis": analysis.VERSION,
        }
        return Segment(arrays, strings)


@dataclass
class Hits:
    """Matching documents of one segment: positions and their bm25 scores (0 without text)."""

    segment: Segment
    positions: np.ndarray
    scores: np.ndarray
    _bits: np.ndarray | None = None

    @property
    def bits(self) -> np.ndarray:
        """The hits as a bitset (made once per query, shared by every facet)."""
        if self._bits is None:
            mask = np.zeros(self.segment.size, dtype=bool)
            mask[self.positions] = True
            self._bits = pack(mask)
        return self._bits


@dataclass(frozen=True)
class CorpusStats:
    """What bm25 needs of the whole live index (every segment): size and average length."""

    size: int
    avg_length: float


class Segment:
    """Frozen arrays for a set of documents; positions index every per-document array."""

    def __init__(self, arrays: dict[str, np.ndarray], strings: dict[str, Any]):
        self.arrays = arrays
        self.ids: list[str] = strings["ids"]
        self.terms: list[str] = strings["terms"]
        self.labels: dict[str, list[str]] = strings["labels"]
        # Segments saved before the analysis had a version were built by version 1.
        self.analysis: int = strings.get("analysis", 1)
        self.term_ids = {t: i for i, t in enumerate(self.terms)}
        self.label_ids = {f: {v: i for i, v in enumerate(vs)} for f, vs in self.labels.items()}
        self.size = len(self.ids)
        self.live = np.ones(self.size, dtype=bool)
        self.dead = 0
        # Id order comparable across the segments of one index (see place_among).
        self.ranks: np.ndarray = self.arrays["id_rank"]
        self._norms: tuple[float, np.ndarray] | None = None
        # Day -> (status code per document, one bitset per status); shared by deletion views.
        self._statuses: dict[int, tuple[np.ndarray, np.ndarray]] = {}

    # -- storage ---------------------------------------------------------------------

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True)
        for name, values in self.arrays.items():
            np.save(directory / f"{name}.npy", values, allow_pickle=False)
        strings = {
            "ids": self.ids,
            "terms": self.terms,
            "labels": self.labels,
            "analysis": self.analysis,
        }
        (directory / "strings.json").write_text(json.dumps(strings, ensure_ascii=False))

    @classmethod
    def open(cls, directory: Path) -> Segment:
        """Map a saved segment: the arrays stay on disk (shared page cache), read on use."""
        # Plain ndarray views of the maps: np.memmap's own indexing costs microseconds a call.
        arrays = {
            entry.name[:-4]: np.load(entry.path, mmap_mode="r", allow_pickle=False).view(np.ndarray)
            for entry in os.scandir(directory)
            if entry.name.endswith(".npy")
        }
        strings = json.loads((directory / "strings.json").read_text())
        return cls(arrays, strings)

    @classmethod
    def from_documents(cls, rows: Iterable[tuple[int, IndexDocument]]) -> Segment:
        builder = SegmentBuilder()
        for rowid, document in rows:
            builder.add(rowid, document)
        return builder.build()

    def with_deletions(self, rowids: Iterable[int]) -> Segment:
        """A view of this segment without the given documents (tombstones); arrays shared."""
        view = Segment.__new__(Segment)
        view.__dict__.update(self.__dict__)
        view.live = np.ones(self.size, dtype=bool)
        wanted = np.fromiter(rowids, dtype=np.int64)
        if wanted.size:
            view.live &= ~np.isin(self.arrays["rowids"], wanted)
        view.dead = int(self.size - view.live.sum())
        return view

    # -- statistics --------------------------------------------------------------------

    @property
    def live_count(self) -> int:
        return self.size - self.dead

    def live_length(self) -> float:
        lengths = self.arrays["lengths"]
        return float(lengths[self.live].sum() if self.dead else lengths.sum())

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        term_id = self.term_ids.get(term)
        if term_id is None:
            return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float32)
        start, end = self.arrays["offsets"][term_id : term_id + 2]
        return self.arrays["post_doc"][start:end], self.arrays["post_weight"][start:end]

    def doc_freq(self, term: str) -> int:
        """Live documents containing the term (a replaced one must not count twice)."""
        docs, _ = self.postings(term)
        return int(self.live[docs].sum()) if self.dead else int(docs.size)

    def _length_norms(self, avg_length: float) -> np.ndarray:
        """bm25's per-document length normalisation, kept while the average length holds."""
        if self._norms is None or self._norms[0] != avg_length:
            lengths = self.arrays["lengths"]
            norms = (K1 * (1 - B + B * lengths / np.float32(avg_length))).astype(np.float32)
            self._norms = (avg_length, norms)
        return self._norms[1]

    # -- querying --------------------------------------------------------------------

    def _keyword_bits(self, name: str, values: tuple[str, ...]) -> np.ndarray | None:
        """The bitset of documents having any of the values (None: none of them occurs)."""
        known = [self.label_ids[name][v] for v in values if v in self.label_ids[name]]
        if not known:
            return None
        bits = self.arrays[f"kw_{name}"]
        return bits[known[0]] if len(known) == 1 else np.bitwise_or.reduce(bits[known], axis=0)

    def statuses(self, today: dt.date) -> tuple[np.ndarray, np.ndarray]:
        """Each document's status on the day (an index into STATUS_CODES) and a bitset per status.

        The periods come from `catalog.status`, which decided them from the source's signals;
        exactly one period of a document holds any day. The status is a property of the day,
        not of a query, so it is worked out once per day (1.4 ms for 100k documents with 250k
        periods, measured) and every query of that day filters, counts and ranks with it like
        a keyword field.
        """
        day = today.toordinal()
        found = self._statuses.get(day)
        if found is None:
            a = self.arrays
            current = np.flatnonzero((a["period_start"] <= day) & (day < a["period_end"]))
            codes = np.full(self.size, STATUS_CODES.index("unknown"), dtype=np.int8)
            codes[a["period_doc"][current]] = a["period_status"][current]
            bits = np.stack([pack(codes == n) for n in range(len(STATUS_CODES))])
            found = (codes, bits)
            if len(self._statuses) >= STATUS_DAYS:
                self._statuses.pop(next(iter(self._statuses)), None)
            self._statuses[day] = found
        return found

    def status_weight(self, position: int, today: dt.date) -> float:
        """The relevance weight of one document's status on the day (see STATUS_WEIGHTS)."""
        return float(_WEIGHT[self.statuses(today)[0][position]])

    @functools.cached_property
    def position_of(self) -> dict[str, int]:
        """Each document's position by its id (built on first use, then kept with the segment)."""
        return {doc_id: n for n, doc_id in enumerate(self.ids)}

    def mask(self, filters: Filters, today: dt.date) -> np.ndarray:
        """Documents the filters select (AND across fields, any-of within a field)."""
        a = self.arrays
        terms = filters.terms()
        if terms or filters.status:
            bits: np.ndarray | None = None
            for name, values in terms.items():
                field_bits = self._keyword_bits(name, values)
                if field_bits is None:
                    return np.zeros(self.size, dtype=bool)
                bits = field_bits if bits is None else bits & field_bits
            if filters.status:
                by_status = self.statuses(today)[1]
                wanted = [STATUS_CODES.index(s) for s in filters.status]
                status_bits = np.bitwise_or.reduce(by_status[wanted], axis=0)
                bits = status_bits if bits is None else bits & status_bits
            assert bits is not None
            selected = np.unpackbits(bits.view(np.uint8), count=self.size, bitorder="little")
            selected = selected.view(bool)
            if self.dead:
                selected &= self.live
        else:
            selected = self.live.copy()
        if filters.ids:
            # Hybrid search asks for a handful of ids at a time: a lookup per id, not a scan of
            # every id (np.isin over 100k object ids took ~125 ms a call).
            chosen = np.zeros(self.size, dtype=bool)
            chosen[[self.position_of[i] for i in filters.ids if i in self.position_of]] = True
            selected &= chosen
        if filters.deadline_from or filters.deadline_to:
            days = a["deadline_day"]
            low = filters.deadline_from.toordinal() if filters.deadline_from else -math.inf
            high = filters.deadline_to.toordinal() if filters.deadline_to else math.inf
            start = int(np.searchsorted(days, low, side="left"))
            end = int(np.searchsorted(days, high, side="right"))
            in_range = np.zeros(self.size, dtype=bool)
            in_range[a["deadline_doc"][start:end]] = True
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

    def match(
        self,
        words: list[analysis.QueryWord],
        selected: np.ndarray,
        stats: CorpusStats,
        doc_freq: dict[str, int],
        weights: dict[str, float],
    ) -> Hits:
        """Documents that match any query word, scored like FTS5 bm25 (one phrase per stem)
        with each stem's share times its weight (compound parts count less than words typed).

        A document matches a word by one of its stems, or a compound word by all its parts.
        """
        scores = np.zeros(self.size, dtype=np.float32)
        norms = self._length_norms(stats.avg_length)
        found: dict[str, np.ndarray] = {}
        for stem, boost in weights.items():
            docs, tf = self.postings(stem)
            found[stem] = docs
            if not docs.size:
                continue
            hits = doc_freq.get(stem, 0)
            idf = math.log((stats.size - hits + 0.5) / (hits + 0.5))
            idf = idf if idf > 0 else 1e-6
            scores[docs] += np.float32(boost * idf * (K1 + 1)) * tf / (tf + norms[docs])
        matched = np.zeros(self.size, dtype=bool)
        for word in words:
            for stem in word.stems:
                matched[found[stem]] = True
            if word.parts:
                every = np.ones(self.size, dtype=bool)
                for part in word.parts:
                    some = np.zeros(self.size, dtype=bool)
                    for stem in part:
                        some[found[stem]] = True
                    every &= some
                matched |= every
        positions = np.flatnonzero(matched & selected)
        return Hits(self, positions, scores[positions])

    def select(self, selected: np.ndarray) -> Hits:
        positions = np.flatnonzero(selected)
        return Hits(self, positions, np.zeros(positions.size, dtype=np.float32))

    def facet(self, name: str, hits: Hits, today: dt.date) -> Counter[str]:
        """Counts of each value of a field among the hits."""
        counts: Counter[str] = Counter()
        positions = hits.positions
        if not positions.size:
            return counts
        if name == "status":
            bits, labels = self.statuses(today)[1], list(STATUS_CODES)
        else:
            bits, labels = self.arrays[f"kw_{name}"], self.labels[name]
        if not len(bits):
            return counts
        if positions.size < GATHER_BELOW * self.size:
            words = bits[:, positions >> 6]
            totals = ((words >> (positions & 63).astype(np.uint64)) & np.uint64(1)).sum(axis=1)
        else:
            totals = np.bitwise_count(bits & hits.bits).sum(axis=1, dtype=np.int64)
        for label, total in zip(labels, totals.tolist(), strict=True):
            if total:
                counts[label] = int(total)
        return counts

    def sort_key(self, sort: str, has_text: bool, hits: Hits, today: dt.date) -> np.ndarray:
        """One float per hit, ascending = first; ties are broken by id afterwards."""
        positions = hits.positions
        if sort == "deadline":
            closes = self.arrays["num_closes_at"][positions]
            day = today.toordinal()
            bucket = np.where(np.isnan(closes), 1.0, np.where(closes < day, 2.0, 0.0))
            return bucket * 1e7 + np.nan_to_num(closes, nan=0.0)
        updated = self.arrays["num_updated_at"][positions]
        newest = np.where(np.isnan(updated), 1e11, -updated)  # no date: last (epoch s < 1e11)
        if sort == "newest":
            return newest
        codes = self.statuses(today)[0][positions]
        if has_text:
            return -hits.scores * _WEIGHT[codes]
        # Relevance without words: confirmed open first, then unknown, then closed; newest
        # first within each.
        return _TIER[codes] * 1e12 + newest

    def record(self, position: int) -> dict[str, Any]:
        """The catalog record of one document, decoded on each call."""
        ends = self.arrays["record_ends"]
        start = int(ends[position - 1]) if position else 0
        return orjson.loads(self.arrays["records"][start : int(ends[position])].tobytes())

    def id_ranks(self, positions: np.ndarray) -> np.ndarray:
        return self.ranks[positions].astype(np.float64)

    def sorted_ids(self) -> list[str]:
        """The ids in ascending order (to place the ids of another segment among them)."""
        order = np.argsort(self.arrays["id_rank"])
        return [self.ids[i] for i in order.tolist()]

    def place_among(self, base_ids: list[str]) -> None:
        """Id ranks between those of a base segment whose sorted ids are given.

        A base document of rank r has rank r; a document here whose id sorts between base
        ranks r-1 and r gets a rank strictly between them, in its own id order.
        """
        local = self.arrays["id_rank"]
        slots = np.array([bisect.bisect_left(base_ids, i) for i in self.ids], dtype=np.float64)
        self.ranks = slots - 1 + (local + 1) / (self.size + 1)
