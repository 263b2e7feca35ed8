"""The one mapping from "a service behind the site is unavailable" to 503 with Retry-After,
for pages and the API alike: the visitor is told to try later, the log says why."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue

from wijzer.catalog.schema_revision import CatalogNotReady
from wijzer.search.backend import BackendUnavailable, IndexMissing
from wijzer.web.problems import problem

log = logging.getLogger(__name__)

# Long enough for a node restart or a short network cut; clients and proxies honour it.
RETRY_AFTER_SECONDS = 30
UNAVAILABLE = (CatalogNotReady, BackendUnavailable, IndexMissing)


def _unavailable(exc: Exception) -> ResponseReturnValue:
    # The operator's fix (`wijzer db upgrade`, start Elasticsearch, `wijzer index rebuild`)
    # goes to the log, not to the visitor.
    log.error("service unavailable on %s: %s", request.path, exc)
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        detail = "This service is not available right now; try again later."
        return problem(503, detail, headers=headers)
    return render_template("error.html", code=503), 503, headers


def register(app: Flask) -> None:
    for error in UNAVAILABLE:
        app.register_error_handler(error, _unavailable)
