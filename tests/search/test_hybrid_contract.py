"""The fused hybrid call of every backend: the page, total and facets a reader gets, checked
against what the backend's own lexical and vector rankings say the fused answer must be."""

from __future__ import annotations

import dataclasses
from collections import Counter
from typing import Any

import numpy as np
import pytest

from tests.conftest import make_test_backend
from tests.search.test_backend_contract import TODAY, seed_documents
from wijzer.matcher.ranking import rrf_scores
from wijzer.search.documents import IndexDocument
from wijzer.search.hybrid import Fusion, compose
from wijzer.search.query import FACET_FIELDS, SearchQuery, build_query
from wijzer.search.results import record_status
from wijzer.search.segment import STATUS_WEIGHTS

# Small pools on a corpus of 102, so that paging runs past the fused part, neighbours join,
# and some neighbours match by words beyond the lexical pool.
FUSION = Fusion(lexical_pool=6, vector_pool=12, min_similarity=0.3, fuse=rrf_scores)
# Only a document's own vector is close (cosine 1); a list of fewer than 6 is filled.
FILLING = dataclasses.replace(FUSION, min_similarity=0.99, fill_to=6)


def seeded_with_vectors(backend):  # type: ignore[no-untyped-def]
    docs = seed_documents(with_vectors=True)
    backend.rebuild(docs[:-2], encoder="test-random", dimensions=8)
    # Two documents arrive after the build (a second segment on the embedded backend). None
    # replaces a built one: a deleted document counts in Elasticsearch's bm25 statistics until
    # a merge, which would change its lexical order between two calls of one test.
    backend.upsert(docs[-2:])
    return docs


def expected(backend, query: SearchQuery, vector: np.ndarray) -> tuple[list[str], int, dict]:  # type: ignore[no-untyped-def]
    """The whole fused list, total and facets, from every lexical match and the neighbours."""
    lexical: list[Any] = []
    page = 1
    while True:
        hits = backend.search(dataclasses.replace(query, page=page, per_page=100)).hits
        lexical += hits
        if len(hits) < 100:
            break
        page += 1
    matched = {h.id for h in lexical}
    nearest = backend.vector_search(vector, FUSION.vector_pool, query.filters, TODAY)
    added = [h for h in nearest if h.score >= FUSION.min_similarity and h.id not in matched]
    pool = lexical[: FUSION.lexical_pool] + added
    fused = rrf_scores(
        [(1.0, [h.id for h in lexical[: FUSION.lexical_pool]]), (1.0, [h.id for h in nearest])]
    )
    ranked = sorted(
        range(len(pool)),
        key=lambda n: (
            -STATUS_WEIGHTS[record_status(pool[n].source, TODAY)],
            -fused[pool[n].id],
            n,
        ),
    )
    everything = [pool[n] for n in ranked] + lexical[FUSION.lexical_pool :]
    facets: dict[str, Counter[str]] = {f: Counter() for f in FACET_FIELDS}
    for hit in lexical + added:
        document = IndexDocument(hit.id, hit.source)
        for facet in FACET_FIELDS:
            if facet == "status":
                facets[facet][record_status(hit.source, TODAY)] += 1
            else:
                facets[facet].update(document.values(facet))
    counts = {f: dict(sorted(c.items(), key=lambda r: (-r[1], r[0]))) for f, c in facets.items()}
    return [h.id for h in everything], len(lexical) + len(added), counts


QUERIES = [
    ("subsidie innovatie", {}),
    ("lening voor startups", {"level": "national"}),
    ("subsidie", {"instrument_type": "subsidy"}),
    # Few matches: the whole answer is the fused part.
    ("innovatie", {"instrument_type": "subsidy", "status": "open,unknown"}),
]


