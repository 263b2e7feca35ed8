"""A digest's reasons and dates worded for its subscriber when the email is composed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from wijzer.alerts.emails import compose
from wijzer.alerts.mail_settings import MailSettings
from wijzer.matcher import reasons

PAYLOAD = {
    "kind": "digest",
    "frequency": "daily",
    "items": [
        {
            "id": "nl-ut-water",
            "title": "Subsidie waterinnovatie Utrecht",
            "funder": "Provincie Utrecht",
            "deadline": "2027-04-08",
            "kinds": ["new"],
            # Planned as data; a row planned before reasons were data holds words.
            "reasons": [
                reasons.region_fits(["Utrecht"]).as_json(),
                reasons.closes_on(dt.date(2027, 4, 8)).as_json(),
                reasons.similar_description().as_json(),
            ],
        },
        {
            "id": "nl-old",
            "title": "Oude regeling",
            "deadline": None,
            "kinds": ["new"],
            "reasons": ["“water”"],
        },
    ],
}


def mail(language: str, tmp_path: Path) -> tuple[str, str]:
    subscription = {
        "id": 7,
        "nonce": "n",
        "email": "a@example.org",
        "language": language,
        "kind": "profile",
        "frequency": "daily",
        "spec": {},
    }
    message = compose(
        MailSettings(secret="secret"),
        subscription=subscription,
        payload=PAYLOAD,
        message_id="<x@example.org>",
    )
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(("html",)).get_content()  # type: ignore[union-attr]
    return text, html


def test_dutch_digest_has_babel_dates_and_dutch_reasons(tmp_path: Path) -> None:
    text, html = mail("nl", tmp_path)
    assert "Sluitingsdatum: 8 april 2027" in text and "Sluitingsdatum: 8 april 2027" in html
    assert "2027-04-08" not in text
    assert (
        "Waarom: regionale regeling voor Utrecht; sluit op 8 april 2027; "
        "lijkt op de beschrijving van uw bedrijf" in text
    )
    assert "Waarom: “water”" in text  # words planned earlier are kept as they are


def test_english_digest_has_english_dates_and_reasons(tmp_path: Path) -> None:
    text, _ = mail("en", tmp_path)
    assert "Deadline: 8 April 2027" in text
    assert (
        "Why: regional scheme for Utrecht; closes on 8 April 2027; "
        "close to your company description" in text
    )
