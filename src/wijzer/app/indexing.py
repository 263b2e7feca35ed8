"""Keep the search index derived from the catalog: full rebuilds and single-document updates."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.search.backend import Progress, SearchBackend
from wijzer.search.documents import IndexDocument

if TYPE_CHECKING:
    from wijzer.matcher.encoders import Encoder


def embedding_text(record: dict) -> str:
    """What the encoder reads of an instrument: title, type, funder and summary."""
    parts = [
        record.get("title") or "",
        record.get("summary") or "",
        record.get("description") or "",
    ]
    return "\n".join(p for p in parts if p)[:2000]


def _documents(
    records: Sequence[dict], encoder: Encoder | None, batch: int = 256
) -> Iterator[IndexDocument]:
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        vectors: Sequence[np.ndarray | None]
        if encoder is not None:
            vectors = list(encoder.encode([embedding_text(r) for r in chunk]))
        else:
            vectors = [None] * len(chunk)
        for record, vector in zip(chunk, vectors, strict=True):
            yield IndexDocument(record["id"], record, vector)


def listed_records(catalog: Catalog, ids: Sequence[str] | None = None) -> list[dict]:
    with catalog.session() as session:
        store = InstrumentStore(session)
        if ids is None:
            return [instrument_to_dict(i) for i in store.listed()]
        found = [store.get(i) for i in ids]
        return [instrument_to_dict(i) for i in found if i is not None and i.is_listed]


def rebuild_index(
    catalog: Catalog,
    backend: SearchBackend,
    encoder: Encoder | None = None,
    progress: Progress | None = None,
) -> int:
    """Rebuild the whole index from the catalog's listed instruments; returns the count."""
    records = listed_records(catalog)
    return backend.rebuild(
        _documents(records, encoder),
        encoder=encoder.name if encoder else None,
        dimensions=encoder.dimensions if encoder else None,
        progress=progress,
    )


def encoder_mismatch(backend: SearchBackend, encoder: Encoder) -> str | None:
    """Why the live index's vectors do not come from this encoder, or None when they do.

    Raises IndexMissing when there is no index at all.
    """
    info = backend.info()
    if info.encoder != encoder.name:
        built = info.encoder or "no encoder (lexical only)"
        return f"the index was built with {built}, the configured encoder is {encoder.name}"
    if info.dimensions != encoder.dimensions:
        return (
            f"the index holds {info.dimensions}-dimensional vectors, the configured encoder"
            f" {encoder.name} makes {encoder.dimensions}"
        )
    return None


def ensure_index_encoder(
    catalog: Catalog,
    backend: SearchBackend,
    encoder: Encoder,
    progress: Progress | None = None,
) -> str | None:
    """Rebuild the whole index when its vectors come from another encoder; never mix them.

    Returns the reason when it rebuilt, None when the index already fits the encoder.
    """
    reason = encoder_mismatch(backend, encoder)
    if reason is not None:
        rebuild_index(catalog, backend, encoder, progress=progress)
    return reason


def reindex(
    catalog: Catalog, backend: SearchBackend, ids: Sequence[str], encoder: Encoder | None = None
) -> None:
    """Bring single instruments up to date in the live index (listed -> upsert, else delete).

    When the index's vectors come from another encoder, the whole index is rebuilt instead.
    """
    if encoder is not None and ensure_index_encoder(catalog, backend, encoder) is not None:
        return
    records = listed_records(catalog, ids)
    listed = {r["id"] for r in records}
    if records:
        backend.upsert(list(_documents(records, encoder)))
    gone = [i for i in ids if i not in listed]
    if gone:
        backend.delete(gone)