@pytest.mark.parametrize(("text", "filters"), QUERIES)
def test_hybrid_pages_totals_and_facets_are_the_fused_set(backend, text, filters) -> None:  # type: ignore[no-untyped-def]
    docs = seeded_with_vectors(backend)
    vector = docs[40].vector
    query = build_query(text, today=TODAY, per_page=7, **filters)
    order, total, facets = expected(backend, query, vector)
    if "status" not in filters:
        assert total > FUSION.lexical_pool + 7, "too few matches to page past the fused part"
    seen: list[str] = []
    for page in range(1, (total + 6) // 7 + 1):
        result = backend.hybrid_search(dataclasses.replace(query, page=page), vector, FUSION)
        assert result.total == total
        assert result.facets == facets
        assert result.mode == "hybrid"
        seen += [h.id for h in result.hits]
        for hit in result.hits:
            # The filters hold for every hit, the neighbours that joined included.
            for name, values in query.filters.terms().items():
                assert set(IndexDocument(hit.id, hit.source).values(name)) & set(values)
            if query.filters.status:
                assert record_status(hit.source, TODAY) in query.filters.status
    assert seen == order


def test_a_close_neighbour_no_word_matches_joins_with_its_facets(backend) -> None:  # type: ignore[no-untyped-def]
    docs = seeded_with_vectors(backend)
    target = docs[40]
    query = build_query("zeppelinluchtvaart", today=TODAY)
    assert backend.search(query).total == 0
    result = backend.hybrid_search(query, target.vector, FUSION)
    assert target.id in [h.id for h in result.hits]
    assert result.total == len(result.hits) > 1
    # Meaning orders within a status: open schemes first, then unknown, then closed.
    tiers = [STATUS_WEIGHTS[record_status(h.source, TODAY)] for h in result.hits]
    assert tiers == sorted(tiers, reverse=True)
    assert sum(result.facets["level"].values()) == result.total
    assert result.facets["level"][target.record["level"]] >= 1


def test_while_few_documents_match_the_nearest_fill_the_list_after_the_others(backend) -> None:  # type: ignore[no-untyped-def]
    docs = seeded_with_vectors(backend)
    target = docs[40]
    query = build_query("zeppelinluchtvaart", today=TODAY)
    result = backend.hybrid_search(query, target.vector, FILLING)
    assert result.total == len(result.hits) == FILLING.fill_to
    # The close neighbour first; the far ones after it, nearest first, marked as far.
    nearest = backend.vector_search(target.vector, FILLING.vector_pool, query.filters, TODAY)
    assert nearest[0].id == target.id == result.hits[0].id
    assert [h.id for h in result.hits[1:]] == [h.id for h in nearest[1 : FILLING.fill_to]]
    assert [h.far for h in result.hits] == [False] + [True] * (FILLING.fill_to - 1)
    assert sum(result.facets["level"].values()) == FILLING.fill_to


def test_far_neighbours_never_rank_above_a_word_match_nor_fill_a_full_list(backend) -> None:  # type: ignore[no-untyped-def]
    docs = seeded_with_vectors(backend)
    vector = docs[40].vector
    few = build_query("innovatie", today=TODAY, instrument_type="subsidy", status="open,unknown")
    matched = {h.id for h in backend.search(few).hits}
    assert 0 < len(matched) < FILLING.fill_to
    ids = [h.id for h in backend.hybrid_search(few, vector, FILLING).hits]
    assert len(ids) == FILLING.fill_to and set(ids[: len(matched)]) <= matched | {docs[40].id}
    # Enough matches: nothing fills, the answer is the one without filling.
    many = build_query("subsidie", today=TODAY, per_page=50)
    unfilled = dataclasses.replace(FILLING, fill_to=0)
    filled, plain = (backend.hybrid_search(many, vector, f) for f in (FILLING, unfilled))
    assert filled.total > FILLING.fill_to
    assert [h.id for h in filled.hits] == [h.id for h in plain.hits]
    assert (filled.total, filled.facets) == (plain.total, plain.facets)


def test_filling_past_the_lexical_pool_is_refused() -> None:
    with pytest.raises(ValueError):
        dataclasses.replace(FUSION, fill_to=FUSION.lexical_pool + 1)


@pytest.mark.parametrize("fusion", [FUSION, FILLING], ids=["close", "filling"])
@pytest.mark.parametrize(("text", "filters"), QUERIES)
@pytest.mark.parametrize("page", [1, 2, 4])
def test_the_one_call_answers_as_the_composed_calls(backend, text, filters, page, fusion) -> None:  # type: ignore[no-untyped-def]
    """A backend's own fused call ranks, scores and counts exactly as the answer composed of its
    `search` and `vector_search` calls (what the search use case did before it had one)."""
    docs = seeded_with_vectors(backend)
    query = build_query(text, today=TODAY, per_page=7, page=page, **filters)
    one = backend.hybrid_search(query, docs[40].vector, fusion)
    composed = compose(backend, query, docs[40].vector, fusion)
    assert [(h.id, h.score) for h in one.hits] == [(h.id, h.score) for h in composed.hits]
    assert [h.source for h in one.hits] == [h.source for h in composed.hits]
    assert (one.total, one.facets) == (composed.total, composed.facets)


def test_both_backends_find_the_same_set_with_the_same_counts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The same documents and query give the same result set, total and facets on each
    backend (the order within may differ where their bm25 scores differ)."""
    answers = []
    for kind in ("embedded", "elasticsearch"):
        backend = make_test_backend(kind, tmp_path / kind)
        try:
            docs = seeded_with_vectors(backend)
            rows = []
            for text, filters in QUERIES:
                query = build_query(text, today=TODAY, per_page=100, **filters)
                result = backend.hybrid_search(query, docs[40].vector, FUSION)
                rows.append((sorted(h.id for h in result.hits), result.total, result.facets))
            answers.append(rows)
        finally:
            drop = getattr(backend, "drop_all", None)
            if drop:
                drop()
            backend.close()
    assert answers[0] == answers[1]


def test_a_vector_of_another_width_is_refused(backend) -> None:  # type: ignore[no-untyped-def]
    seeded_with_vectors(backend)
    with pytest.raises(ValueError):
        backend.hybrid_search(build_query("subsidie", today=TODAY), np.ones(5, np.float32), FUSION)


def test_the_filters_narrow_the_neighbours_too(backend) -> None:  # type: ignore[no-untyped-def]
    docs = seeded_with_vectors(backend)
    target = docs[40]
    other = "eu" if target.record["level"] != "eu" else "national"
    query = build_query("zeppelinluchtvaart", today=TODAY, level=other)
    result = backend.hybrid_search(query, target.vector, FUSION)
    assert target.id not in [h.id for h in result.hits]
    assert all(h.source["level"] == other for h in result.hits)
    assert set(result.facets["level"]) <= {other}
