"""A site whose catalog has not been upgraded answers 503 (a page and problem+json), not 500."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from wijzer.app.settings import Settings
from wijzer.web import create_app


@pytest.fixture
def client(tmp_path: Path):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path / "data", secret_key="test-secret")
    app = create_app({"SETTINGS": settings, "TESTING": True, "API_RATE_LIMIT": 0})
    return app.test_client()


def test_pages_and_api_answer_503_and_the_log_names_the_fix(client, caplog) -> None:  # type: ignore[no-untyped-def]
    with caplog.at_level(logging.ERROR):
        page = client.get("/instruments/nl-wbso?lang=en")
        api = client.get("/api/v1/instruments/nl-wbso")
    assert page.status_code == 503
    html = page.get_data(as_text=True)
    assert "Please try again later." in html and "Traceback" not in html
    assert api.status_code == 503
    assert api.mimetype == "application/problem+json"
    assert api.get_json()["status"] == 503
    assert "wijzer db upgrade" not in html + api.get_data(as_text=True)  # visitors get no hints
    assert "run `wijzer db upgrade`" in caplog.text
