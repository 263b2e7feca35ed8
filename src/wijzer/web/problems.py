"""RFC 7807 problem details and the JSON text of every API response."""

from __future__ import annotations

import json
import math
from typing import Any

from flask import Response, request

PROBLEM_TYPE = "application/problem+json"

TITLES = {
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    413: "Content Too Large",
    415: "Unsupported Media Type",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


def json_text(data: Any) -> str:
    """JSON for a response: always valid JSON, so a number that is not finite (a record stored
    before the catalog refused them) is written as null, never as `Infinity`."""
    return json.dumps(_finite(data), ensure_ascii=False, default=str, allow_nan=False)


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def problem(
    status: int,
    detail: str,
    *,
    parameter: str | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response; `parameter` names the offending input when there is one."""
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status, "Error"),
        "status": status,
        "detail": detail,
        "instance": request.path,
    }
    if parameter is not None:
        body["parameter"] = parameter
    body.update(extra)
    response = Response(json_text(body), status=status, mimetype=PROBLEM_TYPE)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
