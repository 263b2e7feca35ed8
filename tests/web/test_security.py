"""Crawled text stays inert: escaping everywhere, strict headers, no inline script, no secrets."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import MALICIOUS_ID, MALICIOUS_TITLE

PAGES = [
    "/",
    "/search?q=innovatie",
    "/search?q=script",
    f"/instruments/{MALICIOUS_ID}",
    "/overview",
    "/api/v1/docs",
    "/match?description=innovatiesubsidie+script",
    "/nope",
]


@pytest.mark.parametrize("url", [*PAGES, "/api/v1/instruments", "/static/css/wijzer.css"])
def test_security_headers_on_every_response(client, url):
    response = client.get(url)
    headers = response.headers
    response.close()
    csp = headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_no_inline_script_or_style_and_no_secret(client, app, url):
    html = client.get(url).get_data(as_text=True)
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)
    assert app.config["SECRET_KEY"] not in html


def test_malicious_crawled_title_is_escaped_everywhere(client):
    pages = [
        client.get(f"/instruments/{MALICIOUS_ID}"),
        client.get("/search?q=innovatiesubsidie"),
        client.get("/search?q=script+alert"),
        client.get("/search?closes_within=30"),
    ]
    for response in pages:
        html = response.get_data(as_text=True)
        assert response.status_code == 200, response.request.url
        assert "<script>alert(1)</script>" not in html
        assert "<img src=x" not in html
        assert "&lt;" in html and "Innovatiesubsidie" in html, response.request.url
    # Highlighting runs after escaping: the query word is marked, the tag stays text.
    marked = pages[2].get_data(as_text=True)
    assert "&lt;<mark>script</mark>&gt;<mark>alert</mark>(1)" in marked
    api = client.get(f"/api/v1/instruments/{MALICIOUS_ID}")
    assert api.get_json()["title"] == MALICIOUS_TITLE
    assert api.mimetype == "application/json"


def test_highlight_markers_in_crawled_text_cannot_inject_markup():
    from wijzer.web.searching import highlight_html

    assert str(highlight_html("a \x02<b>\x03 subsidie", "subsidie")) == (
        "a &lt;b&gt; <mark>subsidie</mark>"
    )


def test_only_http_links_from_a_crawl_become_links():
    from wijzer.web.presentation import http_url

    assert http_url("javascript:alert(1)") == ""
    assert http_url(" https://rvo.nl/x ") == "https://rvo.nl/x"
