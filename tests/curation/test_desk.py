"""The curation desk: the queue paged and filtered, diffs in words, bulk decisions, pickers,
the audit log as sentences; an unchanged recrawl queues nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from html import escape
from typing import Any

from flask import Flask

from tests.curation.conftest import CURATOR, crawled, csrf_from, login, seed_rows
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.review import QueueFilter, approve, queue_page
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import utcnow
from wijzer.catalog.repository import InstrumentStore
from wijzer.web import services

HTML = "provincie-html"


def _pending(catalog: Catalog, rows: list[dict[str, Any]], count: int) -> list[str]:
    """`count` new listings of a source that waits for review (copies of seed rows)."""
    ids = []
    with catalog.session() as session:
        store = source_store(session)
        for n in range(count):
            row = {**rows[n % len(rows)], "id": f"desk-{n:03d}", "title": f"Regeling {n:03d}"}
            store.upsert(crawled(row, HTML), f"source:{HTML}", review_state="pending")
            ids.append(row["id"])
    return ids


def test_queue_pages_and_filters_by_source_kind_and_age(catalog: Catalog) -> None:
    rows = seed_rows(8)
    new = _pending(catalog, rows, 25)
    changed = {**rows[0], "id": "desk-changed"}
    with catalog.session() as session:
        store = source_store(session)
        store.upsert(crawled(changed, "rvo-html"), "source:rvo-html", review_state="published")
        store.upsert(crawled(changed, "rvo-html", amount_max=99000), "source:rvo-html")

    with catalog.session() as session:
        everything = queue_page(session, per_page=10)
        assert (everything.total, everything.pages, len(everything.items)) == (26, 3, 10)
        last = queue_page(session, page=9, per_page=10)  # past the end: the last page
        assert (last.page, len(last.items)) == (3, 6)
        assert everything.sources == ["provincie-html", "rvo-html"]
        seen = [
            i.instrument.id
            for p in (1, 2, 3)
            for i in queue_page(session, page=p, per_page=10).items
        ]
        assert sorted(seen) == sorted([*new, "desk-changed"])

        only_changes = queue_page(session, QueueFilter(kind="changed"))
        assert [i.instrument.id for i in only_changes.items] == ["desk-changed"]
        assert only_changes.items[0].diff["amount_max"][1] == 99000
        by_source = queue_page(session, QueueFilter(source="rvo-html"))
        assert [i.instrument.id for i in by_source.items] == ["desk-changed"]
        assert queue_page(session, QueueFilter(kind="new")).total == 25
        assert queue_page(session, QueueFilter(age="day")).total == 26
        in_a_week = utcnow() + dt.timedelta(days=8)
        assert queue_page(session, QueueFilter(age="day"), now=in_a_week).total == 0
        assert queue_page(session, QueueFilter(age="month"), now=in_a_week).total == 26


def test_an_unchanged_recrawl_brings_nothing_back_into_the_queue(catalog: Catalog) -> None:
    rows = seed_rows(4)
    with catalog.session() as session:
        store = source_store(session)
        for row in rows:
            store.upsert(crawled(row, HTML), f"source:{HTML}", review_state="pending")
    with catalog.session() as session:
        for row in rows:
            approve(session, row["id"], CURATOR)
        assert queue_page(session).total == 0
    # The same pages crawled again, twice: nothing waits.
    for _ in range(2):
        with catalog.session() as session:
            store = source_store(session)
            kinds = {store.upsert(crawled(row, HTML), f"source:{HTML}").kind for row in rows}
            assert kinds == {"unchanged"}
        with catalog.session() as session:
            assert queue_page(session).total == 0
    # A real change does come back, as a change.
    with catalog.session() as session:
        source_store(session).upsert(
            crawled(rows[0], HTML, summary="Een nieuwe samenvatting."), f"source:{HTML}"
        )
    with catalog.session() as session:
        page = queue_page(session)
        assert [i.instrument.id for i in page.items] == [rows[0]["id"]]
        assert [f.kind for f in page.items[0].flags] == ["changed"]


def _flag_a_change(app: Flask, row: dict[str, Any], **changes: Any) -> None:
    with services(app).catalog.session() as session:
        store = source_store(session)
        store.upsert(crawled(row, HTML), f"source:{HTML}", review_state="published")
        store.upsert(crawled(row, HTML, **changes), f"source:{HTML}")


def test_queue_page_shows_diffs_in_words_and_filters(staff_app: Flask) -> None:
    rows = seed_rows()
    client = staff_app.test_client()
    login(client, CURATOR)
    with services(staff_app).catalog.session() as session:
        store = source_store(session)
        row = {**rows[0], "id": "desk-words", "title": "Regeling met woorden"}
        store.upsert(crawled(row, HTML), f"source:{HTML}", review_state="published")
        store.upsert(
            crawled(row, HTML, amount_max=10_000_000, sizes=["micro"], deadlines=["2027-03-15"]),
            f"source:{HTML}",
        )
    for lang, words in (
        ("en", ("Maximum amount", "€10,000,000", "15 March 2027", "Micro (<10 staff)")),
        ("nl", ("Maximumbedrag", "€\xa010.000.000", "15 maart 2027", "Micro (<10 fte)")),
    ):
        page = client.get(f"/admin?kind=changed&lang={lang}").get_data(as_text=True)
        assert 'data-id="desk-words"' in page
        assert rows[4]["id"] not in page  # a new listing, not a change
        for word in words:
            assert escape(word, quote=False) in page, (lang, word)
        for raw in ("10000000.0", "['micro']", "2027-03-15<", "amount_max<", "pending"):
            assert raw not in page, (lang, raw)
    only_new = client.get("/admin?kind=new&source=provincie-html").get_data(as_text=True)
    assert rows[4]["id"] in only_new and 'data-id="desk-words"' not in only_new


def test_bulk_approve_and_reject_in_one_go_with_csrf(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    pending = [r["id"] for r in seed_rows()[4:6]]
    queue_html = client.get("/admin").get_data(as_text=True)
    token = csrf_from(queue_html)
    forged = client.post(
        "/admin/queue/decide", data={"id": pending, "decision": "approve", "csrf_token": "x"}
    )
    assert forged.status_code == 400
    no_reason = client.post(
        "/admin/queue/decide",
        data={"id": pending, "decision": "reject", "csrf_token": token},
        follow_redirects=True,
    )
    assert "reason" in no_reason.get_data(as_text=True)
    svc = services(staff_app)
    with svc.catalog.session() as session:
        store = InstrumentStore(session)
        assert {store.get(i).review_state for i in pending} == {"pending"}  # type: ignore[union-attr]
    done = client.post(
        "/admin/queue/decide",
        data={"id": pending, "decision": "approve", "csrf_token": token, "back": "/admin"},
        follow_redirects=True,
    )
    assert "2 regeling(en) gepubliceerd." in done.get_data(as_text=True)
    with svc.catalog.session() as session:
        store = InstrumentStore(session)
        assert {store.get(i).review_state for i in pending} == {"published"}  # type: ignore[union-attr]
    for instrument_id in pending:
        assert svc.backend.get(instrument_id) is not None
    assert "Er wacht niets op beoordeling." in client.get("/admin").get_data(as_text=True)


def test_pickers_save_codes_and_dates_and_the_audit_log_says_it(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    row = seed_rows()[0]
    target, title = row["id"], row["title"]
    form = client.get(f"/admin/instruments/{target}?lang=en").get_data(as_text=True)
    assert 'type="date" name="deadlines"' in form and 'type="date" id="f-opens_at"' in form
    assert 'type="checkbox" name="themes" value="digitalisering"' in form
    assert '<option value="loan"' in form and "Digitalisation" in form
    saved = client.post(
        f"/admin/instruments/{target}",
        data={
            "csrf_token": csrf_from(form),
            "themes": ["", "digitalisering", "innovatie"],
            "deadlines": ["", "2027-03-15", ""],
            "reason": "checked with the funder",
        },
    )
    assert saved.status_code == 302
    with services(staff_app).catalog.session() as session:
        instrument = InstrumentStore(session).get(target)
        assert instrument is not None
        assert instrument.themes == ["digitalisering", "innovatie"]
        assert instrument.deadlines == ["2027-03-15"]
    log = client.get("/admin/audit?lang=en").get_data(as_text=True)
    today = dt.date.today()
    day = f"{today.day} {today.strftime('%b')} {today.year}"
    assert f"{CURATOR} changed the deadlines of {escape(title)} on {day}" in log
    assert "→ 15 March 2027" in log
    assert "Digitalisation and Innovation &amp; R&amp;D" in log
    assert '{"' not in log and "staff:" not in log
    export = client.get("/admin/audit.csv?action=edit&lang=en").get_data(as_text=True)
    [first, *_] = list(csv.DictReader(io.StringIO(export)))
    assert first["description"].startswith(f"{CURATOR} changed the")
    assert "15 March 2027" in export


def test_approving_a_change_reads_as_a_sentence(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    row = {
        **seed_rows()[0],
        "id": "desk-deadline",
        "title": "Regeling X",
        "deadlines": ["2027-03-01"],
    }
    _flag_a_change(staff_app, row, deadlines=["2027-03-15"])
    token = csrf_from(client.get("/admin").get_data(as_text=True))
    client.post(
        "/admin/instruments/desk-deadline/approve", data={"csrf_token": token, "back": "/admin"}
    )
    log = client.get("/admin/audit?action=approve&lang=en").get_data(as_text=True)
    assert (
        f"{CURATOR} approved the change to the deadlines of Regeling X on" in log
        and "1 March 2027 → 15 March 2027" in log
    )
    nl = client.get("/admin/audit?action=approve&lang=nl").get_data(as_text=True)
    assert "1 maart 2027 → 15 maart 2027" in nl and "approved" not in nl
