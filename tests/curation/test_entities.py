"""One public record per instrument, on SQLite and PostgreSQL: the seed import and the offline
crawl resolve into one record per known duplicate group; staff split a wrong merge and the split
survives recrawls; a merge across two funders is refused and queued for staff."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import SEED
from tests.offline_runs import store_offline
from wijzer.catalog.curation import CurationError, audit, relations
from wijzer.catalog.curation.merging import MergePass, merge, split
from wijzer.catalog.curation.resolution import resolve
from wijzer.catalog.curation_models import InstrumentLink
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import import_records, read_jsonl
from wijzer.catalog.models import Instrument
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import parse_record
from wijzer.crawler.crawling import run_crawl

CURATOR = "curator@wijzer.test"
HORIZON = [
    "CL2-2024-TRANSFORMATIONS-01-08",
    "CL3-2026-02-CS-ECCC-01",
    "CL4-2027-04-DIGITAL-EMERGING-10",
    "CL5-2027-03-D5-05",
    "CL6-2026-04-GOVERNANCE-01",
    "INFRA-2024-EOSC-01-03",
    "JU-CBE-2026-IAFlag-02",
    "MISS-2027-05-SOIL-01-two-stage",
]
# The duplicate groups issue 11 names: the Horizon topics of the seed and the crawl, each
# tender as TED notice, TenderNed listing and seed record, the BMKB page in two versions.
GROUPS = [
    *[{f"eu-sedia-horizon-{t.lower()}", f"sedia:HORIZON-{t}"} for t in HORIZON],
    {"ted-2020-s149-365590", "ted:365590-2020", "tenderned:wur-dps-sequencing-2020"},
    {
        "ted-2021-s027-067028",
        "ted:67028-2021",
        "tenderned:54c78e8bb850db2546fcfd71b862b86a",
    },
    {"nl-bmkb", "nl-bmkb-startup-loan", "kvk:business.gov.nl/subsidy/bmkb"},
]
# Records that share a page or a scheme but are other instruments or other rounds.
APART = [
    {"nl-wbso", "nl-mia-vamil"},
    {"nl-rvo-innovatiekrediet", "nl-rvo-innovation-credit-2025"},
    {"nl-dutch-future-fund", "nl-dutch-future-fund-ii"},
    {"nl-li-lscf-lvff", "nl-li-seed-fonds-limburg"},
    {"rvo:english.rvo.nl/subsidies-financing/seed-capital/conditions", "nl-rvo-seed-capital"},
]


def public_of(session: Any, instrument_id: str) -> str:
    instrument = session.get(Instrument, instrument_id)
    return instrument.merged_into or instrument.id


@pytest.fixture
def resolved(catalog: Catalog) -> Catalog:
    """The seed corpus imported, then every source crawled from its recordings."""
    import_records(catalog, read_jsonl(SEED).records, changed_by="import:seed")
    runs = run_crawl(catalog, ["sedia", "ted", "tenderned", "rvo", "kvk"], offline=True)
    assert all(run.status == "ok" for run in runs)
    assert sum(run.merged for run in runs) >= 8 + 4 + 1
    return catalog


def test_import_and_crawl_give_one_public_record_per_instrument_and_staff_split_holds(
    resolved: Catalog,
) -> None:
    # One crawl per engine serves both halves: the crawl is the slow part (about 25 s).
    one_public_record_per_instrument(resolved)
    staff_split_stays_split_after_recrawls(resolved)


def one_public_record_per_instrument(resolved: Catalog) -> None:
    with resolved.session() as session:
        listed = {i.id for i in InstrumentStore(session).listed()}
        for group in GROUPS:
            publics = {public_of(session, i) for i in group}
            assert len(publics) == 1, group
            assert len(group & listed) == 1, group
            (canonical,) = publics
            # Every source stays, with its own history, linked to the public record.
            linked = {
                link.merged_id
                for link in session.scalars(
                    select(InstrumentLink).where(InstrumentLink.canonical_id == canonical)
                )
            }
            assert linked == group - {canonical}
            for merged in group - {canonical}:
                kinds = [v.change_kind for v in InstrumentStore(session).history(merged)]
                assert kinds[-1] == "merged"
        for pair in APART:
            assert len({public_of(session, i) for i in pair}) == 2, pair
        # The merges are in the audit log under the source that caused them.
        automatic = audit.entries(session, action="auto_merge", limit=None)
        assert {e.who for e in automatic} >= {"source:sedia", "source:tenderned", "import:seed"}
        # Other rounds of a scheme are linked, not merged.
        rounds = relations.scheme_relatives(session, "nl-rvo-innovatiekrediet")
        assert "nl-rvo-innovation-credit-2025" in {i.id for i in rounds}


def staff_split_stays_split_after_recrawls(resolved: Catalog) -> None:
    crawled, seed = (
        "sedia:HORIZON-CL2-2024-TRANSFORMATIONS-01-08",
        ("eu-sedia-horizon-cl2-2024-transformations-01-08"),
    )
    with resolved.session() as session:
        assert public_of(session, crawled) == seed
        with pytest.raises(CurationError) as error:
            split(session, crawled, CURATOR, "  ")
        assert error.value.field == "reason"
        assert split(session, crawled, CURATOR, "another call's topic") == seed
    with resolved.session() as session:
        store = InstrumentStore(session)
        assert {crawled, seed} <= {i.id for i in store.listed()}
        assert store.history(crawled)[-1].change_kind == "split"
        assert store.history(seed)[-1].change_kind == "split_off"
        [entry] = audit.entries(session, action="split")
        assert (entry.who, entry.target, entry.reason) == (CURATOR, seed, "another call's topic")
    # A recrawl that changes the topic, and a resolution of the whole catalog, keep it split.
    record = parse_record(
        {
            "id": crawled,
            "title": "Arts and cultural awareness and expression in education and training",
            "funder": "European Commission",
            "level": "eu",
            "instrument_type": "subsidy",
            "language": "en",
            "summary": "Changed by the source.",
            "url": "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/"
            "opportunities/topic-details/HORIZON-CL2-2024-TRANSFORMATIONS-01-08",
            "source": "sedia",
            "source_id": "HORIZON-CL2-2024-TRANSFORMATIONS-01-08",
        }
    )
    run = store_offline(resolved, "sedia", [record], complete=False)
    assert run.changed == 1 and run.merged == 0
    run_crawl(resolved, ["sedia"], offline=True)
    with resolved.session() as session:
        resolve(session, None, "resolve:test")
    with resolved.session() as session:
        assert public_of(session, crawled) == crawled and public_of(session, seed) == seed


def _tender(record_id: str, source: str, buyer: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": record_id,
        "title": "Onderhoud openbare verlichting",
        "funder": buyer,
        "level": "regional",
        "regions": ["Utrecht"],
        "instrument_type": "procurement",
        "language": "nl",
        "deadlines": ["2027-01-15"],
        "source": source,
        "extra": {"ted_publication_number": "123456-2026", **extra},
    }


def test_a_merge_across_funders_is_refused_and_queued(catalog: Catalog) -> None:
    rows = [
        _tender("ted:123456-2026", "ted", "Gemeente Utrecht", publication_number="123456-2026"),
        _tender("tenderned:abc", "tenderned", "Gemeente Amersfoort"),
    ]
    report = import_records(catalog, [parse_record(r) for r in rows])
    assert (report.merged, report.queued) == (0, 1)
    with catalog.session() as session:
        assert {i.id for i in InstrumentStore(session).listed()} == {r["id"] for r in rows}
        [hint] = relations.open_hints(session)
        assert hint.refused and hint.relation.refusal == relations.DIFFERENT_FUNDERS
        assert hint.relation.evidence == {"identifier": "ted:123456-2026"}
        # Staff merging without checking the funders get a clear refusal naming the field.
        with pytest.raises(CurationError) as error:
            merge(session, "ted:123456-2026", "tenderned:abc", CURATOR)
        assert error.value.field == "funder"
    with catalog.session() as session:
        merge(
            session, "ted:123456-2026", "tenderned:abc", CURATOR, "one tender", funders_checked=True
        )
    with catalog.session() as session:
        assert public_of(session, "tenderned:abc") == "ted:123456-2026"
        assert relations.open_hints(session) == []
        assert audit.entries(session, action="merge")[0].reason == "one tender"


def test_merges_chained_in_one_pass_bring_every_record_and_link_to_the_last(
    catalog: Catalog,
) -> None:
    """Entity resolution merges many pairs in one pass without reading or flushing between
    merges: a record merged before the pass (a into b) and merges chained within it (b into
    c, then c into d) all end at d, each with its one link, as merges one at a time would."""
    ids = ["tenderned:a", "tenderned:b", "tenderned:c", "tenderned:d"]
    buyers = ["Gemeente Utrecht", "Gemeente Zeist", "Gemeente Houten", "Gemeente Amersfoort"]
    import_records(
        catalog,
        [parse_record(_tender(i, "tenderned", b)) for i, b in zip(ids, buyers, strict=True)],
    )
    with catalog.session() as session:
        merge(session, ids[1], ids[0], CURATOR, funders_checked=True)
    with catalog.session() as session:
        batch = MergePass(session, {ids[1]})
        for canonical, merged in ((ids[2], ids[1]), (ids[3], ids[2])):
            merge(
                session,
                canonical,
                merged,
                "resolve:test",
                auto=True,
                batch=batch,
                funders_checked=True,
            )
    with catalog.session() as session:
        assert {i: public_of(session, i) for i in ids} == dict.fromkeys(ids, ids[3])
        links = {
            link.merged_id: link.canonical_id for link in session.scalars(select(InstrumentLink))
        }
        assert links == dict.fromkeys(ids[:3], ids[3])
        moved = {
            e.before["merged_id"]: e.after["moved"]
            for e in audit.entries(session, action="auto_merge")
        }
        assert moved == {ids[1]: [ids[0]], ids[2]: [ids[0], ids[1]]}


def test_a_withdrawn_public_record_hands_over_to_a_live_source(catalog: Catalog) -> None:
    rows = [
        _tender("ted:123456-2026", "ted", "Gemeente Utrecht", publication_number="123456-2026"),
        _tender("tenderned:abc", "tenderned", "Gemeente Utrecht"),
    ]
    import_records(catalog, [parse_record(rows[0])])
    import_records(catalog, [parse_record(rows[1])])
    with catalog.session() as session:
        assert public_of(session, "tenderned:abc") == "ted:123456-2026"
    # TED no longer lists the notice; TenderNed still does: the TenderNed record is public.
    run = store_offline(catalog, "ted", [])
    assert run.withdrawn == 1 and "tenderned:abc" in run.changed_ids
    with catalog.session() as session:
        assert {i.id for i in InstrumentStore(session).listed()} == {"tenderned:abc"}
        assert public_of(session, "ted:123456-2026") == "tenderned:abc"


def _register_scheme(title: str, department: str) -> dict[str, Any]:
    key = title.lower().replace(" ", "-")
    return {
        "id": f"subsidieregister-amsterdam:{key}",
        "title": title,
        "funder": "Gemeente Amsterdam",
        "level": "regional",
        "regions": ["Noord-Holland"],
        "instrument_type": "subsidy",
        "language": "nl",
        "source": "subsidieregister-amsterdam",
        "extra": {"register_scheme": key, "departments": [department]},
    }


def test_district_schemes_of_one_register_are_no_duplicate_hints(catalog: Catalog) -> None:
    # The Amsterdam register files one scheme name per city district; staff saw 122 hints
    # pairing "… SD Zuid" with "… SD Noord" and the rest, burying the real look-alikes.
    rows = [
        _register_scheme("Eenmalige Initiatieven SD Zuid", "stadsdeel Zuid"),
        _register_scheme("Eenmalige Initiatieven SD Noord", "stadsdeel Noord"),
        _register_scheme("Eenmalige Initiatieven Zuid", "stadsdeel Zuid"),
    ]
    import_records(catalog, [parse_record(r) for r in rows])
    with catalog.session() as session:
        pairs = {frozenset((h.left.id, h.right.id)) for h in relations.open_hints(session)}
    zuid, noord, zuid_again = (r["id"] for r in rows)
    # One district's look-alike still reaches staff; two districts never pair up.
    assert pairs == {frozenset((zuid, zuid_again))}
    assert frozenset((zuid, noord)) not in pairs
