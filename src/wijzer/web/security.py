"""The web app's protections, set up once by the app factory for every area of the site:
request size and JSON policy, CSRF tokens on every form, rate limits, cookies, staff caching.

A new form only has to post `csrf_token()` (a template global); a new costly or mail-sending
route gets its limits by adding its endpoint to RATE_LIMITS.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask, Request, Response, render_template, request
from flask.json.provider import DefaultJSONProvider
from flask_limiter import Limiter, RequestLimit
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import BadRequest

from wijzer.app.settings import Settings
from wijzer.catalog import json_input
from wijzer.web.problems import problem

# The largest body anyone needs is a match profile: a 5,000-character description and 200
# excluded ids, about 50 KB. Werkzeug answers 413 before reading more.
MAX_CONTENT_LENGTH = 256 * 1024
# Form fields in memory and the number of fields (the admin tag form posts ids one by one).
MAX_FORM_MEMORY_SIZE = 64 * 1024
MAX_FORM_PARTS = 1000
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


@dataclass(frozen=True)
class RouteLimit:
    """Flask-Limiter limit strings for one endpoint, counted per `key` ("address": the client's
    address; "recipient": the email address a form asks us to write to)."""

    limit: str
    methods: tuple[str, ...] = ("POST",)
    key: str = "address"
    #: Only requests that did the costly thing count (e.g. a confirmation mail was queued).
    only_successful: bool = False
    #: Only counted when the request submits something (a GET form with its fields).
    when_submitted: str | None = None


# Why these numbers: a person subscribes once or twice and logs in a few times a day; a
# matching request costs ~50 ms of CPU on the encoder. The per-recipient limit is what stops
# the site from being used to mail someone: whatever addresses an attacker sends from, one
# inbox gets at most three confirmation mails a day.
RATE_LIMITS: dict[str, list[RouteLimit]] = {
    "alerts.subscribe": [
        RouteLimit("10 per hour"),
        RouteLimit("3 per day", key="recipient", only_successful=True),
    ],
    "admin.login": [RouteLimit("10 per minute;100 per day")],
    "public.match": [RouteLimit("30 per minute", methods=("GET",), when_submitted="description")],
    "api.match": [RouteLimit("30 per minute")],
}


class PolicyJSONProvider(DefaultJSONProvider):
    """Every `request.get_json()` of the app decodes under catalog.json_input's policy."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        return json_input.loads(s)


class PolicyRequest(Request):
    """Flask's request, saying why a JSON body was refused (Flask hides the reason)."""

    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        raise BadRequest(f"The body is not acceptable JSON: {e}")


def _recipient() -> str:
    # Normalised as subscriptions normalise it, so case variants share one budget.
    email = (request.form.get("email") or "").strip().lower()
    return f"recipient:{email}" if email else ""


KEYS: dict[str, Callable[[], str]] = {"address": get_remote_address, "recipient": _recipient}


def storage_uri(settings: Settings) -> str:
    """memory:// on one machine (the embedded demo); Redis, shared by every server process,
    when WIJZER_RATE_LIMIT_STORAGE=redis (production)."""
    return settings.redis_url if settings.rate_limit_storage == "redis" else "memory://"


def configure(app: Flask, settings: Settings) -> None:
    """Config every area relies on; runs before the blueprints are registered."""
    app.json = PolicyJSONProvider(app)
    app.request_class = PolicyRequest
    app.config.update(
        MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH,
        MAX_FORM_MEMORY_SIZE=MAX_FORM_MEMORY_SIZE,
        MAX_FORM_PARTS=MAX_FORM_PARTS,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Checked by our own hook below, so that the JSON API and one-click unsubscribe can
        # be left out by rule instead of route by route.
        WTF_CSRF_CHECK_DEFAULT=False,
        RATELIMIT_STORAGE_URI=storage_uri(settings),
        # Counts the requests of the last window wherever it starts: no burst of twice the
        # limit across a window boundary, and Retry-After is when the oldest request expires.
        RATELIMIT_STRATEGY="moving-window",
        API_RATE_LIMIT=settings.api_rate_limit,
    )
    if settings.session_cookie_secure:
        # Behind HTTPS: the cookie never travels in clear, and the __Host- prefix pins it to
        # this host and path (no subdomain can set or overwrite it).
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_NAME="__Host-session")


def init_security(app: Flask) -> None:
    """CSRF, rate limits and response headers; runs after the blueprints are registered."""
    csrf = CSRFProtect(app)

    @app.before_request
    def _check_csrf() -> None:
        if request.method in SAFE_METHODS or not _needs_csrf():
            return
        csrf.protect()

    if app.config.get("RATELIMIT_ENABLED", True):
        _limit(app)

    @app.after_request
    def _headers(response: Response) -> Response:
        if request.blueprint == "admin":
            # Staff pages hold unpublished records and account data: never cached.
            response.headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _needs_csrf() -> bool:
    if request.endpoint is None:
        return False  # no such route or method: the 404 or 405 follows
    if request.blueprint == "api":
        # Cookie-less JSON: a cross-site page can neither read it nor act as someone.
        return False
    # RFC 8058: a mail client's unsubscribe button POSTs this body without any page state;
    # the signed token in the URL authorises it.
    one_click = request.form.get("List-Unsubscribe") == "One-Click"
    return not (request.endpoint == "alerts.unsubscribe" and one_click)


def _limit(app: Flask) -> Limiter:
    # Redis unreachable: count in memory rather than fail every request.
    limiter = Limiter(
        get_remote_address, app=app, in_memory_fallback_enabled=True, on_breach=_too_many
    )
    per_minute = int(app.config["API_RATE_LIMIT"])
    if per_minute > 0:
        limiter.limit(f"{per_minute} per minute")(app.blueprints["api"])  # type: ignore[call-overload]
    for endpoint, limits in RATE_LIMITS.items():
        view: Any = app.view_functions[endpoint]
        for spec in limits:
            view = limiter.limit(
                spec.limit,
                key_func=KEYS[spec.key],
                methods=list(spec.methods),
                deduct_when=(lambda r: r.status_code < 400) if spec.only_successful else None,
                exempt_when=_not_submitted(spec.when_submitted),
            )(view)
        app.view_functions[endpoint] = view
    return limiter


def _too_many(limit: RequestLimit) -> Response:
    """429 with Retry-After: the seconds until the oldest counted request leaves the window
    (problem+json on the API, the error page elsewhere)."""
    retry = {"Retry-After": str(max(1, math.ceil(limit.reset_at - time.time())))}
    if request.blueprint == "api":
        return problem(429, f"Rate limit of {limit.limit} reached; retry later.", headers=retry)
    page = render_template("error.html", code=429)
    return Response(page, status=429, headers=retry, mimetype="text/html")


def _not_submitted(field: str | None) -> Callable[[], bool] | None:
    if field is None:
        return None
    return lambda: field not in request.values
