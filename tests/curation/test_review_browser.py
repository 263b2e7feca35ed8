"""The review flow in headless Chromium: log in, open the queue, approve, find it in search."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from tests.browser_pages import AXE_RUN, open_page, serve
from tests.curation.conftest import submit_login
from wijzer.catalog.curation.hooks import source_store
from wijzer.search.query import build_query
from wijzer.web import services


@pytest.fixture
def live_url(staff_app: Flask) -> Iterator[str]:
    with serve(staff_app) as url:
        yield url


@pytest.mark.browser
def test_curator_approves_a_pending_listing_in_the_browser(
    staff_app: Flask, live_url: str, browser
) -> None:
    from playwright.sync_api import expect

    svc = services(staff_app)
    with svc.catalog.session() as session:
        store = source_store(session)
        pending = sorted(i.id for i in store.all() if i.review_state == "pending")
        title = store.get(pending[0]).title  # type: ignore[union-attr]
    assert svc.backend.get(pending[0]) is None

    page = open_page(browser, 1280, 720)  # Playwright's default viewport
    try:
        page.goto(f"{live_url}/admin?lang=en")
        expect(page).to_have_url(f"{live_url}/admin/login?next=/admin?lang%3Den")
        assert page.evaluate(AXE_RUN) == [], "login page has accessibility violations"
        submit_login(page)
        expect(page.locator("h1")).to_have_text("Review queue")
        assert page.evaluate(AXE_RUN) == [], "review queue has accessibility violations"
        item = page.locator(f"li.queue-item[data-id='{pending[0]}']")
        expect(item).to_contain_text(title)
        expect(item.locator(".reasons")).to_contain_text("new listing")
        item.locator("details.changes summary").click()
        expect(item.locator("table.diff")).to_contain_text("Title")
        item.locator("button[name=approve]").click()
        expect(page.locator("p.flash-ok")).to_contain_text(f"Published “{title}”")
        expect(page.locator(f"li.queue-item[data-id='{pending[0]}']")).to_have_count(0)
    finally:
        page.context.close()

    indexed = svc.backend.get(pending[0])
    assert indexed is not None and indexed["title"] == title
    hits = svc.backend.search(build_query(title)).hits
    assert pending[0] in [h.id for h in hits]
