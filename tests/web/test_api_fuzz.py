"""Property-based run of schemathesis against the OpenAPI document with every check it has
(`--checks all`), over a catalog that also holds an instrument with extreme numbers: no server
error, valid JSON always."""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import CHECKS, load_all_checks

from tests.conftest import upgraded_data_dir
from tests.web.conftest import TEST_SECRET, Site, _seed
from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.money import MAX_EUROS
from wijzer.catalog.schema import parse_record
from wijzer.web import create_app
from wijzer.web.openapi import document

OPERATIONS = [(path, method) for path, ops in document()["paths"].items() for method in ops]
load_all_checks()
ALL_CHECKS = CHECKS.get_all()  # `--checks all`

# Examples per operation in the suite; a deeper run: WIJZER_FUZZ_EXAMPLES=500 make pytest ...
EXAMPLES = int(os.environ.get("WIJZER_FUZZ_EXAMPLES", "30"))
EXTREME_ID = "test-extreme-numbers"
EXTREME = {
    "id": EXTREME_ID,
    "title": "Uiterste bedragen 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " + "x" * 460,
    "summary": "innovatie subsidie",
    "level": "national",
    "instrument_type": "loan",
    "amount_min": 0,
    "amount_max": MAX_EUROS,
    "budget_total": MAX_EUROS,
    "opens_at": "0001-01-01",
    "deadlines": ["0001-01-01", "1970-01-01", "2038-01-19", "9999-12-31"],
    "themes": ["innovatie"],
}


def _crosses_parameters(case: Any) -> bool:
    """Rules between parameters that a schema cannot state (the API answers them with a 400
    naming the parameter, see test_api): a range ending before it starts, closes_within with
    explicit deadlines."""
    query = case.query or {}

    def given_(*names: str) -> bool:
        return all(query.get(n) not in (None, "") for n in names)

    if given_("deadline_from", "deadline_to") and query["deadline_to"] < query["deadline_from"]:
        return True
    if given_("amount_min", "amount_max") and query["amount_max"] < query["amount_min"]:
        return True
    return given_("closes_within") and (given_("deadline_from") or given_("deadline_to"))


@pytest.fixture(scope="module")
def extreme_app(
    tmp_path_factory: pytest.TempPathFactory, upgraded_sqlite_file: Path, site: Site
) -> Iterator[Flask]:
    data_dir = upgraded_data_dir(tmp_path_factory.mktemp("extreme") / "data", upgraded_sqlite_file)
    services = Services(site.settings.model_copy(update={"data_dir": data_dir}))
    _seed(services)
    with services.catalog.session() as session:
        store = source_store(session)
        store.upsert(parse_record(EXTREME), "import")
    services.__dict__["encoder"] = site.services.encoder
    rebuild_index(services.catalog, services.backend, services.encoder)
    app = create_app(
        {"SETTINGS": services.settings, "TESTING": True, "SECRET_KEY": TEST_SECRET}
        | {"API_RATE_LIMIT": 0, "RATELIMIT_ENABLED": False}
    )
    app.extensions["wijzer"] = services
    yield app
    services.close()


@pytest.fixture(scope="module")
def api_schema(extreme_app: Flask) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", extreme_app)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_operation_passes_every_check(api_schema: Any, path: str, method: str) -> None:
    # Driven by hand (not schema.parametrize) so the module's app is built once.
    operation = api_schema[path][method.upper()]

    @given(case=operation.as_strategy().filter(lambda case: not _crosses_parameters(case)))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=ALL_CHECKS)

    run()


def test_extreme_numbers_come_out_as_valid_json(extreme_app: Flask) -> None:
    client = extreme_app.test_client()
    for path in (
        f"/api/v1/instruments/{EXTREME_ID}",
        "/api/v1/instruments?q=uiterste&per_page=50",
        "/api/v1/instruments.json?q=uiterste",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert "Infinity" not in text and "NaN" not in text, path
        json.loads(text)  # strict JSON parsers accept it
    record = client.get(f"/api/v1/instruments/{EXTREME_ID}").get_json()
    assert (record["amount_min"], record["amount_max"]) == (0, MAX_EUROS)
    assert client.get(f"/instruments/{EXTREME_ID}").status_code == 200


def test_a_number_that_is_not_finite_is_written_as_null() -> None:
    from wijzer.web.problems import json_text

    assert json.loads(json_text({"a": [math.inf, -math.inf, math.nan, 1.5]})) == {
        "a": [None, None, None, 1.5]
    }
