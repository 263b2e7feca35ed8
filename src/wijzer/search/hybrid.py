"""Hybrid ranking as every backend answers it: the lexical matches and the nearest neighbours of
a query fused into one result set, with the parameters the search use case passes in.

The result set is the lexical matches plus the close neighbours (cosine >= min_similarity among
the vector_pool nearest) that no query word matches; while it would hold fewer than fill_to
documents, the nearest of the other neighbours fill it, after all the others. The first
lexical_pool lexical matches and the close neighbours are fused by reciprocal rank and ordered
by status tier first (confirmed open before unknown before closed, as the lexical ranking
weighs status: meaning re-ranks within a tier, never lifts an unknown scheme above an open one);
past them the lexical order continues as is. Total and facet counts are those of the whole
set, so they always agree with the list.

`compose` builds that answer from a backend's own `search` and `vector_search` (several calls);
a backend that can do it in one pass overrides `SearchBackend.hybrid_search` and must give the
same page, total and facets (the backend contract tests compare them).
"""

from __future__ import annotations

import dataclasses
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from wijzer.search.query import MAX_PER_PAGE, SearchHit, SearchQuery, SearchResult
from wijzer.search.results import record_status
from wijzer.search.segment import STATUS_WEIGHTS

if TYPE_CHECKING:
    from wijzer.search.backend import SearchBackend

#: Fuses weighted rankings (lists of ids, best first) into one score per id.
Fuse = Callable[[Sequence[tuple[float, Sequence[str]]]], dict[str, float]]


@dataclass(frozen=True)
class Fusion:
    """How a hybrid query is fused (the search use case says why each number is what it is)."""

    #: Lexical matches fused with the neighbours; below them the lexical order continues.
    lexical_pool: int
    #: Nearest neighbours that re-rank the lexical matches and may join the results.
    vector_pool: int
    #: A neighbour that no query word matches joins the results only when this close.
    min_similarity: float
    #: Reciprocal rank fusion (the matcher's, so search and match fuse alike).
    fuse: Fuse
    lexical_weight: float = 1.0
    vector_weight: float = 1.0
    #: While the results are fewer than this, the nearest neighbours join however far they are.
    fill_to: int = 0

    def __post_init__(self) -> None:
        # Filling happens only when every lexical match is in the pool (none lies beyond it).
        if self.fill_to > self.lexical_pool:
            raise ValueError("fill_to must not exceed lexical_pool")

    def far(self, similarity: float) -> bool:
        """Whether a neighbour at this cosine only fills a short list (not close in meaning)."""
        return similarity < self.min_similarity

    def joining(self, similarities: Sequence[float], lexical_total: int) -> int:
        """How many of the neighbours that no query word matches (closest first, with these
        cosines) join the results: the close ones, and the nearest while the results would be
        fewer than `fill_to`."""
        close = sum(1 for s in similarities if not self.far(s))
        return min(len(similarities), max(close, self.fill_to - lexical_total))

    def scores(self, lexical: Sequence[str], nearest: Sequence[str]) -> dict[str, float]:
        """The fused score of every id of either ranking."""
        return self.fuse([(self.lexical_weight, lexical), (self.vector_weight, nearest)])


def fused_order(
    ids: Sequence[str], tiers: Sequence[float], fused: dict[str, float], far: Sequence[bool]
) -> list[int]:
    """Indexes of the pool (lexical pool, then added neighbours) in the fused order: what words
    or close meaning found, by status tier, then fused score, then place in the pool; after it
    the far neighbours that only fill the list, nearest first (their fused score is their
    rank among the neighbours)."""

    def key(n: int) -> tuple[bool, float, float, int]:
        return (far[n], 0.0 if far[n] else -tiers[n], -fused[ids[n]], n)

    return sorted(range(len(ids)), key=key)


