"""Subscriptions end to end in-process: opt-in, digests, exclusions, unsubscribe, forget."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from tests.alerts.conftest import (
    SmtpServer,
    import_records,
    link,
    new_record,
    post_form,
    seed_lines,
    text_of,
)
from wijzer.alerts import subscriptions as subs
from wijzer.app.services import Services
from wijzer.catalog.alerts_models import (
    AlertOutbox,
    SavedInstrument,
    Subscription,
    SubscriptionExclusion,
)
from wijzer.cli import main

DUTCH_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
DUTCH_MONTHS += ["september", "oktober", "november", "december"]
WATER = new_record(
    "nl-ut-waterinnovatie-2099",
    "Subsidie waterinnovatie Utrecht",
    "Subsidie voor mkb-bedrijven die innovatieve sensoren voor waterkwaliteit ontwikkelen:"
    " schoon water in de stad.",
)
ENERGY = new_record(
    "nl-ut-energie-2099",
    "Subsidie energiebesparing Utrecht",
    "Subsidie voor ondernemers die hun bedrijfspand verduurzamen.",
)


def run(runner: CliRunner, *args: str) -> tuple[int, str]:
    result = runner.invoke(main, list(args))
    return result.exit_code, result.output


def subscribe_on_site(app, smtp: SmtpServer, email: str, **form: str):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert "E-mailattenderingen" in client.get("/alerts/subscribe").text  # Dutch by default
    assert "Email alerts" in client.get("/alerts/subscribe?lang=en").text
    page = post_form(
        client,
        "/alerts/subscribe",
        {"email": email, "frequency": "immediate", "language": "en", **form},
    )
    assert page.status_code == 200, page.text
    (confirmation,) = smtp.inbox.to(email)
    return client, confirmation


def test_subscribe_confirm_then_exactly_one_digest_with_the_new_instrument(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    import_records(services.catalog, seed_lines(30))
    client, confirmation = subscribe_on_site(
        app, smtp, "founder@example.org", q="waterkwaliteit", region="Utrecht"
    )
    assert confirmation["Subject"] == "Confirm your Wijzer alert"
    confirm_path = link(confirmation, "/alerts/confirm/")
    assert "Confirm my alert" in client.get(confirm_path).text  # a button, not an action
    assert "Alert confirmed" in post_form(client, confirm_path).text

    import_records(services.catalog, [WATER, ENERGY])
    code, output = run(runner, "alerts", "run", "--now")
    assert code == 0, output
    digests = smtp.inbox.to("founder@example.org")[1:]
    assert len(digests) == 1
    body = text_of(digests[0])
    assert "Subsidie waterinnovatie Utrecht" in body
    assert "energiebesparing" not in body
    assert "http://wijzer.test/instruments/nl-ut-waterinnovatie-2099" in body
    assert "“waterkwaliteit”" in body  # the reason: the saved search words
    assert digests[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/alerts/unsubscribe/" in digests[0]["List-Unsubscribe"]
    assert "mailto:" in digests[0]["List-Unsubscribe"]
    # Mail clients read the header as sent: plain angle-bracketed URLs, never RFC 2047 words.
    assert any(b"\r\nList-Unsubscribe: <http" in raw for raw in smtp.inbox.raw)
    html = digests[0].get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<img" not in html  # no tracking pixels, no external images

    code, output = run(runner, "alerts", "run", "--now")
    assert code == 0, output
    assert len(smtp.inbox.to("founder@example.org")) == 2  # the second run sent nothing


def test_unconfirmed_subscription_gets_no_digest(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    subscribe_on_site(app, smtp, "later@example.org", q="waterkwaliteit")
    import_records(services.catalog, [WATER])
    assert run(runner, "alerts", "run", "--now")[0] == 0
    assert len(smtp.inbox.to("later@example.org")) == 1  # the confirmation only


def test_not_relevant_removes_an_instrument_from_the_next_digest(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    code, output = run(
        runner,
        "alerts",
        "subscribe",
        "ops@example.org",
        "--query",
        "subsidie",
        "--region",
        "Utrecht",
        "--frequency",
        "immediate",
        "--language",
        "nl",
        "--confirmed",
    )
    assert code == 0, output
    assert smtp.inbox.to("ops@example.org") == []  # staff-created: no opt-in mail
    import_records(services.catalog, [WATER])
    run(runner, "alerts", "run")
    (first,) = smtp.inbox.to("ops@example.org")
    body = text_of(first)
    assert "Waarom:" in body  # Dutch, as chosen
    # Dates and reasons worded for a Dutch reader, in both parts of the mail.
    assert "Sluitingsdatum: 30 juni 2099" in body and "2099-06-30" not in body
    assert "Waarom: past bij uw zoekopdracht “subsidie”; provincie: Utrecht" in body
    html = first.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Sluitingsdatum: 30 juni 2099" in html
    client = app.test_client()
    path = link(first, "/alerts/not-relevant/")
    # The link opens the page in the subscriber's language.
    assert path.endswith("/nl-ut-waterinnovatie-2099?lang=nl")
    assert client.get(path).status_code == 200
    assert post_form(client, path).status_code == 200

    # The excluded instrument changes and a new one arrives: only the new one is sent.
    import_records(services.catalog, [{**WATER, "deadlines": ["2099-12-31"]}, ENERGY])
    run(runner, "alerts", "run")
    second = smtp.inbox.to("ops@example.org")[1]
    assert "energiebesparing" in text_of(second)
    assert "waterinnovatie" not in text_of(second)


def test_unsubscribe_works_without_login_by_link_and_one_click_post(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    for address in ("a@example.org", "b@example.org"):
        run(
            runner,
            "alerts",
            "subscribe",
            address,
            "--query",
            "water",
            "--frequency",
            "immediate",
            "--language",
            "en",
            "--confirmed",
        )
    import_records(services.catalog, [WATER])
    run(runner, "alerts", "run")
    client = app.test_client()
    (mail_a,) = smtp.inbox.to("a@example.org")
    page = client.get(link(mail_a, "/alerts/unsubscribe/"))
    assert page.status_code == 200 and "a@example.org" in page.text
    assert post_form(client, link(mail_a, "/alerts/unsubscribe/")).status_code == 200

    # RFC 8058: the mail client POSTs to the List-Unsubscribe URL, no cookies, no CSRF token.
    (mail_b,) = smtp.inbox.to("b@example.org")
    url = mail_b["List-Unsubscribe"].split(">")[0].lstrip("<").removeprefix("http://wijzer.test")
    response = app.test_client().post(url, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200

    with services.catalog.session() as session:
        assert session.scalar(select(func.count()).select_from(Subscription)) == 0
    assert client.get(link(mail_a, "/alerts/manage/")).status_code == 404
    import_records(services.catalog, [ENERGY])
    run(runner, "alerts", "run")
    assert len(smtp.inbox.messages) == 2


def test_manage_page_pauses_and_changes_language(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    run(
        runner,
        "alerts",
        "subscribe",
        "m@example.org",
        "--query",
        "water",
        "--frequency",
        "immediate",
        "--language",
        "nl",
        "--confirmed",
    )
    import_records(services.catalog, [WATER])
    run(runner, "alerts", "run")
    manage = link(smtp.inbox.to("m@example.org")[0], "/alerts/manage/")
    client = app.test_client()
    assert post_form(client, manage, {"status": "paused"}).status_code == 200
    import_records(services.catalog, [{**WATER, "id": "nl-ut-water-2", "title": "Water twee"}])
    run(runner, "alerts", "run")
    assert len(smtp.inbox.to("m@example.org")) == 1  # paused: nothing
    page = post_form(client, manage, {"status": "active", "language": "en"})
    assert page.status_code == 200
    bad = post_form(client, manage, {"frequency": "hourly"})
    assert bad.status_code == 400 and "frequency" in bad.text
    import_records(services.catalog, [{**WATER, "id": "nl-ut-water-3", "title": "Water drie"}])
    run(runner, "alerts", "run")
    last = smtp.inbox.to("m@example.org")[-1]
    assert "Water drie" in text_of(last) and "Why:" in text_of(last)
    assert "Deadline: 30 June 2099" in text_of(last)  # now English, as changed
    assert "matches your search “water”" in text_of(last)


def test_smtp_down_then_back_delivers_each_digest_exactly_once(
    services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    for address in ("x@example.org", "y@example.org"):
        run(
            runner,
            "alerts",
            "subscribe",
            address,
            "--query",
            "water",
            "--frequency",
            "daily",
            "--confirmed",
        )
    import_records(services.catalog, [WATER])
    smtp.stop()
    code, output = run(runner, "alerts", "run", "--now")
    assert code == 1 and "retried" in output
    smtp.start()
    assert run(runner, "alerts", "run", "--now")[0] == 0
    assert run(runner, "alerts", "run", "--now")[0] == 0
    assert sorted(m["To"] for m in smtp.inbox.messages) == ["x@example.org", "y@example.org"]
    with services.catalog.session() as session:
        rows = list(session.scalars(select(AlertOutbox)))
    assert [r.state for r in rows] == ["sent", "sent"]
    assert all(r.attempts == 2 for r in rows)


def test_profile_subscription_is_matched_with_the_encoder(
    services: Services, smtp: SmtpServer, runner: CliRunner, tmp_path: Path
) -> None:
    profile = tmp_path / "profile.json"
    profile.write_text(
        json.dumps(
            {
                "description": "Wij zijn een startup uit Utrecht die sensoren ontwikkelt om de "
                "waterkwaliteit in stedelijk oppervlaktewater te meten.",
                "region": "Utrecht",
                "language": "nl",
            }
        )
    )
    code, output = run(
        runner,
        "alerts",
        "subscribe",
        "p@example.org",
        "--profile",
        str(profile),
        "--frequency",
        "weekly",
        "--language",
        "en",
        "--confirmed",
    )
    assert code == 0, output
    unrelated = new_record(
        "eu-space-2099",
        "Space launcher prize",
        "Prize for companies building reusable orbital rocket engines.",
        level="eu",
        regions=[],
        language="en",
        funder="EU",
    )
    import_records(services.catalog, [WATER, unrelated])
    assert run(runner, "alerts", "run", "--now")[0] == 0
    (digest,) = smtp.inbox.to("p@example.org")
    body = text_of(digest)
    assert "Subsidie waterinnovatie Utrecht" in body
    assert "Space launcher" not in body
    assert "close to your company description" in body


def test_closing_soon_reminder_for_a_saved_instrument_goes_out_once(
    services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    day = dt.date.today() + dt.timedelta(days=10)
    soon = day.isoformat()
    import_records(services.catalog, [{**WATER, "deadlines": [soon]}])
    run(
        runner,
        "alerts",
        "subscribe",
        "s@example.org",
        "--query",
        "nothing-matches-this",
        "--frequency",
        "weekly",
        "--confirmed",
    )
    with services.catalog.session() as session:
        subscription = session.scalars(select(Subscription)).one()
        assert subs.save_instrument(session, subscription, WATER["id"])
    run(runner, "alerts", "run")
    run(runner, "alerts", "run")
    (reminder,) = smtp.inbox.to("s@example.org")
    assert "Subsidie waterinnovatie Utrecht" in text_of(reminder)
    # The subscriber's language (Dutch by default) writes the date: "17 december 2026".
    assert f"Sluitingsdatum: {day.day} {DUTCH_MONTHS[day.month - 1]} {day.year}" in (
        text_of(reminder)
    )


def test_forget_deletes_everything_about_an_address(
    app, services: Services, smtp: SmtpServer, runner: CliRunner
) -> None:
    import_records(services.catalog, [WATER])
    for frequency in ("immediate", "weekly"):
        run(
            runner,
            "alerts",
            "subscribe",
            "gone@example.org",
            "--query",
            "subsidie",
            "--frequency",
            frequency,
            "--confirmed",
        )
    run(
        runner,
        "alerts",
        "subscribe",
        "kept@example.org",
        "--query",
        "subsidie",
        "--frequency",
        "immediate",
        "--confirmed",
    )
    with services.catalog.session() as session:
        for subscription in session.scalars(select(Subscription)):
            subs.exclude(session, subscription, WATER["id"])
            subs.save_instrument(session, subscription, WATER["id"])
    import_records(services.catalog, [ENERGY])
    run(runner, "alerts", "run", "--now")
    code, output = run(runner, "alerts", "forget", "GONE@example.org")
    assert code == 0 and "2 subscription" in output  # address case does not hide data
    code, output = run(runner, "alerts", "forget", "gone@example.org")
    assert code == 0 and "0 subscription" in output
    code, output = run(runner, "alerts", "list", "--format", "json")
    listed = json.loads(output)
    assert [s["email"] for s in listed] == ["kept@example.org"]
    with services.catalog.session() as session:
        for model in (Subscription, SubscriptionExclusion, SavedInstrument, AlertOutbox):
            ids = session.scalars(select(model.id)).all()
            assert len(ids) == 1, model.__tablename__


def test_bad_input_names_the_field_and_stores_nothing(
    services: Services, runner: CliRunner
) -> None:
    cases = [
        (["not-an-email", "--query", "water"], "email"),
        (["a@example.org", "--query", "water", "--region", "Atlantis"], "region"),
        (["a@example.org"], "--profile"),
    ]
    for args, named in cases:
        code, output = run(runner, "alerts", "subscribe", *args, "--frequency", "daily")
        assert code == 2, output
        assert named in output
    code, output = run(runner, "alerts", "list", "--format", "json")
    assert json.loads(output) == []


def test_forged_or_expired_links_are_refused_clearly(
    app, services: Services, smtp: SmtpServer
) -> None:
    from freezegun import freeze_time

    client, confirmation = subscribe_on_site(app, smtp, "t@example.org", q="water")
    path = link(confirmation, "/alerts/confirm/")
    token, language = path.split("?")
    forged = post_form(client, f"{token[:-3]}abc?{language}")
    assert forged.status_code == 400 and "not valid" in forged.text
    with freeze_time(dt.datetime.now() + dt.timedelta(days=8)):
        expired = post_form(client, path)
    assert expired.status_code == 400 and "expired" in expired.text
    with services.catalog.session() as session:
        assert session.scalars(select(Subscription)).one().status == "pending"
