"""The encoder interface: texts in, unit-length float32 vectors out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


class EncoderUnavailable(RuntimeError):
    """The configured encoder cannot be loaded (missing package or model)."""


@runtime_checkable
class Encoder(Protocol):
    #: Stable identity stored with the index; a different name forces a rebuild.
    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """An (N, dimensions) float32 array of L2-normalised embeddings."""
        ...
