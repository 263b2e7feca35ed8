"""Real Chromium at 1366 and 390 px, both languages: the overview's bars fit and lead to their
search, the search's filters fold away on a phone, the footer pages pass axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser_pages import check, open_page

pytestmark = pytest.mark.browser

WIDTHS = [1366, 390]
FOUND = {"nl": r"(\d+) regelingen? gevonden", "en": r"(\d+) instruments? found"}
FOOTER = {
    "nl": ("Privacyverklaring", "Toegankelijkheidsverklaring", "Contact"),
    "en": ("Privacy statement", "Accessibility statement", "Contact"),
}


def no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_overview_bars_fit_and_lead_to_their_search(
    browser: Any, live_server: str, lang: str, width: int
) -> None:
    page = open_page(browser, width, 844 if width < 500 else 900)
    try:
        page.goto(f"{live_server}/overview?lang={lang}")
        no_sideways_scroll(page)
        rows = page.locator("#by-theme-caption ~ ul.bars a.bar-row")
        assert rows.count() > 3
        # No bar, label or count is cut off: each row lies inside the viewport.
        for box in [rows.nth(i).bounding_box() for i in range(rows.count())]:
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width
        check(page, f"{lang}-{width}-overview")
        first = rows.first
        count = int(re.search(r"\d+", first.locator(".bar-value").inner_text()).group(0))  # type: ignore[union-attr]
        first.click()
        page.wait_for_url(re.compile(r"/search\?"))
        heading = page.locator("#results-heading").inner_text()
        assert int(re.search(FOUND[lang], heading).group(1)) == count  # type: ignore[union-attr]
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_search_filters_fold_on_a_phone(
    browser: Any, live_server: str, lang: str, width: int
) -> None:
    height = 844 if width < 500 else 900
    page = open_page(browser, width, height)
    try:
        page.goto(f"{live_server}/search?q=innovatie&lang={lang}")
        no_sideways_scroll(page)
        first = page.locator(".result h3 a").first.bounding_box()
        panel = page.locator("details.filter-panel")
        if width < 500:
            assert panel.get_attribute("open") is None
            assert first and first["y"] + first["height"] <= height  # in view without scrolling
            page.locator("details.filter-panel > summary").click()
            assert panel.get_attribute("open") is not None
        else:
            assert panel.get_attribute("open") is not None
        check(page, f"{lang}-{width}-search-filters")
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_footer_pages(browser: Any, live_server: str, lang: str, width: int) -> None:
    page = open_page(browser, width, 844 if width < 500 else 900)
    try:
        page.goto(f"{live_server}/?lang={lang}")
        nav = page.get_by_role("navigation", name=re.compile("Main|Hoofdmenu|Hoofdnavigatie"))
        assert "API" not in nav.inner_text()
        footer = page.locator("footer.site-footer")
        for name in FOOTER[lang]:
            footer.get_by_role("link", name=name).click()
            assert page.get_by_role("heading", level=1).inner_text() == name
            no_sideways_scroll(page)
            check(page, f"{lang}-{width}-footer-{name.split()[0].lower()}")
        assert footer.get_by_role("link", name=re.compile("JSON.API")).count() == 1
    finally:
        page.context.close()


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_notice_page(browser: Any, live_server: str, lang: str, width: int) -> None:
    page = open_page(browser, width, 844 if width < 500 else 900)
    try:
        page.goto(f"{live_server}/instruments/test-ted-lighting?lang={lang}")
        no_sideways_scroll(page)
        check(page, f"{lang}-{width}-notice")
    finally:
        page.context.close()
