"""The staff area over HTTP for duplicates: a refused merge waits in the queue, staff merge it
after checking the funders, then split it again; search follows each step."""

from __future__ import annotations

from flask import Flask

from tests.curation.conftest import CURATOR, csrf_from, login
from wijzer.catalog.curation import audit
from wijzer.catalog.exchange import import_records
from wijzer.catalog.repository import InstrumentStore
from wijzer.catalog.schema import parse_record
from wijzer.web import services


def tender(record_id: str, source: str, buyer: str) -> dict:
    return {
        "id": record_id,
        "title": "Onderhoud openbare verlichting",
        "funder": buyer,
        "level": "regional",
        "instrument_type": "procurement",
        "language": "nl",
        "source": source,
        "extra": {"ted_publication_number": "123456-2026"},
    }


def listed(app: Flask) -> set[str]:
    with services(app).catalog.session() as session:
        return {i.id for i in InstrumentStore(session).listed()}


def test_refused_merge_queued_merged_by_staff_then_split(staff_app: Flask) -> None:
    svc = services(staff_app)
    rows = [tender("ted:123456-2026", "ted", "Gemeente Utrecht")]
    rows.append(tender("tenderned:abc", "tenderned", "Gemeente Amersfoort"))
    report = import_records(svc.catalog, [parse_record(r) for r in rows])
    assert report.queued == 1
    client = staff_app.test_client()
    login(client, CURATOR)
    queue_page = client.get("/admin?lang=en").get_data(as_text=True)
    assert "1 duplicate hint waits for a decision" in queue_page
    page = client.get("/admin/duplicates?lang=en").get_data(as_text=True)
    assert "tenderned:abc" in page and "the records name different funders" in page
    # Why, in words: never the rule's code or its evidence as JSON.
    assert "Both carry the identifier ted:123456-2026." in page
    dutch = client.get("/admin/duplicates?lang=nl").get_data(as_text=True)
    assert "Beide dragen het kenmerk ted:123456-2026." in dutch
    for shown in (page, dutch):
        assert "same_identifier" not in shown and '"identifier"' not in shown
    token = csrf_from(page)
    form = {"csrf_token": token, "canonical_id": "ted:123456-2026", "merged_id": "tenderned:abc"}

    refused = client.post("/admin/merge?lang=en", data=form, follow_redirects=True)
    assert "different funders" in refused.get_data(as_text=True)
    assert {"ted:123456-2026", "tenderned:abc"} <= listed(staff_app)

    client.post("/admin/merge", data={**form, "funders_checked": "1", "reason": "één aanbesteding"})
    assert "tenderned:abc" not in listed(staff_app)
    assert svc.backend.get("tenderned:abc") is None
    assert "No duplicate hints wait" in client.get("/admin/duplicates?lang=en").get_data(
        as_text=True
    )

    canonical_page = client.get("/admin/instruments/ted:123456-2026?lang=en").get_data(as_text=True)
    assert "Split off: another instrument" in canonical_page and "tenderned:abc" in canonical_page
    client.post(
        "/admin/instruments/tenderned:abc/split",
        data={"csrf_token": token, "reason": "twee percelen"},
    )
    assert {"ted:123456-2026", "tenderned:abc"} <= listed(staff_app)
    assert svc.backend.get("tenderned:abc") is not None
    with svc.catalog.session() as session:
        actions = [e.action for e in audit.entries(session, who=CURATOR)]
    assert actions[:2] == ["split", "merge"]
