"""The one interface every search backend implements, with its shared errors."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from wijzer.search.documents import IndexDocument
from wijzer.search.query import Filters, SearchHit, SearchQuery, SearchResult

if TYPE_CHECKING:
    from wijzer.search.hybrid import Fusion


class BackendUnavailable(RuntimeError):
    """The backend cannot be reached or used; the message names where it was looked for."""


class IndexMissing(RuntimeError):
    """No index has been built yet; `wijzer index rebuild` makes one."""


@dataclass(frozen=True)
class IndexInfo:
    backend: str
    name: str
    count: int
    encoder: str | None
    dimensions: int | None
    built_at: str | None


Progress = Callable[[int], None]


class SearchBackend(abc.ABC):
    """Derived index over listed instruments; can always be rebuilt from the catalog."""

    name: str = "abstract"

    @abc.abstractmethod
    def rebuild(
        self,
        documents: Iterable[IndexDocument],
        *,
        encoder: str | None = None,
        dimensions: int | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Build a fresh index from all documents and swap it in atomically; returns the count.

        Searches keep answering from the old index until the swap; a failure leaves it in place.
        """

    @abc.abstractmethod
    def upsert(self, documents: Sequence[IndexDocument]) -> None:
        """Add or replace single documents in the live index (visible to the next search)."""

    @abc.abstractmethod
    def delete(self, ids: Sequence[str]) -> None:
        """Remove documents from the live index; unknown ids are ignored."""

    @abc.abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Lexical search with filters, facets, sort and paging."""

    @abc.abstractmethod
    def vector_search(
        self, vector: np.ndarray, k: int, filters: Filters, today: dt.date
    ) -> list[SearchHit]:
        """The k documents nearest to vector (cosine) among those the filters select."""

    @abc.abstractmethod
    def hybrid_search(self, query: SearchQuery, vector: np.ndarray, fusion: Fusion) -> SearchResult:
        """One page of the query's lexical matches and close neighbours fused by relevance,
        with the total and facet counts of that set (see `search.hybrid`; the query's sort is
        ignored). Raises ValueError when the index holds no vectors of the query's width."""

    @abc.abstractmethod
    def get(self, instrument_id: str) -> dict[str, Any] | None:
        """The indexed record of one instrument, or None."""

    @abc.abstractmethod
    def info(self) -> IndexInfo:
        """What the live index holds; raises IndexMissing when none is built."""

    @abc.abstractmethod
    def versions(self) -> dict[str, int | None]:
        """{id: catalog version} of every document in the live index (to find what the index
        lacks after a crash or an outage); raises IndexMissing when none is built."""

    def remove_leftovers(self) -> list[str]:
        """Delete what interrupted rebuilds left behind (never the live index or a rebuild
        still running); returns what was removed."""
        return []

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release connections."""
