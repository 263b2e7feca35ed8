"""Real Chromium over the live app: search -> filter -> instrument -> match, axe on every page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# Every rule axe runs by default (WCAG 2.0/2.1 A and AA plus best practices).
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # An init script is injected by the browser itself, so the site's CSP stays in force.
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    page.csp_errors = []  # type: ignore[attr-defined]
    page.on(
        "console",
        lambda msg: (
            page.csp_errors.append(msg.text)  # type: ignore[attr-defined]
            if "Content Security Policy" in msg.text
            else None
        ),
    )
    yield page
    context.close()


def check(page: Any, name: str) -> None:
    """axe finds no violations, the CSP blocked nothing, and a screenshot is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name} ({page.url}): {violations}"
    assert page.csp_errors == [], page.csp_errors


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


@pytest.mark.parametrize(
    "path",
    [
        "/overview",
        "/api/v1/docs",
        "/instruments/test-malicious",
        "/search?level=moon",
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
