"""The site's form, the API and the CLI run one match use case: the same profile, the same
ranking; language detection and amounts like "200k" everywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from tests.web.conftest import Site
from tests.web.test_public import result_ids, text
from wijzer.app.matches import profile_in
from wijzer.cli import main
from wijzer.matcher.profile import ProfileError

ENGLISH = (
    "We are a young company in Utrecht building sensors that measure water quality in city"
    " canals, and we need a loan to develop our first product."
)
DUTCH = "Wij ontwikkelen sensoren voor waterkwaliteit en zoeken een lening voor ons product."


def test_the_description_language_is_detected_not_taken_from_the_page() -> None:
    assert profile_in({"description": ENGLISH}).profile().language == "en"
    assert profile_in({"description": DUTCH}).profile().language == "nl"
    # Stated explicitly, it wins.
    assert profile_in({"description": ENGLISH, "language": "nl"}).profile().language == "nl"


@pytest.mark.parametrize(
    ("raw", "amount"),
    [("200k", 200_000), ("2 ton", 200_000), ("€ 1,5 mln", 1_500_000), ("250000", 250_000)],
)
def test_amounts_as_people_write_them(raw: str, amount: float) -> None:
    assert profile_in({"description": DUTCH, "amount": raw}).profile().amount == amount


def test_an_amount_that_is_no_amount_is_named() -> None:
    with pytest.raises(ProfileError) as error:
        profile_in({"description": DUTCH, "amount": "lots"})
    assert error.value.field == "amount"


def test_site_api_and_cli_rank_one_profile_alike(
    client: Any, site: Site, runner: CliRunner
) -> None:
    profile = {"description": ENGLISH, "region": "Utrecht", "amount": "200k"}
    page = client.get("/match", query_string={**profile, "lang": "nl"})
    assert page.status_code == 200
    from_site = result_ids(text(page))

    api = client.post("/api/v1/match", json=profile)
    assert api.status_code == 200
    from_api = [row["id"] for row in api.get_json()["results"]]

    result = runner.invoke(
        main,
        [
            "--data-dir",
            str(site.settings.data_dir),
            "match",
            "--text",
            ENGLISH,
            "--region",
            "Utrecht",
            "--amount",
            "200k",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    from_cli = [row["id"] for row in json.loads(result.stdout)["results"]]
    assert len(from_cli) == 10
    assert from_site == from_api == from_cli


def test_bad_amount_on_the_form_and_the_api_names_the_field(client: Any) -> None:
    page = client.get("/match", query_string={"description": DUTCH, "amount": "veel", "lang": "en"})
    assert page.status_code == 400 and "amount" in text(page)
    api = client.post("/api/v1/match", json={"description": DUTCH, "amount": True})
    assert api.status_code == 400 and api.get_json()["parameter"] == "amount"
