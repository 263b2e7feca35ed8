"""Match scores are shown as a bounded fit: a band in words, never a percentage above 100."""

from __future__ import annotations

import re
from typing import Any

import pytest

from wijzer.matcher.fit_bands import fit_band, fit_percent

# The first result of this profile scores above 1.0 (first in both rankings, in its province):
# the page once showed "Fit: 128%".
BAKERY = {
    "description": "Bakkerij in Limburg wil de winkel verduurzamen met zonnepanelen.",
    "region": "Limburg",
}


def test_bands_and_percent_are_bounded() -> None:
    assert [fit_percent(s) for s in (-0.4, 0.0, 0.42, 1.0, 1.28, 9.0)] == [0, 0, 42, 100, 100, 100]
    assert [fit_band(s) for s in (-0.4, 0.39, 0.4, 0.74, 0.75, 1.28)] == [
        "possible",
        "possible",
        "good",
        "good",
        "strong",
        "strong",
    ]
    assert fit_band(1.28, blocked=True) == "possible"


@pytest.mark.parametrize(
    ("lang", "bands", "other"),
    [
        ("nl", ("Sterke match", "Goede match", "Mogelijke match"), "Strong match"),
        ("en", ("Strong match", "Good match", "Possible match"), "Sterke match"),
    ],
)
def test_match_page_words_the_fit_and_never_shows_more_than_100(
    client: Any, lang: str, bands: tuple[str, ...], other: str
) -> None:
    page = client.get("/match", query_string={**BAKERY, "lang": lang}).text
    shown = re.findall(r'<span class="score fit-(\w+)">([^<]+)</span>', page)
    assert len(shown) >= 10
    assert shown[0] == ("strong", bands[0])  # the best result
    assert {label for _band, label in shown} <= set(bands)
    assert {label for _band, label in shown} >= {bands[0], bands[2]}
    assert other not in page
    # No fit as a percentage; a quoted source sentence may state one ("50% of the costs").
    assert not re.search(r"\d+\s*%", re.sub(r"<q>.*?</q>", "", page, flags=re.S))


def test_api_gives_the_fit_beside_the_score(client: Any) -> None:
    results = client.post("/api/v1/match?lang=en", json={**BAKERY, "top": 20}).get_json()["results"]
    assert results[0]["score"] > 1.0
    assert results[0]["fit"] == {"band": "strong", "label": "strong match", "percent": 100}
    assert all(0 <= r["fit"]["percent"] <= 100 for r in results)
    dutch = client.post("/api/v1/match?lang=nl", json={**BAKERY, "top": 1}).get_json()["results"]
    assert dutch[0]["fit"]["label"] == "sterke match"
