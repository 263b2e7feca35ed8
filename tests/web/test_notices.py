"""Procurement notices read as notices: the contracting authority, CPV codes with labels, the
procedure, value, lots, place of performance and submission deadline; no calendar for a
deadline that has passed."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from tests.web.conftest import CHANGED_ID


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
