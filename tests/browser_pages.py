"""Helpers of the browser tests (tests/web, tests/curation): the app served live, a Chromium page
with axe injected, and the axe + CSP check that keeps a screenshot."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import REPO

AXE = Path(__file__).parent / "web" / "vendor" / "axe.min.js"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"

# Every rule axe runs by default (WCAG 2.0/2.1 A and AA plus best practices).
AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
}"""


@contextlib.contextmanager
def serve(app: Flask) -> Iterator[str]:
    """The app in a real HTTP server thread on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)


def open_page(browser: Any, width: int = 1280, height: int = 900, locale: str | None = None) -> Any:
    """A page in a context of its own, with axe injected and CSP reports collected; `locale`
    sets the browser's preferred language (Accept-Language)."""
    extra = {"locale": locale} if locale else {}
    context = browser.new_context(viewport={"width": width, "height": height}, **extra)
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
    return page


def check(page: Any, name: str) -> None:
    """axe finds no violations, the CSP blocked nothing, and a screenshot is kept."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    violations = page.evaluate(AXE_RUN)
    assert violations == [], f"{name} ({page.url}): {violations}"
    assert page.csp_errors == [], page.csp_errors
