"""Every bar of the overview is a link to a search that finds exactly the instruments it counts."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

BAR = re.compile(
    r'<a class="bar-row" href="([^"]+)">\s*<span class="bar-label">([^<]+)</span>.*?'
    r'<span class="bar-value">(\d+) (?:instruments?|regelingen?)</span>',
    re.S,
)


def found(page: str) -> int:
    heading = re.search(r'id="results-heading"[^>]*>([^<]+)<', page)
    assert heading, "no result count"
    number = re.search(r"(\d+)", heading.group(1).replace(".", "").replace(",", ""))
    return int(number.group(1)) if number else 0


@pytest.mark.parametrize("closed", ["", "1"])
def test_each_bar_links_to_a_search_with_its_count(client: Any, closed: str) -> None:
    page = client.get("/overview", query_string={"lang": "en", "closed": closed})
    assert page.status_code == 200
    bars = BAR.findall(page.text)
    charts = page.text.count('<ul class="bars">')
    assert charts == 6 and len(bars) > 40
    wrong = []
    for href, label, count in bars:
        listed = client.get(html.unescape(href))
        assert listed.status_code == 200, href
        if found(listed.text) != int(count):
            wrong.append((label, count, found(listed.text), href))
    assert wrong == []


@pytest.mark.parametrize(("lang", "band"), [("nl", "tot € 25.000"), ("en", "up to €25,000")])
def test_amount_bands_and_coming_months_in_words(client: Any, lang: str, band: str) -> None:
    page = client.get(f"/overview?lang={lang}").text
    labels = [html.unescape(label).replace("\xa0", " ") for _, label, _ in BAR.findall(page)]
    assert band in labels
    assert not any(re.search(r"\b20\d\d-\d\d\b", label) for label in labels)
    months = page.split('id="by-month-caption"', 1)[1].split("</ul>", 1)[0]
    assert months.count('class="bar-row"') == 12
