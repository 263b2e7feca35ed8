"""Hostile input gets a clear 4xx, never a 500 or a traceback: one size limit for the whole
app, one JSON policy for every JSON endpoint, amounts that are numbers of euros."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.web.conftest import Site
from wijzer.cli import main

PROBLEM = "application/problem+json"
NESTED = "[" * 100_000 + "]" * 100_000


def post_json(client: Any, body: str | bytes) -> Any:
    return client.post("/api/v1/match", data=body, headers={"Content-Type": "application/json"})


def test_a_body_over_the_limit_is_413_before_it_is_read(client: Any) -> None:
    huge = json.dumps({"description": "innovatie " * 60_000})  # 600 KB
    response = post_json(client, huge)
    assert response.status_code == 413 and response.mimetype == PROBLEM
    assert response.get_json()["status"] == 413
    # Forms too: one limit for the whole app.
    form = client.post("/alerts/subscribe", data={"email": "a@example.org", "q": "x" * 600_000})
    assert form.status_code == 413 and "Te veel gegevens" in form.text


@pytest.mark.parametrize(
    ("body", "says"),
    [
        (NESTED, "depth"),
        ('{"description": ' + "[" * 40 + "1" + "]" * 40 + "}", "nested deeper than 32"),
        ('{"description": "\\ud800 innovatie"}', "surrogate"),
        ('{"description": "innovatie", "amount": NaN}', "not valid JSON"),
        ('{"description": "innovatie", "amount": Infinity}', "not valid JSON"),
        ('{"description": "innovatie", "amount": 1e400}', "infinity"),
        ('{"description": "innovatie", "amount": 1' + "0" * 5000 + "}", "infinity"),
        ('{"description": "innovatie", "amount": 1e16}', "larger than"),
    ],
)
def test_json_the_policy_refuses_is_a_400_that_says_why(client: Any, body: str, says: str) -> None:
    response = post_json(client, body)
    assert response.status_code == 400, response.get_data(as_text=True)[:300]
    assert response.mimetype == PROBLEM
    assert says in response.get_json()["detail"]


@pytest.mark.parametrize("amount", ["nan", "inf", "-inf", "1e400", "-5", "1e14"])
def test_an_amount_that_is_no_amount_of_euros_is_refused_by_name(client: Any, amount: str) -> None:
    api = client.post("/api/v1/match", json={"description": "innovatie", "amount": amount})
    assert api.status_code == 400 and api.get_json()["parameter"] == "amount"
    page = client.get(f"/match?description=innovatie&amount={amount}")
    assert page.status_code == 400 and "amount" in page.get_data(as_text=True)


@pytest.mark.parametrize("value", ["nan", "inf", "1e400"])
def test_search_amount_filters_must_be_finite(client: Any, value: str) -> None:
    response = client.get(f"/api/v1/instruments?amount_min={value}")
    assert response.status_code == 400 and response.get_json()["parameter"] == "amount_min"


@pytest.mark.parametrize("amount", ["nan", "inf", "1e400"])
def test_match_cli_refuses_an_amount_in_one_line(site: Site, amount: str) -> None:
    result = CliRunner().invoke(
        main,
        [
            "--data-dir",
            str(site.settings.data_dir),
            "match",
            "--text",
            "innovatieve software voor de zorg",
            "--amount",
            amount,
        ],
    )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # an exit, not a crash
    (line,) = result.stderr.splitlines()
    assert line.startswith("Error: invalid profile: amount:")
