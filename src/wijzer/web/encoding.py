"""One encoder shared by all request threads: cached per text, concurrent calls batched.

Encoding one short text costs tens of milliseconds of CPU and numpy is faster per text in
batches, while many threads encoding at once only fight over the cores. So one thread at a
time encodes everything that is waiting (leader/follower), and repeated texts — a profile
refined in place, "not relevant" clicks, instrument pages — come from an LRU cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass
class _Job:
    texts: list[str]
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    done: bool = False
    error: BaseException | None = None


class SharedEncoder:
    """Wraps an Encoder (`name`, `dimensions`, `encode`) with a cache and batching."""

    def __init__(self, inner: Any, cache_size: int = 4096, max_batch: int = 64):
        self.inner = inner
        self.name: str = inner.name
        self.dimensions: int = inner.dimensions
        self.cache_size = cache_size
        self.max_batch = max_batch
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._pending: list[_Job] = []
        self._lock = threading.Lock()  # guards the cache and the pending list
        self._encoding = threading.Lock()  # held by the one thread encoding a batch
        self.batches = 0

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for text in texts:
                vector = self._cache.get(text)
                if vector is not None:
                    self._cache.move_to_end(text)
                    found[text] = vector
            missing = list(dict.fromkeys(t for t in texts if t not in found))
            job = _Job(missing)
            if missing:
                self._pending.append(job)
        if missing:
            self._wait_for(job)
            found.update(job.vectors)
        return np.stack([found[t] for t in texts])

    def _wait_for(self, job: _Job) -> None:
        while True:
            with self._encoding:
                if not job.done:
                    self._encode_pending()
            if job.done:
                break
        if job.error is not None:
            raise job.error

    def _encode_pending(self) -> None:
        with self._lock:
            batch: list[_Job] = []
            texts: list[str] = []
            while self._pending:
                nxt = self._pending[0]
                if batch and len(texts) + len(nxt.texts) > self.max_batch:
                    break
                batch.append(self._pending.pop(0))
                texts.extend(t for t in nxt.texts if t not in texts)
        if not batch:
            return
        try:
            vectors = self.inner.encode(texts)
        except Exception as exc:  # every waiting caller sees the failure, none hangs
            for job in batch:
                job.error, job.done = exc, True
            return
        by_text = dict(zip(texts, vectors, strict=True))
        with self._lock:
            self.batches += 1
            for text, vector in by_text.items():
                self._cache[text] = vector
                self._cache.move_to_end(text)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            for job in batch:
                job.vectors = {t: by_text[t] for t in job.texts}
                job.done = True
