"""One contract every search backend honours, run against the embedded backend and Elasticsearch."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pytest

from tests.conftest import SEED
from wijzer.catalog.fact_records import with_facts
from wijzer.catalog.schema import parse_record
from wijzer.catalog.status import RANK, status_of
from wijzer.search.backend import IndexMissing
from wijzer.search.documents import IndexDocument
from wijzer.search.query import Filters, QueryError, build_query

TODAY = dt.date(2026, 11, 22)


def seed_documents(with_vectors: bool = False) -> list[IndexDocument]:
    rng = np.random.default_rng(7)
    docs = []
    for number, line in enumerate(SEED.read_text().splitlines(), start=1):
        # As the catalog stores it: with the facts and status signals its text states.
        record = with_facts(parse_record(json.loads(line), number)).model_dump(mode="json")
        record["updated_at"] = f"2026-01-01T00:00:{number % 60:02d}"
        vector = rng.normal(size=8).astype(np.float32) if with_vectors else None
        docs.append(IndexDocument(record["id"], record, vector))
    return docs


@pytest.fixture(params=["embedded", "elasticsearch", "elasticsearch-cluster"])
def backend_kind(request: pytest.FixtureRequest) -> str:
    """Every backend, and Elasticsearch as a two-node cluster with a replica of each shard."""
    return str(request.param)


@pytest.fixture
def seeded(backend):  # type: ignore[no-untyped-def]
    count = backend.rebuild(seed_documents(), encoder=None, dimensions=None)
    assert count == 102
    return backend


def q(text: str = "", **kwargs):  # type: ignore[no-untyped-def]
    return build_query(text, today=TODAY, **kwargs)


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.id for h in result.hits]


def test_search_before_any_rebuild_says_the_index_is_missing(backend) -> None:
    with pytest.raises(IndexMissing):
        backend.search(q("subsidie"))


def test_dutch_plural_finds_singular(seeded) -> None:
    plural = seeded.search(q("subsidies", per_page=100))
    assert plural.total > 0
    for hit in plural.hits[:5]:
        text = json.dumps(hit.source, ensure_ascii=False).lower()
        assert "subsidie" in text


def test_leningen_finds_lening_and_loans_finds_loan(seeded) -> None:
    leningen = ids(seeded.search(q("leningen", per_page=100)))
    assert any(
        "lening" in (h.source["title"] + h.source["summary"]).lower()
        for h in seeded.search(q("leningen", per_page=100)).hits
    )
    assert len(leningen) >= 3
    loans = seeded.search(q("loans", per_page=100))
    assert loans.total >= 3
    assert all(
        "loan" in (h.source["title"] + " " + h.source["summary"]).lower() for h in loans.hits
    )


def test_title_match_ranks_first(seeded) -> None:
    result = seeded.search(q("Innovatiekrediet"))
    top_two = ids(result)[:2]
    assert "nl-rvo-innovatiekrediet" in top_two
    assert all("innovatiekrediet" in h.source["title"].lower() for h in result.hits[:2])
    assert result.hits[0].score >= result.hits[-1].score


def test_filters_narrow_and_facets_count_the_filtered_set(seeded) -> None:
    result = seeded.search(q("", level="regional", region="Limburg", per_page=100))
    assert result.total == 5
    assert {h.source["level"] for h in result.hits} == {"regional"}
    assert all(h.source["regions"] == ["Limburg"] for h in result.hits)
    assert result.facets["level"] == {"regional": 5}
    assert sum(result.facets["instrument_type"].values()) == 5


def test_facets_without_filters_cover_the_whole_corpus(seeded) -> None:
    result = seeded.search(q(""))
    assert result.total == 102
    assert result.facets["level"] == {"regional": 42, "national": 37, "eu": 23}
    assert result.facets["instrument_type"]["subsidy"] == 47
    assert result.facets["region"]["Zuid-Holland"] == 8
    assert sum(result.facets["status"].values()) == 102


def test_type_filter_with_text(seeded) -> None:
    result = seeded.search(q("innovatie", instrument_type="loan", per_page=100))
    assert result.total > 0
    assert {h.source["instrument_type"] for h in result.hits} == {"loan"}


def test_status_on_the_query_day_is_the_catalogs(seeded) -> None:
    """Filters and facets find each record's status (catalog.status) on the query's day."""
    totals = {}
    for status in ("open", "forthcoming", "unknown", "closed"):
        found = seeded.search(q("", status=status, per_page=100))
        totals[status] = found.total
        assert all(status_of(h.source, TODAY).status == status for h in found.hits), status
    assert sum(totals.values()) == 102
    # No deadline is no licence to be open: most of the seed does not say.
    assert totals["unknown"] > totals["open"] > 0 and totals["closed"] > 0
    facets = seeded.search(q("", per_page=1)).facets["status"]
    assert facets == {k: v for k, v in totals.items() if v}
    # The calendar moves on without a rebuild: on a later day more is closed.
    later = seeded.search(build_query("", status="closed", today=dt.date(2030, 1, 1)))
    assert later.total > totals["closed"]


def test_relevance_lists_confirmed_open_before_unknown_and_closed(seeded) -> None:
    hits = seeded.search(q("innovatie", per_page=100)).hits
    ranks = [RANK[status_of(h.source, TODAY).status] for h in hits]
    assert ranks == sorted(ranks) and len(set(ranks)) > 1


def test_deadline_range_and_sort(seeded) -> None:
    result = seeded.search(
        q("", deadline_from="2024-01-01", deadline_to="2024-12-31", per_page=100)
    )
    expected = [
        d.id for d in seed_documents() if any(x[:4] == "2024" for x in d.record["deadlines"])
    ]
    assert result.total == len(expected) >= 5
    assert all(any("2024" <= d[:4] <= "2024" for d in h.source["deadlines"]) for h in result.hits)
    by_deadline = seeded.search(q("", sort="deadline", per_page=100))
    upcoming = [
        h.source["deadlines"][-1]
        for h in by_deadline.hits
        if h.source["deadlines"] and h.source["deadlines"][-1] >= TODAY.isoformat()
    ]
    assert upcoming == sorted(upcoming)
    first = by_deadline.hits[0].source["deadlines"]
    assert first and first[-1] >= TODAY.isoformat()
    # Closed instruments come after the open ones.
    statuses = [
        bool(h.source["deadlines"]) and h.source["deadlines"][-1] < TODAY.isoformat()
        for h in by_deadline.hits
    ]
    assert statuses == sorted(statuses)


def test_newest_sort(seeded) -> None:
    result = seeded.search(q("", sort="newest", per_page=10))
    stamps = [h.source["updated_at"] for h in result.hits]
    assert stamps == sorted(stamps, reverse=True)


def test_amount_range_overlaps(seeded) -> None:
    docs = seed_documents()
    for doc in docs:
        doc.record["amount_min"] = doc.record["amount_max"] = None
    docs[0].record["amount_min"], docs[0].record["amount_max"] = 50_000, 200_000
    docs[1].record["amount_min"], docs[1].record["amount_max"] = 1_000_000, 5_000_000
    seeded.rebuild(docs)
    small = seeded.search(q("", amount_min=100_000, amount_max=300_000, per_page=100))
    assert ids(small) == [docs[0].id]
    big = seeded.search(q("", amount_min=2_000_000, per_page=100))
    assert ids(big) == [docs[1].id]


def test_pagination_is_disjoint_and_complete(seeded) -> None:
    seen: list[str] = []
    for page in range(1, 7):
        seen.extend(ids(seeded.search(q("", page=page, per_page=20))))
    assert len(seen) == 102 and len(set(seen)) == 102


def test_single_document_upsert_and_delete_are_visible_at_once(seeded) -> None:
    doc = seed_documents()[0]
    doc.record["title"] = "Zonnepanelenregeling Zwolle"
    seeded.upsert([doc])
    assert ids(seeded.search(q("zonnepanelenregeling"))) == [doc.id]
    assert seeded.get(doc.id)["title"] == "Zonnepanelenregeling Zwolle"
    seeded.delete([doc.id])
    assert seeded.search(q("zonnepanelenregeling")).total == 0
    assert seeded.get(doc.id) is None
    assert seeded.search(q("")).total == 101


def test_rebuild_swaps_atomically_and_keeps_serving(seeded) -> None:
    docs = seed_documents()[:10]
    assert seeded.search(q("")).total == 102
    seeded.rebuild(docs)
    assert seeded.search(q("")).total == 10
    assert seeded.info().count == 10


def test_failed_rebuild_leaves_the_live_index(seeded) -> None:
    def broken():  # type: ignore[no-untyped-def]
        yield from seed_documents()[:5]
        raise RuntimeError("catalog went away")

    with pytest.raises(RuntimeError):
        seeded.rebuild(broken())
    assert seeded.search(q("")).total == 102


def test_vector_search_returns_nearest_with_filters(backend) -> None:
    docs = seed_documents(with_vectors=True)
    backend.rebuild(docs, encoder="test-random", dimensions=8)
    target = docs[10]
    hits = backend.vector_search(target.vector, 5, Filters(), TODAY)
    assert hits[0].id == target.id
    assert hits[0].score == pytest.approx(1.0, abs=1e-3)
    assert [h.score for h in hits] == sorted([h.score for h in hits], reverse=True)
    regional = backend.vector_search(target.vector, 5, Filters(level=("eu",)), TODAY)
    assert regional and all(h.source["level"] == "eu" for h in regional)
    assert backend.info().encoder == "test-random"
    assert backend.info().dimensions == 8


def test_invalid_parameters_are_refused_before_the_backend() -> None:
    for kwargs, parameter in [
        ({"level": "planetary"}, "level"),
        ({"region": "Atlantis"}, "region"),
        ({"status": "someday"}, "status"),
        ({"deadline_from": "2024-13-01"}, "deadline_from"),
        ({"sort": "random"}, "sort"),
        ({"per_page": 1000}, "per_page"),
        ({"amount_min": "veel"}, "amount_min"),
    ]:
        with pytest.raises(QueryError) as info:
            build_query("x", **kwargs)
        assert info.value.parameter == parameter


def test_upserted_changes_show_in_filters_facets_and_sorts(seeded) -> None:
    doc = seed_documents()[3]
    before = seeded.search(q("", level="eu")).facets["level"]["eu"]
    doc.record["level"], doc.record["regions"] = "eu", []
    doc.record["updated_at"] = "2030-01-01T00:00:00"
    seeded.upsert([doc])
    result = seeded.search(q("", level="eu", per_page=100))
    assert doc.id in ids(result)
    assert result.facets["level"] == {
        "eu": before + (0 if seed_documents()[3].record["level"] == "eu" else 1)
    }
    assert ids(seeded.search(q("", sort="newest", per_page=1))) == [doc.id]
    seeded.delete([doc.id])
    assert doc.id not in ids(seeded.search(q("", level="eu", per_page=100)))
    assert sum(seeded.search(q("")).facets["level"].values()) == 101


def test_replacing_the_newest_document_and_adding_one_keeps_both_searchable(backend) -> None:
    """Upserting over the last-written document must not confuse old and new rows, and
    replaced documents must not count towards how common a word is."""
    first, second = seed_documents()[:2]
    first.record["title"] = "Zeppelinregeling"
    backend.rebuild([first])
    second.record["title"] = "Zeppelinregeling twee"
    backend.upsert([first, second])
    backend.upsert([first, second])
    assert sorted(ids(backend.search(q("zeppelinregeling")))) == sorted([first.id, second.id])
    assert backend.search(q("")).total == 2


def test_a_part_of_a_dutch_compound_finds_the_compound(seeded) -> None:
    # "energie" is only a part of the word "Energiefonds" in that record's title.
    assert "nl-nb-energiefonds-brabant" in ids(seeded.search(q("energie", per_page=10)))
    # "haalbaarheid" is only a part of "Haalbaarheidsproject" (with the linking s).
    assert "nl-mit-haalbaarheidsproject" in ids(seeded.search(q("haalbaarheid", per_page=10)))


def test_zorg_finds_zorginnovatie_and_the_whole_word_still_counts(backend) -> None:
    docs = seed_documents()
    template = docs[0].record
    crafted = {
        **template,
        "id": "test-zorginnovatie",
        "title": "Regeling zorginnovatie Noord",
        "summary": "Subsidie voor zorginnovatie door mkb'ers in de regio.",
        "description": "",
    }
    apart = {
        **crafted,
        "id": "test-apart",
        "title": "Regeling kleine studies",
        "summary": "Onderzoek naar de haalbaarheid van een nieuw product.",
    }
    backend.rebuild(
        [*docs, IndexDocument(crafted["id"], crafted), IndexDocument("test-apart", apart)]
    )
    # A compound typed by the searcher finds a record that has all its parts apart.
    assert "test-apart" in ids(backend.search(q("haalbaarheidsonderzoek", per_page=10)))
    assert "test-zorginnovatie" in ids(backend.search(q("zorg", per_page=10)))
    # The compound itself ranks the record that has the compound first.
    assert ids(backend.search(q("zorginnovatie")))[0] == "test-zorginnovatie"
    # A common word that is no compound ("overheid") does not find "heid" words.
    overheid = backend.search(q("overheid", per_page=100))
    assert all("overhe" in json.dumps(h.source).lower() for h in overheid.hits)
