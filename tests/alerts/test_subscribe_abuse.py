"""Nobody can make the site mail someone: CSRF on the subscribe form, limits per address and
per recipient, and a confirmation mail that carries none of the sender's text."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.alerts.conftest import SmtpServer, form_token, text_of
from wijzer.app.services import Services
from wijzer.catalog.alerts_models import AlertOutbox

ATTACKER_TEXT = "URGENT: your account is blocked, call +31 20 555 0100 or visit evil.example"


def subscribe(client: FlaskClient, email: str, token: str | None, **form: str) -> Any:
    data = {"email": email, "q": "water", "frequency": "weekly", "language": "nl", **form}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/alerts/subscribe", data=data)


def outbox_rows(services: Services) -> int:
    with services.catalog.session() as session:
        return session.scalar(select(func.count()).select_from(AlertOutbox)) or 0


def from_address(app: Flask, address: str) -> FlaskClient:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_cross_site_post_sends_nothing(app: Flask, services: Services, smtp: SmtpServer) -> None:
    # A form on another site posts straight here: no CSRF token (and no session with one).
    forged = subscribe(app.test_client(), "victim@example.org", None)
    assert forged.status_code == 400 and "Dit formulier is verlopen" in forged.text
    wrong = subscribe(app.test_client(), "victim@example.org", "forged-token")
    assert wrong.status_code == 400
    assert smtp.inbox.messages == [] and outbox_rows(services) == 0


def test_the_confirmation_mail_carries_none_of_the_senders_text(
    app: Flask, smtp: SmtpServer
) -> None:
    client = app.test_client()
    page = subscribe(client, "victim@example.org", form_token(client), q=ATTACKER_TEXT)
    assert page.status_code == 200
    (mail,) = smtp.inbox.to("victim@example.org")
    everything = text_of(mail) + str(mail.get_body(("html",)).get_content())  # type: ignore[union-attr]
    for piece in ("URGENT", "555 0100", "evil.example", "blocked"):
        assert piece not in everything and piece not in mail["Subject"]
    assert "/alerts/confirm/" in everything


def test_one_inbox_gets_at_most_three_confirmations_a_day(
    app: Flask, services: Services, smtp: SmtpServer
) -> None:
    # Each attempt from another address: only the per-recipient limit can stop them.
    statuses = []
    for number in range(4):
        client = from_address(app, f"203.0.113.{number + 1}")
        statuses.append(subscribe(client, "Victim@Example.org", form_token(client)).status_code)
    assert statuses == [200, 200, 200, 429]
    assert len(smtp.inbox.to("Victim@example.org")) == 3
    assert outbox_rows(services) == 3
    # Another recipient is not affected.
    client = from_address(app, "203.0.113.9")
    assert subscribe(client, "other@example.org", form_token(client)).status_code == 200


def test_one_address_may_subscribe_ten_times_an_hour(app: Flask, smtp: SmtpServer) -> None:
    client = from_address(app, "203.0.113.50")
    token = form_token(client)
    statuses = [subscribe(client, f"person{n}@example.org", token).status_code for n in range(11)]
    assert statuses == [200] * 10 + [429]
    limited = subscribe(client, "late@example.org", token)
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) > 0
    assert len(smtp.inbox.messages) == 10


def test_token_links_still_need_the_form_token_but_one_click_does_not(
    app: Flask, services: Services, smtp: SmtpServer
) -> None:
    client = app.test_client()
    subscribe(client, "me@example.org", form_token(client))
    (mail,) = smtp.inbox.to("me@example.org")
    confirm = next(w for w in text_of(mail).split() if "/alerts/confirm/" in w)
    path = confirm.split("http://wijzer.test", 1)[1]
    assert client.post(path).status_code == 400  # no form token: nothing happens
    assert client.post(path, data={"csrf_token": form_token(client, path)}).status_code == 200
