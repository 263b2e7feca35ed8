"""The reindex use case: keep the search index derived from the catalog (rebuilds, updates)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.search.backend import IndexMissing, Progress, SearchBackend
from wijzer.search.documents import documents_of

if TYPE_CHECKING:
    from wijzer.app.services import Services
    from wijzer.matcher.encoders import Encoder


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
        documents_of(records, encoder),
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
        backend.upsert(list(documents_of(records, encoder)))
    gone = [i for i in ids if i not in listed]
    if gone:
        backend.delete(gone)


def update_index(
    services: Services, ids: Sequence[str], warn: Callable[[str], None] | None = None
) -> str:
    """Bring the index up to date after instruments changed (crawl, import, staff, alerts).

    No index yet: build it whole (with vectors when the encoder loads). Otherwise reindex the
    given instruments, with vectors when the live index has them. Returns what was done;
    BackendUnavailable reaches the caller.
    """
    try:
        info = services.backend.info()
    except IndexMissing:
        count = rebuild_index(services.catalog, services.backend, services.optional_encoder(warn))
        return f"built the index ({count} instruments)"
    if not ids:
        return "nothing to update"
    # An index built with vectors must get vectors for updated documents too.
    encoder = services.optional_encoder(warn) if info.encoder else None
    reindex(services.catalog, services.backend, list(ids), encoder)
    return f"updated {len(ids)} instrument(s)"


@dataclass(frozen=True)
class IndexGap:
    """How the live index differs from the catalog's listed instruments."""

    listed: int
    missing: list[str] = field(default_factory=list)  # listed, not in the index
    stale: list[str] = field(default_factory=list)  # indexed at another version
    extra: list[str] = field(default_factory=list)  # indexed, but no longer listed
    no_index: bool = False

    @property
    def ids(self) -> list[str]:
        return [*self.missing, *self.stale, *self.extra]

    def __bool__(self) -> bool:
        return self.no_index or bool(self.ids)

    def describe(self) -> str:
        if self.no_index:
            return f"there is no search index ({self.listed} listed instruments)"
        if not self:
            return f"the search index holds all {self.listed} listed instruments"
        return (
            f"the search index lacks {len(self.missing)} listed instrument(s), holds"
            f" {len(self.stale)} at an older version and {len(self.extra)} no longer listed"
        )


def index_gap(services: Services) -> IndexGap:
    """Compare the live index with the catalog, id by id and version by version."""
    with services.catalog.session() as session:
        listed = InstrumentStore(session).listed_versions()
    try:
        indexed = services.backend.versions()
    except IndexMissing:
        return IndexGap(len(listed), missing=sorted(listed), no_index=True)
    return IndexGap(
        len(listed),
        missing=sorted(i for i in listed if i not in indexed),
        stale=sorted(i for i, v in listed.items() if i in indexed and indexed[i] != v),
        extra=sorted(i for i in indexed if i not in listed),
    )


# Above this many changed documents a fresh build beats single updates: updates land in a
# segment that is rebuilt in memory on every change of the index.
UPDATE_LIMIT = 100


def repair_index(services: Services, warn: Callable[[str], None] | None = None) -> str | None:
    """Bring the index level with the catalog (after an import, a crash or an outage) and
    delete leftovers of interrupted rebuilds; returns what was done, None when nothing was
    needed. BackendUnavailable reaches the caller."""
    removed = services.backend.remove_leftovers()
    gap = index_gap(services)
    done = None
    if gap.no_index or len(gap.ids) > max(UPDATE_LIMIT, gap.listed // 10):
        count = rebuild_index(services.catalog, services.backend, services.optional_encoder(warn))
        done = f"rebuilt the search index ({count} instruments): {gap.describe()}"
    elif gap:
        update_index(services, gap.ids, warn)
        done = f"updated {len(gap.ids)} instrument(s) in the search index: {gap.describe()}"
    if removed:
        leftovers = f"removed {len(removed)} leftover file(s) of an interrupted rebuild"
        done = f"{done}; {leftovers}" if done else leftovers
    return done


def stale_ids(services: Services, ids: Sequence[str]) -> list[str]:
    """The instruments whose current state the live index lacks: listed ones missing or at an
    older version, unlisted ones still indexed. No index at all: every id."""
    listed = {r["id"]: r for r in listed_records(services.catalog, ids)}
    try:
        services.backend.info()
    except IndexMissing:
        return list(ids)
    stale = []
    for instrument_id in ids:
        indexed = services.backend.get(instrument_id)
        record = listed.get(instrument_id)
        if record is None:
            if indexed is not None:
                stale.append(instrument_id)
        elif indexed is None or indexed.get("version") != record.get("version"):
            stale.append(instrument_id)
    return stale
