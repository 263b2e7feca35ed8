"""`wijzer search` and `wijzer index rebuild` through the CLI, on both backends."""

from __future__ import annotations

import json
import uuid

import pytest

from tests.conftest import SEED, SEED_INSTRUMENTS, service_url
from wijzer.cli import main


@pytest.fixture
def cli_env(backend_kind: str) -> dict[str, str]:
    env = {"WIJZER_SEARCH_BACKEND": backend_kind}
    if backend_kind == "elasticsearch":
        env["WIJZER_ELASTICSEARCH_URL"] = service_url("WIJZER_ELASTICSEARCH_URL")
        env["WIJZER_ELASTICSEARCH_INDEX"] = f"wijzer-cli-{uuid.uuid4().hex[:10]}"
    return env


@pytest.fixture
def loaded(runner, data_dir, cli_env):  # type: ignore[no-untyped-def]
    def wijzer(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--data-dir", str(data_dir), *args], env=cli_env)

    assert wijzer("import", str(SEED), "--no-index").exit_code == 0
    rebuilt = wijzer("index", "rebuild", "--no-vectors")
    assert rebuilt.exit_code == 0, rebuilt.output
    assert f"Indexed {SEED_INSTRUMENTS} instruments" in rebuilt.stdout
    yield wijzer
    if cli_env["WIJZER_SEARCH_BACKEND"] == "elasticsearch":
        from wijzer.search.factory import make_backend

        make_backend(
            "elasticsearch",
            index_dir=data_dir,
            elasticsearch_url=cli_env["WIJZER_ELASTICSEARCH_URL"],
            index_name=cli_env["WIJZER_ELASTICSEARCH_INDEX"],
        ).drop_all()


def test_search_json_contract(loaded) -> None:
    result = loaded("search", "leningen", "--top", "5", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["total"] >= 3
    assert len(data["results"]) <= 5
    for row in data["results"]:
        assert {"id", "title", "level", "region", "instrument_type", "deadline", "score"} <= set(
            row
        )
    assert set(data["facets"]) >= {"level", "region", "instrument_type", "theme", "status"}


def test_empty_query_with_filters_lists_the_selection(loaded) -> None:
    result = loaded(
        "search", "--level", "regional", "--region", "Gelderland", "--top", "50", "--format", "json"
    )
    data = json.loads(result.stdout)
    assert data["total"] == 5
    assert {r["region"] for r in data["results"]} == {"Gelderland"}


def test_unknown_filter_value_is_a_clear_error(loaded) -> None:
    result = loaded("search", "x", "--type", "lottery")
    assert result.exit_code == 2
    assert "invalid type: unknown instrument_type 'lottery'" in result.stderr
    result = loaded("search", "x", "--deadline-from", "2024-02-30")
    assert result.exit_code == 2 and "deadline_from" in result.stderr


def test_a_short_list_says_where_the_nearest_in_meaning_begin(runner, data_dir) -> None:  # type: ignore[no-untyped-def]
    env = {"WIJZER_SEARCH_BACKEND": "embedded"}

    def wijzer(*args: str):  # type: ignore[no-untyped-def]
        return runner.invoke(main, ["--data-dir", str(data_dir), *args], env=env)

    assert wijzer("import", str(SEED), "--no-index").exit_code == 0
    assert wijzer("index", "rebuild").exit_code == 0
    # No seed record says "zorg": the list is the nearest in meaning, and says so.
    lines = wijzer("search", "zorg", "--status", "closed", "--status", "open").stdout.splitlines()
    assert lines[:2] == ["10 instruments", "  few instruments match; the nearest in meaning:"]
    assert len(lines) == 12
    data = json.loads(wijzer("search", "zorg", "--format", "json").stdout)
    assert data["results"] and all(r["nearest_only"] for r in data["results"])
    # A word many records contain lists them without the heading.
    many = wijzer("search", "subsidie", "--status", "closed", "--status", "open").stdout
    assert "nearest in meaning" not in many