def compose(
    backend: SearchBackend, query: SearchQuery, vector: np.ndarray, fusion: Fusion
) -> SearchResult:
    """The hybrid answer from the backend's `search` and `vector_search`: the neighbours, the
    lexical pool, a probe of which neighbours match lexically beyond the pool, and the facets
    of the neighbours that join (three to five backend calls)."""
    started = time.perf_counter()
    neighbours = backend.vector_search(vector, fusion.vector_pool, query.filters, query.today)
    lexical = backend.search(dataclasses.replace(query, page=1, per_page=fusion.lexical_pool))
    added = _added(backend, query, lexical, neighbours, fusion)
    fused = fusion.scores([h.id for h in lexical.hits], [h.id for h in neighbours])
    pool = lexical.hits + added
    tiers = [STATUS_WEIGHTS[record_status(h.source, query.today)] for h in pool]
    far = [False] * len(lexical.hits) + [fusion.far(h.score) for h in added]
    order = fused_order([h.id for h in pool], tiers, fused, far)
    ranked = [SearchHit(pool[n].id, fused[pool[n].id], pool[n].source, far[n]) for n in order]
    hits = page_of(backend, query, ranked, lexical)
    facets = _merge_facets(lexical.facets, _facets_of(backend, query, added))
    took = (time.perf_counter() - started) * 1000
    return SearchResult(lexical.total + len(added), hits, facets, took, mode="hybrid")


def page_of(
    backend: SearchBackend, query: SearchQuery, ranked: list[SearchHit], lexical: SearchResult
) -> list[SearchHit]:
    """The query's page of the re-ranked pool, continued by the lexical order past the pool."""
    start = query.offset
    hits = ranked[start : start + query.per_page]
    missing = query.per_page - len(hits)
    if missing > 0 and lexical.total > len(lexical.hits):
        # Past the pool the lexical order continues where the pool stopped.
        skip = len(lexical.hits) + max(0, start - len(ranked))
        hits += _lexical_slice(backend, query, skip, missing)
    return hits


def _added(
    backend: SearchBackend,
    query: SearchQuery,
    lexical: SearchResult,
    neighbours: list[SearchHit],
    fusion: Fusion,
) -> list[SearchHit]:
    """The neighbours that no query word matches and that join the result set."""
    matched = {h.id for h in lexical.hits}
    unmatched = [h for h in neighbours if h.id not in matched]
    if lexical.total > len(lexical.hits):
        # Some lexical matches lie beyond the pool, so no neighbour fills (fill_to <= pool):
        # only close ones can join; ask which of them are lexical matches after all.
        unsure = [h.id for h in unmatched if not fusion.far(h.score)]
        if unsure:
            filters = dataclasses.replace(query.filters, ids=tuple(unsure))
            probe = dataclasses.replace(
                query, filters=filters, page=1, per_page=len(unsure), facets=()
            )
            matched |= {h.id for h in backend.search(probe).hits}
        unmatched = [h for h in unmatched if h.id not in matched]
    return unmatched[: fusion.joining([h.score for h in unmatched], lexical.total)]


def _lexical_slice(
    backend: SearchBackend, query: SearchQuery, skip: int, count: int
) -> list[SearchHit]:
    """`count` lexical hits after the first `skip` (pages of MAX_PER_PAGE, no facets)."""
    out: list[SearchHit] = []
    page = skip // MAX_PER_PAGE + 1
    offset = skip % MAX_PER_PAGE
    while len(out) < count:
        probe = dataclasses.replace(query, page=page, per_page=MAX_PER_PAGE, facets=())
        hits = backend.search(probe).hits
        out += hits[offset : offset + count - len(out)]
        if len(hits) < MAX_PER_PAGE:
            break
        page, offset = page + 1, 0
    return out


def _facets_of(
    backend: SearchBackend, query: SearchQuery, hits: list[SearchHit]
) -> dict[str, dict[str, int]]:
    """Facet counts of the given documents, counted by the backend like any facet."""
    if not hits or not query.facets:
        return {}
    filters = dataclasses.replace(query.filters, ids=tuple(h.id for h in hits))
    probe = dataclasses.replace(query, text="", filters=filters, page=1, per_page=1)
    return backend.search(probe).facets


def _merge_facets(
    first: dict[str, dict[str, int]], second: dict[str, dict[str, int]]
) -> dict[str, dict[str, int]]:
    """Counts summed per value, ordered as backends order them (count, then value)."""
    merged: dict[str, dict[str, int]] = {}
    for facet in first.keys() | second.keys():
        counts = Counter(first.get(facet, {}))
        counts.update(second.get(facet, {}))
        merged[facet] = dict(sorted(counts.items(), key=lambda r: (-r[1], r[0])))
    return {facet: merged[facet] for facet in first or second}
