"""The subscribe form: "Any" is a choice for every filter, a profile can be saved, and what
is wrong is said in the page's language."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from tests.alerts.conftest import SmtpServer, form_token, text_of
from wijzer.app.services import Services
from wijzer.catalog.alerts_models import Subscription

ALL_ANY = {"level": "", "region": "", "instrument_type": "", "theme": ""}


def post(client: Any, lang: str, **form: str | list[str]) -> Any:
    client.get(f"/alerts/subscribe?lang={lang}")  # the page language is remembered
    data = {"frequency": "weekly", "language": lang, **form, "csrf_token": form_token(client)}
    return client.post("/alerts/subscribe", data=data)


def stored(services: Services) -> list[Subscription]:
    with services.catalog.session() as session:
        return list(session.scalars(select(Subscription)))


def test_every_filter_left_on_any_is_a_search_for_the_words(
    app: Flask, services: Services, smtp: SmtpServer
) -> None:
    page = post(app.test_client(), "nl", email="a@example.org", q="waterstof", **ALL_ANY)
    assert page.status_code == 200 and "Kijk in uw inbox" in page.text
    (subscription,) = stored(services)
    assert subscription.spec == {"q": "waterstof"}
    (mail,) = smtp.inbox.to("a@example.org")
    assert "/alerts/confirm/" in text_of(mail)


def test_one_filter_and_the_rest_on_any(app: Flask, services: Services, smtp: SmtpServer) -> None:
    page = post(
        app.test_client(), "en", email="b@example.org", q="", **{**ALL_ANY, "region": "Utrecht"}
    )
    assert page.status_code == 200, page.text
    assert stored(services)[0].spec == {"q": "", "region": ["Utrecht"]}


@pytest.mark.parametrize(
    ("lang", "form", "said", "not_said"),
    [
        (
            "nl",
            {"email": "c@example.org", "q": "", **ALL_ANY},
            "Geef zoekwoorden op",
            "give search",
        ),
        ("en", {"email": "c@example.org", "q": "", **ALL_ANY}, "Give search words", "zoekwoorden"),
        (
            "nl",
            {"email": "not-an-address", "q": "water"},
            "Vul een geldig e-mailadres in",
            "is not",
        ),
        ("en", {"email": "not-an-address", "q": "water"}, "Enter a valid email address", "Vul"),
        (
            "nl",
            {"email": "c@example.org", "q": "water", "region": "Atlantis"},
            "Kies een van de aangeboden mogelijkheden bij “Provincie”",
            "Atlantis",
        ),
    ],
)
def test_what_is_wrong_is_said_in_the_page_language(
    app: Flask,
    services: Services,
    smtp: SmtpServer,
    lang: str,
    form: dict[str, str],
    said: str,
    not_said: str,
) -> None:
    page = post(app.test_client(), lang, **form)
    assert page.status_code == 400
    assert said in page.text
    error = page.text.split('role="alert"', 1)[1].split("</p>", 1)[0]
    assert not_said not in error
    assert stored(services) == [] and smtp.inbox.messages == []


def test_a_company_profile_is_saved_from_the_form(
    app: Flask, services: Services, smtp: SmtpServer
) -> None:
    page = post(
        app.test_client(),
        "en",
        email="d@example.org",
        kind="profile",
        description="We build sensors for water quality and want to test them in a pilot.",
        region="Utrecht",
        size="",
        stage="",
        wants=["subsidy", "loan"],
        amount="200k",
    )
    assert page.status_code == 200, page.text
    (subscription,) = stored(services)
    assert subscription.kind == "profile"
    assert subscription.spec["region"] == "Utrecht" and subscription.spec["language"] == "en"
    assert (
        subscription.spec["wants"] == ["subsidy", "loan"] and subscription.spec["amount"] == 200_000
    )
    (mail,) = smtp.inbox.to("d@example.org")
    assert mail["Subject"] == "Confirm your Wijzer alert"


def test_a_profile_without_description_is_refused_in_dutch(
    app: Flask, services: Services, smtp: SmtpServer
) -> None:
    page = post(app.test_client(), "nl", email="e@example.org", kind="profile", description="")
    assert page.status_code == 400
    assert "Beschrijf uw bedrijf in een paar zinnen (hoogstens 5000 tekens)." in page.text
    assert stored(services) == []
