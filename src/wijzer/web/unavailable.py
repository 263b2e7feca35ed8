"""503 for a catalog whose schema is not ready: the page says "try later", the log says why."""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue

from wijzer.catalog.schema_revision import CatalogNotReady
from wijzer.web.problems import problem

log = logging.getLogger(__name__)


def _catalog_not_ready(exc: CatalogNotReady) -> ResponseReturnValue:
    # The operator's fix (`wijzer db upgrade`) goes to the log, not to the visitor.
    log.error("catalog not ready on %s: %s", request.path, exc)
    if request.path.startswith("/api/"):
        return problem(503, "The catalog is not available right now; try again later.")
    return render_template("error.html", code=503), 503


def register(app: Flask) -> None:
    app.register_error_handler(CatalogNotReady, _catalog_not_ready)
