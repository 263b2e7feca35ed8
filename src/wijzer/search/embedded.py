"""The embedded backend: a SQLite file per index generation, queried through numpy segments."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import fcntl
import json
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from wijzer.search import analysis
from wijzer.search.backend import (
    BackendUnavailable,
    IndexInfo,
    IndexMissing,
    Progress,
    SearchBackend,
)
from wijzer.search.documents import IndexDocument
from wijzer.search.query import Filters, SearchHit, SearchQuery, SearchResult
from wijzer.search.segment import FACETABLE, Hits, Segment, SegmentBuilder

# Held (flock) by the process rebuilding the index of a directory.
REBUILD_LOCK = "rebuild.lock"
# Decoded records kept per index generation (a few KB each).
RECORD_CACHE_SIZE = 200_000

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE docs (
    -- AUTOINCREMENT: a replaced document must never get back the rowid of a tombstoned one.
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT UNIQUE NOT NULL,
    opens_at TEXT, closes_at TEXT,
    amount_min REAL, amount_max REAL,
    updated_at TEXT,
    data TEXT NOT NULL,
    vector BLOB
);
CREATE TABLE terms (doc INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL);
-- Each document's status by period ([start, end) ISO days), from catalog.status.
CREATE TABLE periods (doc INTEGER NOT NULL, status TEXT NOT NULL, start TEXT NOT NULL,
                      end TEXT NOT NULL);
-- The columnar segment built with the file (text postings, keywords, dates) as one blob.
CREATE TABLE segments (name TEXT PRIMARY KEY, max_rowid INTEGER NOT NULL, data BLOB NOT NULL);
-- Rows of the segment deleted or replaced since the build (single-document updates).
CREATE TABLE tombstones (rowid INTEGER PRIMARY KEY);
"""
_INDEXES = """
CREATE INDEX terms_field_value ON terms(field, value, doc);
CREATE INDEX terms_doc ON terms(doc);
CREATE INDEX periods_status ON periods(status, start, end);
CREATE INDEX periods_doc ON periods(doc);
CREATE INDEX docs_closes ON docs(closes_at);
CREATE INDEX docs_updated ON docs(updated_at);
"""


# Unbounded ends of a status period, as ISO days that sort before and after every date.
_BEFORE_ALL, _AFTER_ALL = "0000-01-01", "9999-12-31"


def _status_sql(statuses: tuple[str, ...], today: str) -> tuple[str, list[str]]:
    """Documents whose status on the day is one of `statuses` (the same periods as the
    segment reads)."""
    marks = ",".join("?" * len(statuses))
    return (
        f"d.rowid IN (SELECT doc FROM periods WHERE status IN ({marks})"
        " AND start <= ? AND ? < end)",
        [*statuses, today, today],
    )


@dataclass
class _Segments:
    """The live index as segments: the built one (minus tombstones) and one for later upserts."""

    key: str
    parts: list[Segment]
    corpus_size: int
    avg_length: float

    def doc_freq(self, groups: list[tuple[str, ...]]) -> dict[str, int]:
        stems = {s for group in groups for s in group}
        # Only live documents count: a replaced or deleted one stays in its segment's postings
        # (masked out), and counting it would let a term occur in more documents than exist.
        return {s: sum(int(p.live[p.postings(s)[0]].sum()) for p in self.parts) for s in stems}


