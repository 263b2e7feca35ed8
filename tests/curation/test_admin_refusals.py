"""Refused staff actions in the page's language: the field's name for people and what to do,
never the services' English reason ("reason: is required to reject")."""

from __future__ import annotations

import io
import re
from importlib import resources
from pathlib import Path

import lxml.html
import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from flask import Flask
from flask.testing import FlaskClient

from tests.curation.conftest import ADMIN, CURATOR, csrf_from, login
from wijzer.catalog.curation import CurationError, CurationErrorCode
from wijzer.catalog.repository import InstrumentStore
from wijzer.web import services
from wijzer.web.admin.refusals import refusal

PACKAGE = Path(resources.files("wijzer"))  # type: ignore[arg-type]
# Words of the services' English reasons (for the CLI and the logs).
RAW_REASON = re.compile(
    r"is required|is not a number|is not a role|must be at least|select at least|"
    r"cannot merge|is empty|expected one of|\bfield\b|merged_id|amount_max"
)


def _alerts(page: str) -> str:
    found = lxml.html.fromstring(page).xpath("//*[@role='alert']")
    assert found, "the page shows no error"
    return " ".join(" ".join(a.text_content().split()) for a in found)


def _staff(staff_app: Flask, email: str, lang: str) -> tuple[FlaskClient, str]:
    client = staff_app.test_client()
    login(client, email)
    return client, csrf_from(client.get(f"/admin?lang={lang}").get_data(as_text=True))


def _pending(staff_app: Flask) -> str:
    with services(staff_app).catalog.session() as session:
        return next(i.id for i in InstrumentStore(session).all() if i.review_state == "pending")


@pytest.mark.parametrize(
    ("lang", "said"),
    [("nl", "Reden: geef een reden op"), ("en", "Reason: give a reason")],
)
def test_rejecting_without_a_reason_says_so_in_the_pages_language(
    staff_app: Flask, lang: str, said: str
) -> None:
    client, token = _staff(staff_app, CURATOR, lang)
    page = client.post(
        f"/admin/instruments/{_pending(staff_app)}/reject",
        data={"csrf_token": token, "reason": ""},
        follow_redirects=True,
    ).get_data(as_text=True)
    shown = _alerts(page)
    assert said in shown
    assert RAW_REASON.search(shown) is None, shown


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nl", "Maximumbedrag: schrijf het bedrag als een aantal euro"),
        ("en", "Maximum amount: write the amount as a number of euros"),
    ],
)
def test_a_bad_amount_in_the_edit_form_is_named_with_its_label(
    staff_app: Flask, lang: str, said: str
) -> None:
    client, token = _staff(staff_app, CURATOR, lang)
    response = client.post(
        f"/admin/instruments/{_pending(staff_app)}",
        data={"csrf_token": token, "amount_max": "heel veel", "reason": "bedrag"},
    )
    assert response.status_code == 400
    shown = _alerts(response.get_data(as_text=True))
    assert said in shown
    assert RAW_REASON.search(shown) is None, shown


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nl", "Wachtwoord: gebruik minstens 12 tekens"),
        ("en", "Password: use at least 12 characters"),
    ],
)
def test_a_weak_password_for_a_new_account_is_explained(
    staff_app: Flask, lang: str, said: str
) -> None:
    client, token = _staff(staff_app, ADMIN, lang)
    response = client.post(
        "/admin/users",
        data={
            "csrf_token": token,
            "email": f"nieuw-{lang}@wijzer.test",
            "role": "curator",
            "password": "kort",
        },
    )
    assert response.status_code == 400
    shown = _alerts(response.get_data(as_text=True))
    assert said in shown
    assert RAW_REASON.search(shown) is None, shown


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("nl", "Selectie: vink minstens één item aan"),
        ("en", "Selection: tick at least one item"),
    ],
)
def test_a_bulk_decision_without_items_asks_to_tick_one(
    staff_app: Flask, lang: str, said: str
) -> None:
    client, token = _staff(staff_app, CURATOR, lang)
    page = client.post(
        "/admin/queue/decide",
        data={"csrf_token": token, "decision": "approve"},
        follow_redirects=True,
    ).get_data(as_text=True)
    shown = _alerts(page)
    assert said in shown
    assert RAW_REASON.search(shown) is None, shown


def test_every_refusal_has_a_dutch_translation_in_the_staff_catalog() -> None:
    source = PACKAGE / "web" / "admin" / "refusals.py"
    with source.open("rb") as handle:
        used = {m if isinstance(m, str) else m[0] for _, m, _, _ in extract("python", handle)}
    catalogs = PACKAGE / "translations" / "nl" / "LC_MESSAGES"
    dutch = {}
    for name in ("admin.po", "base.po", "public.po"):
        for entry in read_po(io.BytesIO((catalogs / name).read_bytes()), locale="nl"):
            if entry.id and entry.string and not entry.fuzzy:
                dutch[entry.id] = entry.string
    assert sorted(m for m in used if m not in dutch) == []


# A field each code is raised for; a code added without advice fails the test below.
CODE_SAMPLES = {
    CurationErrorCode.INVALID: "amount_max",
    CurationErrorCode.MISSING: "add",
    CurationErrorCode.EXISTS: "email",
    CurationErrorCode.NOT_FOUND: "email",
    CurationErrorCode.NOT_EDITABLE: "review_state",
    CurationErrorCode.INTO_ITSELF: "merged_id",
    CurationErrorCode.ALREADY_MERGED: "merged_id",
    CurationErrorCode.NOT_MERGED: "merged_id",
    CurationErrorCode.DIFFERENT_FUNDERS: "funder",
}


def test_every_curation_error_code_has_its_own_advice_in_both_languages(
    staff_app: Flask,
) -> None:
    assert set(CODE_SAMPLES) == set(CurationErrorCode)
    advice: dict[str, dict[CurationErrorCode, str]] = {}
    for lang in ("nl", "en"):
        with staff_app.test_request_context(f"/admin?lang={lang}"):
            generic = refusal(CurationError("review_state", "")).split(": ", 1)[1]
            # No English reason: the field and the code alone choose the advice.
            advice[lang] = {
                code: refusal(CurationError(field, "", code)).split(": ", 1)[1]
                for code, field in CODE_SAMPLES.items()
            }
        assert generic not in advice[lang].values(), advice[lang]
    for code in CurationErrorCode:
        assert advice["nl"][code] != advice["en"][code], code  # translated
    assert len(set(advice["en"].values())) == len(CurationErrorCode), advice["en"]
