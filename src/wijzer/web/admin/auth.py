"""Staff sessions: who is logged in, CSRF tokens, role checks and a per-IP login throttle."""

from __future__ import annotations

import functools
import hmac
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from wijzer.catalog.curation.accounts import get_user
from wijzer.catalog.curation_models import User
from wijzer.web import services

F = TypeVar("F", bound=Callable[..., Any])
SESSION_USER = "staff_email"
SESSION_CSRF = "csrf_token"


def csrf_token() -> str:
    """The session's CSRF token, made on first use; every admin form posts it back."""
    token = session.get(SESSION_CSRF)
    if not token:
        token = secrets.token_urlsafe(32)
        session[SESSION_CSRF] = token
    return str(token)


def check_csrf() -> None:
    """400 unless the POST carries the session's token (form field or X-CSRF-Token header)."""
    if request.method != "POST":
        return
    expected = session.get(SESSION_CSRF)
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token") or ""
    if not expected or not hmac.compare_digest(str(expected), sent):
        abort(400, description="missing or wrong CSRF token; reload the form and try again")


def current_user() -> User | None:
    """The logged-in staff user, re-read per request so role changes apply at once."""
    if "staff_user" not in g:
        email = session.get(SESSION_USER)
        user = None
        if email:
            with services().catalog.session() as db:
                user = get_user(db, str(email))
        g.staff_user = user
    found: User | None = g.staff_user
    return found


def login_user(user: User) -> None:
    lang = session.get("lang")
    # A fresh session on login (no fixation); the language choice is kept.
    session.clear()
    if lang:
        session["lang"] = lang
    session[SESSION_USER] = user.email
    csrf_token()


def logout_user() -> None:
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def safe_next(target: str | None) -> str:
    """Only same-site paths under /admin; anything else goes to the queue."""
    if target and target.startswith("/admin") and not urlsplit(target).netloc:
        return target
    return url_for("admin.queue_page")


def require_login() -> Any:
    """Redirect anonymous visitors to the login page, remembering where they were going."""
    if request.endpoint in ("admin.login", "admin.static"):
        return None
    if current_user() is None:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    return None


def admin_required(view: F) -> F:
    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        user = current_user()
        if user is None or user.role != "admin":
            abort(403, description="only admins may do this")
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


class LoginThrottle:
    """At most `limit` failed logins per IP within `window` seconds (on top of account lockout)."""

    def __init__(self, limit: int = 20, window: float = 900.0):
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, ip: str, now: float) -> deque[float]:
        failures = self._failures[ip]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, ip: str) -> bool:
        with self._lock:
            return len(self._trim(ip, time.monotonic())) >= self.limit

    def failed(self, ip: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._trim(ip, now).append(now)