class EmbeddedBackend(SearchBackend):
    """A SQLite file per index generation; a pointer file names the live one (the 'alias')."""

    name = "embedded"

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        self._local = threading.local()
        self._vectors_lock = threading.Lock()
        self._vectors: tuple[str, np.ndarray, np.ndarray] | None = None
        self._segments_lock = threading.Lock()
        self._base: tuple[Path, Segment, int] | None = None
        self._segments: _Segments | None = None
        self._pointer_cache: tuple[tuple[int, int, int], Path] | None = None
        self._record_cache: tuple[str, dict[int, tuple[str, dict[str, Any]]]] = ("", {})

    # -- connections -----------------------------------------------------------------

    @property
    def _pointer(self) -> Path:
        return self.directory / "CURRENT"

    def _live_path(self) -> Path:
        """The live generation's file; the pointer is re-read only when its stat changes."""
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
        if not path.exists():
            raise IndexMissing(f"the index file {path} is missing; run `wijzer index rebuild`")
        conn = sqlite3.connect(path, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA temp_store=MEMORY")
        conn.execute("PRAGMA cache_size=-65536")
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
        """Generation files other than the live one: a rebuild killed before its swap leaves
        its half-built file (tens of MB at 50k instruments) that nothing else would remove."""
        live = self._pointer.read_text().strip() if self._pointer.exists() else None
        removed = []
        for path in sorted(self.directory.glob("index-*.sqlite*")):
            if live is None or not path.name.startswith(live):
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
            count = 0
            builder = SegmentBuilder()
            batch: list[IndexDocument] = []
            for document in documents:
                batch.append(document)
                if len(batch) >= 1000:
                    self._write(conn, batch, builder)
                    count += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                self._write(conn, batch, builder)
                count += len(batch)
                if progress:
                    progress(len(batch))
            conn.executescript(_INDEXES)
            conn.execute(
                "INSERT INTO segments VALUES ('base', ?, ?)",
                (builder.rowids[-1] if count else 0, builder.build().to_bytes()),
            )
            meta = {
                "encoder": encoder or "",
                "dimensions": str(dimensions or ""),
                "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "generation": "0",
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", meta.items())
            conn.commit()
            conn.execute("PRAGMA journal_mode=WAL")
        except BaseException:
            conn.close()
            path.unlink(missing_ok=True)
            raise
        conn.close()
        self._swap(name)
        return count

    def _swap(self, name: str) -> None:
        """Point CURRENT at the new file atomically, then drop older generations."""
        old = None
        if self._pointer.exists():
            old = self._pointer.read_text().strip()
        tmp = self.directory / "CURRENT.tmp"
        tmp.write_text(name)
        os.replace(tmp, self._pointer)
        if old and old != name:
            for suffix in ("", "-wal", "-shm"):
                (self.directory / f"{old}{suffix}").unlink(missing_ok=True)

    def _write(
        self,
        conn: sqlite3.Connection,
        documents: Sequence[IndexDocument],
        builder: SegmentBuilder | None = None,
    ) -> None:
        for document in documents:
            record = document.record
            vector = None
            if document.vector is not None:
                vector = np.asarray(document.vector, dtype=np.float32).tobytes()
            cur = conn.execute(
                "INSERT INTO docs (id, opens_at, closes_at, amount_min, amount_max, updated_at,"
                " data, vector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    document.id,
                    record.get("opens_at"),
                    document.closes_at,
                    record.get("amount_min"),
                    record.get("amount_max"),
                    record.get("updated_at") or record.get("created_at"),
                    json.dumps(record, ensure_ascii=False),
                    vector,
                ),
            )
            rowid = cur.lastrowid
            assert rowid is not None
            rows = [(rowid, f, v) for f in FACETABLE for v in document.values(f)]
            rows.extend((rowid, "deadline", d) for d in record.get("deadlines") or [])
            conn.executemany("INSERT INTO terms VALUES (?, ?, ?)", rows)
            conn.executemany(
                "INSERT INTO periods VALUES (?, ?, ?, ?)",
                [
                    (rowid, status, start or _BEFORE_ALL, end or _AFTER_ALL)
                    for start, end, status in document.status_periods
                ],
            )
            if builder is not None:
                builder.add(rowid, document)

    def _delete_rows(self, conn: sqlite3.Connection, ids: Sequence[str]) -> None:
        for instrument_id in ids:
            row = conn.execute("SELECT rowid FROM docs WHERE id = ?", (instrument_id,)).fetchone()
            if row is None:
                continue
            conn.execute("INSERT OR IGNORE INTO tombstones VALUES (?)", row)
            conn.execute("DELETE FROM terms WHERE doc = ?", row)
            conn.execute("DELETE FROM periods WHERE doc = ?", row)
            conn.execute("DELETE FROM docs WHERE rowid = ?", row)

    def _bump_generation(self, conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")

    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        conn = self._conn()
        with conn:
            self._delete_rows(conn, [d.id for d in documents])
            self._write(conn, documents)
            self._bump_generation(conn)

    def delete(self, ids: Sequence[str]) -> None:
        conn = self._conn()
        with conn:
            self._delete_rows(conn, ids)
            self._bump_generation(conn)

    # -- reading ---------------------------------------------------------------------

    def _where(self, filters: Filters, today: dt.date) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for field, values in filters.terms().items():
            marks = ",".join("?" * len(values))
            clauses.append(
                f"d.rowid IN (SELECT doc FROM terms WHERE field = ? AND value IN ({marks}))"
            )
            params.extend([field, *values])
        if filters.ids:
            marks = ",".join("?" * len(filters.ids))
            clauses.append(f"d.id IN ({marks})")
            params.extend(filters.ids)
        if filters.status:
            clause, status_params = _status_sql(filters.status, today.isoformat())
            clauses.append(clause)
            params.extend(status_params)
        if filters.deadline_from or filters.deadline_to:
            low = filters.deadline_from.isoformat() if filters.deadline_from else "0000-01-01"
            high = filters.deadline_to.isoformat() if filters.deadline_to else "9999-12-31"
            clauses.append(
                "d.rowid IN (SELECT doc FROM terms WHERE field = 'deadline'"
                " AND value BETWEEN ? AND ?)"
            )
            params.extend([low, high])
        if filters.amount_min is not None or filters.amount_max is not None:
            # Ranges overlap; instruments that state no amount cannot satisfy an amount filter.
            clauses.append("(d.amount_min IS NOT NULL OR d.amount_max IS NOT NULL)")
            if filters.amount_min is not None:
                clauses.append("(d.amount_max IS NULL OR d.amount_max >= ?)")
                params.append(filters.amount_min)
            if filters.amount_max is not None:
                clauses.append("(d.amount_min IS NULL OR d.amount_min <= ?)")
                params.append(filters.amount_max)
        return clauses, params

    def _live_segments(self, conn: sqlite3.Connection) -> _Segments:
        """The segments of the live index, reloaded when the file or its generation changes."""
        path = self._live_path()
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        key = f"{path}#{generation[0] if generation else ''}"
        with self._segments_lock:
            if self._segments is not None and self._segments.key == key:
                return self._segments
            if self._base is None or self._base[0] != path:
                row = conn.execute("SELECT max_rowid, data FROM segments WHERE name = 'base'")
                found = row.fetchone()
                if found is None:
                    raise IndexMissing(
                        f"the index {path} has no segment; run `wijzer index rebuild`"
                    )
                self._base = (path, Segment.from_bytes(found[1]), int(found[0]))
            _, base_segment, max_rowid = self._base
            # A copy with its own deletion mask; the arrays themselves are shared.
            base = copy.copy(base_segment)
            base.live = np.ones(base.size, dtype=bool)
            base.drop_rowids(r[0] for r in conn.execute("SELECT rowid FROM tombstones"))
            parts = [base]
            rows = conn.execute(
                "SELECT rowid, id, data FROM docs WHERE rowid > ? ORDER BY rowid", (max_rowid,)
            ).fetchall()
            if rows:
                # Documents upserted since the build: small, rebuilt per generation.
                parts.append(
                    Segment.from_documents(
                        (r[0], IndexDocument(r[1], json.loads(r[2]))) for r in rows
                    )
                )
            size = sum(int(p.live.sum()) for p in parts)
            length = sum(float(p.arrays["lengths"][p.live].sum()) for p in parts)
            self._segments = _Segments(key, parts, size, length / size if size else 1.0)
            return self._segments

    def search(self, query: SearchQuery) -> SearchResult:
        started = time.perf_counter()
        for facet in query.facets:
            if facet != "status" and facet not in FACETABLE:
                raise ValueError(f"the embedded backend cannot facet on {facet!r}")
        conn = self._conn()
        segments = self._live_segments(conn)
        groups = analysis.query_groups(query.text)
        if not groups and query.text.strip():
            # Only stop words: nothing can match, which is a truthful empty result.
            return SearchResult(0, [], {f: {} for f in query.facets}, 0.0)
        hits: list[Hits] = []
        doc_freq = segments.doc_freq(groups) if groups else {}
        for part in segments.parts:
            selected = part.mask(query.filters, query.today)
            if groups:
                hits.append(
                    part.match(
                        groups, selected, segments.corpus_size, segments.avg_length, doc_freq
                    )
                )
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
        which = np.concatenate([np.full(h.positions.size, i) for i, h in enumerate(hits)])
        positions = np.concatenate([h.positions for h in hits])
        scores = np.concatenate([h.scores for h in hits])
        if keys.size > wanted:
            # Only the candidates up to the wanted-th key (with all its ties) can be on the page.
            threshold = np.partition(keys, wanted - 1)[wanted - 1]
            chosen = np.flatnonzero(keys <= threshold)
        else:
            chosen = np.arange(keys.size)
        ids = np.array([hits[which[i]].segment.ids[positions[i]] for i in chosen])
        order = chosen[np.lexsort((ids, keys[chosen]))][query.offset : wanted]
        rowids = [int(hits[which[i]].segment.arrays["rowids"][positions[i]]) for i in order]
        data = self._records(conn, rowids)
        return [
            SearchHit(data[rowid][0], float(scores[i]), data[rowid][1])
            for rowid, i in zip(rowids, order, strict=True)
        ]

    def _records(
        self, conn: sqlite3.Connection, rowids: list[int]
    ) -> dict[int, tuple[str, dict[str, Any]]]:
        """(id, record) of rows, decoded once per index generation; callers must not mutate.

        Matching reads the same hundred records on every request; decoding their JSON each
        time was a quarter of a match's cost.
        """
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        key = f"{self._live_path()}#{generation[0] if generation else ''}"
        with self._vectors_lock:
            if self._record_cache[0] != key:
                self._record_cache = (key, {})
            cache = self._record_cache[1]
            missing = [r for r in rowids if r not in cache]
        if missing:
            marks = ",".join("?" * len(missing))
            rows = conn.execute(
                f"SELECT rowid, id, data FROM docs WHERE rowid IN ({marks})", missing
            ).fetchall()
            decoded = {r[0]: (r[1], json.loads(r[2])) for r in rows}
            with self._vectors_lock:
                if self._record_cache[0] == key and len(cache) < RECORD_CACHE_SIZE:
                    cache.update(decoded)
            return {r: cache.get(r) or decoded[r] for r in rowids}
        return {r: cache[r] for r in rowids}

    def _facets(self, query: SearchQuery, hits: list[Hits]) -> dict[str, dict[str, int]]:
        facets: dict[str, dict[str, int]] = {}
        for facet in query.facets:
            counts: Counter[str] = Counter()
            for h in hits:
                counts.update(h.segment.facet(facet, h.positions, query.today))
            facets[facet] = dict(sorted(counts.items(), key=lambda r: (-r[1], r[0])))
        return facets

    def _vector_matrix(self, conn: sqlite3.Connection) -> tuple[np.ndarray, np.ndarray]:
        """(rowids, unit-length matrix) of the live index, cached until the index changes."""
        generation = conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        key = f"{self._live_path()}#{generation[0] if generation else ''}"
        with self._vectors_lock:
            if self._vectors is not None and self._vectors[0] == key:
                return self._vectors[1], self._vectors[2]
            rows = conn.execute(
                "SELECT rowid, vector FROM docs WHERE vector IS NOT NULL ORDER BY rowid"
            ).fetchall()
            if not rows:
                rowids = np.zeros(0, dtype=np.int64)
                matrix: np.ndarray = np.zeros((0, 0), dtype=np.float32)
            else:
                rowids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
                matrix = np.vstack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
                norms = np.linalg.norm(matrix, axis=1, keepdims=True)
                matrix = matrix / np.where(norms == 0, 1, norms)
            self._vectors = (key, rowids, matrix)
            return rowids, matrix

    def vector_search(
        self, vector: np.ndarray, k: int, filters: Filters, today: dt.date
    ) -> list[SearchHit]:
        conn = self._conn()
        rowids, matrix = self._vector_matrix(conn)
        if matrix.size == 0:
            return []
        query = np.asarray(vector, dtype=np.float32).reshape(-1)
        if query.shape[0] != matrix.shape[1]:
            raise ValueError(
                f"query vector has {query.shape[0]} dimensions, the index {matrix.shape[1]};"
                " rebuild the index with the current encoder"
            )
        query = query / (np.linalg.norm(query) or 1.0)
        scores = matrix @ query
        clauses, params = self._where(filters, today)
        if clauses:
            allowed = np.fromiter(
                (
                    r[0]
                    for r in conn.execute(
                        "SELECT d.rowid FROM docs d WHERE " + " AND ".join(clauses), params
                    )
                ),
                dtype=np.int64,
            )
            mask = np.isin(rowids, allowed)
            scores = np.where(mask, scores, -np.inf)
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return []
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        chosen = [int(rowids[i]) for i in top]
        data = self._records(conn, chosen)
        return [
            SearchHit(data[rowid][0], float(scores[i]), data[rowid][1])
            for rowid, i in zip(chosen, top, strict=True)
        ]

    def get(self, instrument_id: str) -> dict[str, Any] | None:
        row = (
            self._conn().execute("SELECT data FROM docs WHERE id = ?", (instrument_id,)).fetchone()
        )
        return json.loads(row[0]) if row else None

    def versions(self) -> dict[str, int | None]:
        rows = self._conn().execute("SELECT id, json_extract(data, '$.version') FROM docs")
        return {r[0]: r[1] for r in rows}

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
