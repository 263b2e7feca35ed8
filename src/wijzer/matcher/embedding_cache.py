"""An embedding cache keyed by the sha256 of the text, one SQLite file per encoder."""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wijzer.matcher.encoders.base import Encoder


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def cache_path(cache_dir: Path, encoder_name: str) -> Path:
    """`<cache_dir>/embeddings-<encoder name>.sqlite`, the name made safe for a file name."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", encoder_name)
    return Path(cache_dir) / f"embeddings-{safe}.sqlite"


class CachedEncoder:
    """Wraps any encoder: texts seen before are read back, only new texts are encoded."""

    def __init__(self, inner: Encoder, cache_dir: Path):
        self.inner = inner
        # Same identity as the wrapped encoder: the cache never changes what vectors mean.
        self.name = inner.name
        self.dimensions = inner.dimensions
        self.path = cache_path(cache_dir, inner.name)
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        #: How many texts the wrapped encoder actually had to encode (for tests and the CLI).
        self.encoded = 0

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, check_same_thread=False, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS embeddings (key BLOB PRIMARY KEY, vector BLOB NOT NULL)"
            )
            self._conn = conn
        return self._conn

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        keys = [_key(t) for t in texts]
        out = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        with self._lock:
            conn = self._db()
            found: dict[bytes, np.ndarray] = {}
            unique = list(dict.fromkeys(keys))
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                for key, blob in conn.execute(
                    f"SELECT key, vector FROM embeddings WHERE key IN ({marks})", chunk
                ):
                    vector = np.frombuffer(blob, dtype=np.float32)
                    # A vector of the wrong size (changed model under one name) is re-encoded.
                    if vector.shape[0] == self.dimensions:
                        found[key] = vector
            missing = {}
            for text, key in zip(texts, keys, strict=True):
                if key not in found and key not in missing:
                    missing[key] = text
            if missing:
                vectors = self.inner.encode(list(missing.values()))
                self.encoded += len(missing)
                rows = []
                for key, vector in zip(missing, vectors, strict=True):
                    vector = np.asarray(vector, dtype=np.float32)
                    found[key] = vector
                    rows.append((key, vector.tobytes()))
                with conn:
                    conn.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?)", rows)
        for i, key in enumerate(keys):
            out[i] = found[key]
        return out

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
