"""Property-based run of schemathesis against the OpenAPI document: no server errors."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from wijzer.web.openapi import document

OPERATIONS = [(path, method) for path, ops in document()["paths"].items() for method in ops]
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture(scope="module")
def api_schema(app: Any) -> Any:
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_operation_conforms_and_never_fails(api_schema: Any, path: str, method: str) -> None:
    # Driven by hand (not schema.parametrize) so the session's seeded app is reused.
    operation = api_schema[path][method.upper()]

    @given(case=operation.as_strategy())
    @settings(
        max_examples=30,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def run(case: Any) -> None:
        case.call_and_validate(checks=CHECKS)

    run()
