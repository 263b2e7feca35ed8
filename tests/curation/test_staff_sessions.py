"""Staff sessions end for real: logout, a password change and a restart leave a saved cookie
worthless; logins back off per account and address without telling who has an account."""

from __future__ import annotations

import re
from typing import Any

from click.testing import CliRunner
from flask import Flask
from flask.testing import FlaskClient

from tests.curation.conftest import ADMIN, CURATOR, PASSWORD, csrf_from, login
from wijzer.catalog.repository import InstrumentStore
from wijzer.cli import main
from wijzer.web import create_app, services

NEW_PASSWORD = "Nieuw-wachtwoord-2027"


def pending_ids(app: Flask) -> list[str]:
    with services(app).catalog.session() as session:
        return [i.id for i in InstrumentStore(session).all() if i.review_state == "pending"]


def review_state(app: Flask, instrument_id: str) -> str:
    with services(app).catalog.session() as session:
        instrument = InstrumentStore(session).get(instrument_id)
        assert instrument is not None
        return instrument.review_state


def replay(app: Flask, cookie: str) -> FlaskClient:
    """A fresh browser that only has a copy of someone's session cookie."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client


def saved_session(client: FlaskClient) -> tuple[str, str]:
    """The session cookie and a CSRF token of its forms, as an attacker would keep them."""
    token = csrf_from(client.get("/admin").get_data(as_text=True))
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value, token


def assert_session_dead(app: Flask, cookie: str, csrf_token: str) -> None:
    target = pending_ids(app)[0]
    stolen = replay(app, cookie)
    page = stolen.get("/admin")
    assert page.status_code == 302 and page.headers["Location"].startswith("/admin/login")
    approve = stolen.post(f"/admin/instruments/{target}/approve", data={"csrf_token": csrf_token})
    assert approve.status_code == 302
    assert approve.headers["Location"].startswith("/admin/login")
    assert review_state(app, target) == "pending"


def test_a_saved_cookie_is_worthless_after_logout_also_after_a_restart(
    staff_app: Flask,
) -> None:
    client = staff_app.test_client()
    assert login(client, CURATOR).status_code == 302
    cookie, token = saved_session(client)
    # While the session lives, the copy works (so the checks below can fail).
    assert replay(staff_app, cookie).get("/admin").status_code == 200
    out = client.post("/admin/logout", data={"csrf_token": token})
    assert out.status_code == 302
    assert_session_dead(staff_app, cookie, token)
    # A restarted server (a new app on the same catalog and secret) does not revive it.
    restarted = create_app({"SETTINGS": services(staff_app).settings, "TESTING": True})
    try:
        assert_session_dead(restarted, cookie, token)
    finally:
        services(restarted).close()


def test_a_password_change_ends_every_other_session(staff_app: Flask) -> None:
    laptop, phone = staff_app.test_client(), staff_app.test_client()
    login(laptop, CURATOR)
    login(phone, CURATOR)
    cookie, token = saved_session(phone)
    form = laptop.get("/admin/password").get_data(as_text=True)
    changed = laptop.post(
        "/admin/password",
        data={
            "csrf_token": csrf_from(form),
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert changed.status_code == 302
    # The browser that changed it stays logged in; the other one is out.
    assert laptop.get("/admin").status_code == 200
    assert_session_dead(staff_app, cookie, token)
    assert login(staff_app.test_client(), CURATOR, NEW_PASSWORD).status_code == 302
    assert login(staff_app.test_client(), CURATOR, PASSWORD).status_code == 401


def test_a_wrong_current_password_changes_nothing(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    form = client.get("/admin/password").get_data(as_text=True)
    refused = client.post(
        "/admin/password",
        data={
            "csrf_token": csrf_from(form),
            "current_password": "geraden-wachtwoord",
            "new_password": NEW_PASSWORD,
            "new_password_again": NEW_PASSWORD,
        },
    )
    assert refused.status_code == 400
    assert login(staff_app.test_client(), CURATOR).status_code == 302


def test_an_admin_reset_from_the_command_line_ends_the_sessions(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, ADMIN)
    cookie, token = saved_session(client)
    settings = services(staff_app).settings
    result = CliRunner().invoke(
        main,
        ["--data-dir", str(settings.data_dir), "users", "set-password", ADMIN, "--password-stdin"],
        input=NEW_PASSWORD + "\n",
        env={"WIJZER_SECRET_KEY": "test-secret"},
    )
    assert result.exit_code == 0, result.output
    assert_session_dead(staff_app, cookie, token)


def test_approve_never_redirects_off_site(staff_app: Flask) -> None:
    client = staff_app.test_client()
    login(client, CURATOR)
    token = csrf_from(client.get("/admin").get_data(as_text=True))
    first, second = pending_ids(staff_app)
    for target, back in ((first, "https://evil.example/phish"), (second, "//evil.example/x")):
        response = client.post(
            f"/admin/instruments/{target}/approve", data={"csrf_token": token, "back": back}
        )
        assert response.status_code == 302
        assert response.headers["Location"] == "/admin/", back
    kept = client.post(
        "/admin/instruments/x/reject",
        data={"csrf_token": token, "back": "/admin/audit?who=me", "reason": "r"},
    )
    assert kept.headers["Location"] == "/admin/audit?who=me"


def _attempts(client: FlaskClient, email: str, count: int) -> list[Any]:
    token = csrf_from(client.get("/admin/login?lang=en").get_data(as_text=True))
    return [
        client.post(
            "/admin/login?lang=en",
            data={"email": email, "password": "niet-het-wachtwoord", "csrf_token": token},
        )
        for _ in range(count)
    ]


def _message(response: Any) -> str:
    """The flash message, with the seconds left out (the two runs are a moment apart)."""
    text = response.get_data(as_text=True)
    start = text.index('class="flash')
    return re.sub(r"\d+", "N", text[start : text.index("</p>", start)])


def test_the_login_backoff_does_not_tell_staff_accounts_apart(staff_app: Flask) -> None:
    staff = _attempts(staff_app.test_client(), CURATOR, 4)
    nobody = _attempts(staff_app.test_client(), "nobody@wijzer.test", 4)
    assert [r.status_code for r in staff] == [401, 401, 401, 429]
    assert [r.status_code for r in nobody] == [401, 401, 401, 429]
    assert _message(staff[-1]) == _message(nobody[-1])
    assert "wait" in _message(staff[-1]) and "locked" not in _message(staff[-1])
    for response in (staff[-1], nobody[-1]):
        assert 1 <= int(response.headers["Retry-After"]) <= 5
    # The owner, at another address, logs in at once: nobody can lock a colleague out.
    owner = staff_app.test_client()
    owner.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    assert login(owner, CURATOR).status_code == 302
