"""Procurement notices read as notices: the contracting authority, CPV codes with labels, the
procedure, value, lots, place of performance and submission deadline; no calendar for a
deadline that has passed."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.conftest import SEED
from tests.web.conftest import CHANGED_ID, TEST_SECRET, notice_records
from wijzer.app.imports import read_import_file
from wijzer.app.settings import Settings
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.merging import merge
from wijzer.catalog.schema import parse_record
from wijzer.web import create_app, services


def facts(page: str) -> dict[str, str]:
    block = page.split('<dl class="facts">', 1)[1].split("</dl>", 1)[0]
    pairs = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)
    return {
        name: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", value)).split())
        for name, value in pairs
    }


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "nl",
            {
                "buyer": "Aanbestedende dienst",
                "cpv": "Wat wordt ingekocht (CPV)",
                "label": "Onderhoud van straatverlichting",
                "procedure": ("Procedure", "Openbare procedure"),
                "place": ("Plaats van uitvoering", "Heemstede en Bloemendaal"),
                "deadline": ("Uiterste inschrijfdatum", "18 maart 2021"),
                "lots": "Percelen",
                "tag": "Europese aanbesteding",
            },
        ),
        (
            "en",
            {
                "buyer": "Contracting authority",
                "cpv": "What is bought (CPV)",
                "label": "Street-lighting maintenance services",
                "procedure": ("Procedure", "Open procedure"),
                "place": ("Place of performance", "Heemstede en Bloemendaal"),
                "deadline": ("Submission deadline", "18 March 2021"),
                "lots": "Lots",
                "tag": "European tender",
            },
        ),
    ],
)
def test_a_ted_notice_reads_as_a_notice(client: Any, lang: str, words: dict[str, Any]) -> None:
    page = client.get(f"/instruments/test-ted-lighting?lang={lang}")
    assert page.status_code == 200
    shown = facts(page.text)
    assert shown[words["buyer"]] == (
        "Stichting Regionaal Inkoopbureau IJmond & Kennemerland;"
        " Gemeente Bloemendaal; Gemeente Heemstede"
    )
    assert shown[words["cpv"]] == f"50232100 {words['label']}"
    assert shown[words["procedure"][0]] == words["procedure"][1]
    assert shown[words["place"][0]] == words["place"][1]
    assert shown[words["deadline"][0]] == words["deadline"][1]
    assert shown[words["lots"]] == "1"
    assert "Financier" not in shown and "Funder" not in shown
    assert not re.search(r"(Europees|European): Noord-Holland", page.text)
    assert f'<span class="tag">{words["tag"]}</span>' in page.text
    # The deadline passed in 2021: no calendar entry for it.
    assert "/calendar/" not in page.text


@pytest.mark.parametrize(
    ("lang", "value", "place", "label"),
    [
        ("nl", "€ 15.000.000", "Nederland", '<span lang="en">Analysis services</span>'),
        ("en", "€15,000,000", "Netherlands", "<span>Analysis services</span>"),
    ],
)
def test_estimated_value_in_money_places_named_and_labels_marked(
    client: Any, lang: str, value: str, place: str, label: str
) -> None:
    page = client.get(f"/instruments/test-ted-sequencing?lang={lang}").text
    shown = facts(page)
    assert value in shown.values(), shown  # (the no-break space read as a space)
    assert place in shown.values()
    assert label in page  # a label only the English notice gave is marked as English


def test_a_scheme_with_a_deadline_ahead_keeps_its_calendar_button(client: Any) -> None:
    ahead = client.get("/instruments/test-malicious?lang=en").text
    assert "/calendar/test-malicious" in ahead
    undated = client.get(f"/instruments/{CHANGED_ID}?lang=en").text
    assert "/calendar/" not in undated


@pytest.mark.parametrize(
    ("lang", "buyer", "funder"),
    [("nl", "Aanbestedende dienst", "Financier"), ("en", "Contracting authority", "Funder")],
)
def test_a_notice_listed_without_its_codes_still_reads_as_a_notice(
    client: Any, lang: str, buyer: str, funder: str
) -> None:
    # Imported from the seed with its TenderNed page but without CPV codes or procedure.
    page = client.get(f"/instruments/ted-2021-s027-067028?lang={lang}")
    assert page.status_code == 200
    shown = facts(page.text)
    assert shown[buyer].startswith("Stichting Regionaal Inkoopbureau IJmond & Kennemerland")
    assert funder not in shown


# The seed's Bloemendaal street-lighting tender, listed without codes, and TED's notice of it.
SEED_TENDER = "ted-2021-s027-067028"
TED_NOTICE = "test-ted-lighting"


@pytest.fixture
def merged_tender(data_dir: Path) -> Iterator[FlaskClient]:
    """A site whose seed tender has the crawled TED notice merged into it."""
    settings = Settings(data_dir=data_dir, secret_key=TEST_SECRET, search_backend="embedded")
    app = create_app({"SETTINGS": settings, "TESTING": True, "RATELIMIT_ENABLED": False})
    svc = services(app)
    with svc.catalog.session() as session:
        store = source_store(session)
        (seed,) = [r for r in read_import_file(SEED).records if r.id == SEED_TENDER]
        store.upsert(seed, "import", review_state="published")
        (notice,) = [n for n in notice_records() if n["id"] == TED_NOTICE]
        store.upsert(parse_record(notice), "source:ted", review_state="published")
        merge(session, SEED_TENDER, TED_NOTICE, "source:ted", auto=True, funders_checked=True)
    yield app.test_client()
    svc.close()


@pytest.mark.parametrize(
    ("lang", "cpv", "procedure"),
    [
        (
            "nl",
            ("Wat wordt ingekocht (CPV)", "Onderhoud van straatverlichting"),
            "Openbare procedure",
        ),
        ("en", ("What is bought (CPV)", "Street-lighting maintenance services"), "Open procedure"),
    ],
)
def test_a_seed_tender_shows_the_codes_of_its_merged_notice(
    merged_tender: FlaskClient, lang: str, cpv: tuple[str, str], procedure: str
) -> None:
    page = merged_tender.get(f"/instruments/{SEED_TENDER}?lang={lang}")
    assert page.status_code == 200
    shown = facts(page.text)
    assert shown[cpv[0]] == f"50232100 {cpv[1]}"
    assert shown["Procedure"] == procedure
