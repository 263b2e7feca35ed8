"""The search backend unreachable: 503 with Retry-After on every page and API route that needs
it (one mapping), the instrument page still shows its record from the catalog."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import CHANGED_ID, TEST_SECRET, Site
from wijzer.app.services import Services
from wijzer.web import create_app

PROBLEM = "application/problem+json"


def closed_port() -> int:
    """A loopback port nothing listens on: connections are refused at once."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def down_app(site: Site) -> Iterator[Flask]:
    """The seeded site with Elasticsearch as its backend, and Elasticsearch not there."""
    settings = site.settings.model_copy(
        update={
            "search_backend": "elasticsearch",
            "elasticsearch_url": f"http://127.0.0.1:{closed_port()}",
        }
    )
    app = create_app(
        {
            "SETTINGS": settings,
            "TESTING": True,
            "SECRET_KEY": TEST_SECRET,
            "RATELIMIT_ENABLED": False,
        }
    )
    services: Services = app.extensions["wijzer"]
    services.__dict__["encoder"] = site.services.encoder  # loaded once per session
    yield app
    services.close()


PAGES = [
    "/search?q=innovatie",
    "/search",
    "/match?description=innovatieve+software+voor+de+zorg",
]
API = [
    "/api/v1/instruments?q=innovatie",
    "/api/v1/instruments.csv",
    "/api/v1/instruments.json",
    "/api/v1/instruments.ics",
    "/api/v1/instruments.atom",
]


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_503_with_retry_after(down_app: Flask, path: str) -> None:
    response = down_app.test_client().get(path + ("&" if "?" in path else "?") + "lang=en")
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert "Temporarily unavailable" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", API)
def test_api_answers_503_problem_with_retry_after(down_app: Flask, path: str) -> None:
    response = down_app.test_client().get(path)
    assert response.status_code == 503 and response.mimetype == PROBLEM
    assert int(response.headers["Retry-After"]) > 0
    assert response.get_json()["status"] == 503


def test_api_match_answers_503(down_app: Flask) -> None:
    response = down_app.test_client().post(
        "/api/v1/match", json={"description": "innovatieve software voor de zorg"}
    )
    assert response.status_code == 503 and response.mimetype == PROBLEM
    assert "Retry-After" in response.headers


def test_the_instrument_page_keeps_its_record_and_says_similar_is_missing(
    down_app: Flask,
) -> None:
    client: Any = down_app.test_client()
    page = client.get(f"/instruments/{CHANGED_ID}?lang=en")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Regeling die veranderde" in text
    assert "Similar instruments cannot be shown right now" in text
    # The API's record comes from the catalog too.
    record = client.get(f"/api/v1/instruments/{CHANGED_ID}")
    assert record.status_code == 200 and record.get_json()["id"] == CHANGED_ID
