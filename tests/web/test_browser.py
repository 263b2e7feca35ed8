"""Real Chromium over the live app: search -> filter -> instrument -> match, axe on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.alerts.conftest import SmtpServer
from tests.browser_pages import check, open_page
from tests.web.conftest import confirmation_link

pytestmark = pytest.mark.browser

WORDS = {
    "nl": {
        "search": "Zoeken",
        "apply": "Filters toepassen",
        "national": "Landelijk",
        "describe": "Beschrijf uw bedrijf",
        "not_relevant": "Niet relevant",
        "found": r"(\d+) regelingen? gevonden",
        "history": "Wat is er veranderd",
        "province": "Provincie",
        "alert": "Houd me op de hoogte",
        "subscribe": "Aanmelden",
        "inbox": "Kijk in uw inbox",
        "subject": "Bevestig uw Wijzer-attendering",
        "confirm": "Bevestig mijn attendering",
        "confirmed": "Attendering bevestigd",
        "strong": "Sterke match",
    },
    "en": {
        "search": "Search",
        "apply": "Apply filters",
        "national": "National",
        "describe": "Describe your company",
        "not_relevant": "Not relevant",
        "found": r"(\d+) instruments? found",
        "history": "What changed",
        "province": "Province",
        "alert": "Alert me",
        "subscribe": "Subscribe",
        "inbox": "Check your inbox",
        "subject": "Confirm your Wijzer alert",
        "confirm": "Confirm my alert",
        "confirmed": "Alert confirmed",
        "strong": "Strong match",
    },
}


def found(page: Any, words: dict[str, str]) -> int:
    heading = page.locator("#results-heading").inner_text()
    match = re.search(words["found"], heading)
    assert match, heading
    return int(match.group(1))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_search_filter_instrument_match_flow(page: Any, live_server: str, lang: str) -> None:
    words = WORDS[lang]
    page.goto(f"{live_server}/?lang={lang}")
    assert page.locator("html").get_attribute("lang") == lang
    check(page, f"{lang}-01-home")

    # Search from the home page.
    page.get_by_role("search").get_by_role("searchbox").fill("innovatie")
    page.get_by_role("search").get_by_role("button", name=words["search"]).click()
    page.wait_for_url(re.compile(r"/search\?"))
    before = found(page, words)
    assert before > 3
    assert page.locator(".result mark").count() > 0
    check(page, f"{lang}-02-search")

    # Filter on national level (works without JS: check the box, apply).
    page.locator("#filters").get_by_label(re.compile(f"^{words['national']}")).check()
    page.get_by_role("button", name=words["apply"]).click()
    page.wait_for_url(re.compile(r"level=national"))
    after = found(page, words)
    assert 0 < after < before
    check(page, f"{lang}-03-filtered")

    # Open the first result.
    first = page.locator(".result h3 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url(re.compile(r"/instruments/"))
    assert page.get_by_role("heading", level=1).inner_text() == title
    assert page.get_by_role("heading", name=words["history"]).is_visible()
    check(page, f"{lang}-04-instrument")

    # Describe a company and get matches; mark the first one not relevant.
    page.goto(f"{live_server}/match")
    page.get_by_label(words["describe"]).fill(
        "Wij ontwikkelen een sensor voor waterkwaliteit en willen de haalbaarheid onderzoeken."
    )
    page.get_by_label(words["province"]).select_option("Utrecht")
    page.locator("form.match-form button.primary").click()
    page.wait_for_url(re.compile(r"/match\?"))
    results = page.locator(".result h3 a")
    assert results.count() >= 3
    dropped = results.first.inner_text()
    check(page, f"{lang}-05-match")
    page.locator(".result").first.get_by_role(
        "button", name=re.compile(words["not_relevant"])
    ).click()
    page.wait_for_url(re.compile(r"exclude="))
    assert dropped not in page.locator(".result h3 a").all_inner_texts()
    check(page, f"{lang}-06-match-refined")


# A profile whose best result scores above 1.0 (the page once showed "Fit: 128%").
BAKERY = "Bakkerij in Limburg wil de winkel verduurzamen met zonnepanelen."


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_alert_me_from_a_search_and_a_match(
    browser: Any, live_server: str, mail_sink: SmtpServer, lang: str, width: int
) -> None:
    words = WORDS[lang]
    page = open_page(browser, width, 844 if width < 500 else 900)
    shot = f"{lang}-{width}-alert"
    try:
        page.goto(f"{live_server}/search?q=innovatie&level=national&lang={lang}")
        check(page, f"{shot}-01-search")
        # The filters' column rule belongs beside the results, never beside a phone's column.
        rule = page.evaluate(
            "() => getComputedStyle(document.querySelector('#filters')).borderRightWidth"
        )
        assert rule == ("1px" if width > 800 else "0px")
        page.get_by_role("link", name=words["alert"]).click()
        page.wait_for_url(re.compile(r"/alerts/subscribe\?"))
        assert page.locator("#q").input_value() == "innovatie"
        assert page.locator("#level").input_value() == "national"
        assert page.locator("#region").input_value() == ""  # "Any"
        check(page, f"{shot}-02-subscribe")

        address = f"search-{lang}-{width}@example.org"
        page.get_by_label(re.compile("^E-?mail")).first.fill(address)
        page.get_by_role("button", name=words["subscribe"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["inbox"]
        check(page, f"{shot}-03-sent")
        subject, confirm = confirmation_link(mail_sink, address, live_server)
        assert subject == words["subject"]
        page.goto(confirm)
        page.get_by_role("button", name=words["confirm"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["confirmed"]
        check(page, f"{shot}-04-confirmed")

        # From a match: the profile goes with it; the fit is a band, never a percentage.
        page.goto(f"{live_server}/match?region=Limburg&lang={lang}&description={BAKERY}")
        assert page.locator(".result .score").first.inner_text() == words["strong"]
        # A quoted source sentence may say "50% of the costs"; our own words never show one.
        own_words = page.evaluate(
            "() => { const m = document.querySelector('#main').cloneNode(true);"
            " m.querySelectorAll('q').forEach(q => q.remove()); return m.textContent; }"
        )
        assert "%" not in own_words
        check(page, f"{shot}-05-match")
        page.get_by_role("link", name=words["alert"]).click()
        page.wait_for_url(re.compile(r"/alerts/subscribe\?"))
        assert page.get_by_label(words["describe"]).input_value() == BAKERY
        assert page.locator("#region").input_value() == "Limburg"
        check(page, f"{shot}-06-subscribe-profile")
        address = f"profile-{lang}-{width}@example.org"
        page.get_by_label(re.compile("^E-?mail")).first.fill(address)
        page.get_by_role("button", name=words["subscribe"]).click()
        assert page.get_by_role("heading", level=1).inner_text() == words["inbox"]
        assert confirmation_link(mail_sink, address, live_server)[0] == words["subject"]
    finally:
        page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        "/overview",
        "/api/v1/docs",
        "/instruments/test-malicious",
        "/search?level=moon",
        "/search?amount_min=25001&amount_max=100000&deadline_from=2026-12-01&deadline_to=2027-12-31",
        "/no-such-page",
        "/match?description=",
    ],
)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_other_pages_pass_axe(page: Any, live_server: str, path: str, lang: str) -> None:
    joiner = "&" if "?" in path else "?"
    page.goto(f"{live_server}{path}{joiner}lang={lang}")
    name = re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "root"
    check(page, f"{lang}-page-{name}")


def test_crawled_script_never_runs(page: Any, live_server: str) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{live_server}/search?q=script+alert&lang=en")
    page.goto(f"{live_server}/instruments/test-malicious?lang=en")
    assert "<script>alert(1)</script>" in page.get_by_role("heading", level=1).inner_text()
    assert dialogs == []
