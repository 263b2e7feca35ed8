"""The curation desk in headless Chromium: filter the queue, read a diff, approve, read the audit
sentence; bulk approve; axe on every staff page and screenshots at 1366 and 390 px, nl and en."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.browser_pages import check, open_page, serve
from tests.curation.conftest import ADMIN, browser_login, crawled
from wijzer.catalog.curation.hooks import source_store
from wijzer.web import services

pytestmark = pytest.mark.browser
HTML = "provincie-html"
CHANGED = "desk-browser-changed"
WORDS = {
    "en": {
        "queue": "Review queue",
        "change": "changed by its source",
        "label": "Maximum amount",
        "old": "€5,000,000",
        "new": "€7,500,000",
        "published": "Published “Regeling met een nieuw bedrag”.",
        "sentence": "approved the change to the maximum amount of Regeling met een nieuw bedrag",
        "bulk": "Published 2 item(s).",
    },
    "nl": {
        "queue": "Beoordelingswachtrij",
        "change": "gewijzigd door de bron",
        "label": "Maximumbedrag",
        "old": "€\xa05.000.000",
        "new": "€\xa07.500.000",
        "published": "“Regeling met een nieuw bedrag” is gepubliceerd.",
        "sentence": "de wijziging van maximumbedrag van Regeling met een nieuw bedrag goed",
        "bulk": "2 regeling(en) gepubliceerd.",
    },
}


@pytest.fixture
def desk_url(staff_app: Flask) -> Iterator[str]:
    """The staff app live, with one published listing its source has since changed."""
    from tests.curation.conftest import seed_rows

    row = {
        **seed_rows()[0],
        "id": CHANGED,
        "title": "Regeling met een nieuw bedrag",
        "amount_min": None,
    }
    with services(staff_app).catalog.session() as session:
        store = source_store(session)
        store.upsert(crawled(row, HTML, amount_max=5_000_000), f"source:{HTML}")
        store.upsert(crawled(row, HTML, amount_max=7_500_000), f"source:{HTML}")
    with serve(staff_app) as url:
        yield url


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_filter_open_diff_approve_then_the_audit_sentence(
    browser: Any, desk_url: str, lang: str
) -> None:
    from playwright.sync_api import expect

    words = WORDS[lang]
    page = open_page(browser, 1366, 900)
    try:
        browser_login(page, desk_url, lang)
        expect(page.locator("h1")).to_have_text(words["queue"])
        page.select_option("select[name=kind]", "changed")
        page.click(".queue-filters button[type=submit]")
        items = page.locator("li.queue-item")
        expect(items).to_have_count(1)
        item = page.locator(f"li.queue-item[data-id='{CHANGED}']")
        expect(item.locator(".reasons")).to_contain_text(words["change"])
        item.locator("details.changes summary").click()
        row = item.locator("table.diff tr[data-field=amount_max]")
        expect(row.locator("th")).to_have_text(words["label"])
        expect(row.locator("del")).to_have_text(words["old"])
        expect(row.locator("ins")).to_have_text(words["new"])
        check(page, f"staff-queue-filtered-1366-{lang}")
        item.locator("button[name=approve]").click()
        expect(page.locator("p.flash-ok")).to_contain_text(words["published"])
        expect(page.locator(f"li.queue-item[data-id='{CHANGED}']")).to_have_count(0)
        page.goto(f"{desk_url}/admin/audit?action=approve")
        expect(page.locator("ol.audit li").first).to_contain_text(words["sentence"])
        expect(page.locator("ol.audit li").first).to_contain_text(
            f"{words['old']} → {words['new']}"
        )
        check(page, f"staff-audit-1366-{lang}")
    finally:
        page.context.close()


def test_bulk_approve_empties_the_queue(browser: Any, desk_url: str) -> None:
    from playwright.sync_api import expect

    page = open_page(browser, 1366, 900)
    try:
        browser_login(page, desk_url, "en")
        page.goto(f"{desk_url}/admin?kind=new")
        boxes = page.locator("li.queue-item input[type=checkbox]")
        expect(boxes).to_have_count(2)
        for n in range(2):
            boxes.nth(n).check()
        page.click("#bulk button[value=approve]")
        expect(page.locator("p.flash-ok")).to_have_text(WORDS["en"]["bulk"])
        expect(page.locator("li.queue-item")).to_have_count(0)  # back on the filtered queue
        page.goto(f"{desk_url}/admin")
        expect(page.locator("li.queue-item")).to_have_count(1)  # the change is left
    finally:
        page.context.close()


# The elements sticking out on the right, to say what to fix when a page scrolls sideways.
WIDEST = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    || e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === 'visible')
  .slice(-5).map(e => e.tagName + '.' + e.className + ' ' + e.scrollWidth + '/' + e.clientWidth)"""

STAFF_PAGES = [
    ("queue", "/admin"),
    ("instrument", f"/admin/instruments/{CHANGED}"),
    ("new", "/admin/new"),
    ("audit", "/admin/audit"),
    ("duplicates", "/admin/duplicates"),
]


@pytest.mark.parametrize("width", [1366, 390])
@pytest.mark.parametrize("lang", ["nl", "en"])
def test_staff_pages_pass_axe_at_both_widths(
    browser: Any, desk_url: str, lang: str, width: int
) -> None:
    page = open_page(browser, width, 900)
    try:
        browser_login(page, desk_url, lang, ADMIN)
        for name, path in STAFF_PAGES:
            page.goto(f"{desk_url}{path}")
            check(page, f"staff-{name}-{width}-{lang}")
            # Nothing wider than the screen: the desk fits without sideways scrolling.
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, (name, width, overflow, page.evaluate(WIDEST))
    finally:
        page.context.close()
