"""Public pages show no notes about the crawl and no raw ISO dates in a listing's summary."""

from __future__ import annotations

import re
from typing import Any

import pytest

from wijzer.i18n.public_text import public_text

SOIL = "eu-sedia-horizon-miss-2027-05-soil-01-two-stage"


def test_capture_notes_go_and_dates_are_written_out() -> None:
    note = "under call 'Soil'; status in the captured response: Forthcoming; deadline(s): "
    assert public_text(note + "2027-04-08, 2027-09-14.", "en") == (
        "under call 'Soil'; deadline(s): 8 April 2027, 14 September 2027."
    )
    assert public_text("Open call; status in the captured response: Open.", "en") == "Open call."
    assert public_text("Sluit op 2027-04-08.", "nl") == "Sluit op 8 april 2027."
    assert public_text("Not a day: 2027-13-45.", "en") == "Not a day: 2027-13-45."


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_instrument_and_search_pages_show_the_summary_without_capture_notes(
    client: Any, lang: str
) -> None:
    pages = [
        client.get(f"/instruments/{SOIL}?lang={lang}").text,
        client.get(f"/search?q=soil+living+labs&lang={lang}").text,
    ]
    for page in pages:
        assert f"/instruments/{SOIL}" in page
        assert "captured response" not in page
        assert "2027-04-08" not in page and "2027-09-14" not in page
    # The second deadline is stated only in the summary: it stays, written out.
    assert "14 September 2027" in pages[0]


@pytest.mark.parametrize(("lang", "month"), [("nl", "apr 2027"), ("en", "Apr 2027")])
def test_overview_names_deadline_months_in_the_page_language(
    client: Any, lang: str, month: str
) -> None:
    page = client.get(f"/overview?lang={lang}").text
    table = page.split('id="by-month-caption"', 1)[1].split("</table>", 1)[0]
    assert f'<th scope="row">{month}</th>' in table
    # In what the reader sees; the bars' links carry ISO dates as search parameters.
    assert not re.search(r"\b20\d\d-\d\d\b", re.sub(r"<[^>]+>", " ", table))
