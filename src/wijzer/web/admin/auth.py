"""Staff sessions in the web app: who is logged in, logging in and out, role checks, safe
redirects. The session itself lives in the catalog (catalog.curation.sessions); the signed
cookie only carries its random token. CSRF and rate limits are web/security.py's."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import abort, g, redirect, request, session, url_for

from wijzer.catalog.curation.sessions import end_session, session_user, start_session
from wijzer.catalog.curation_models import User
from wijzer.web import services

F = TypeVar("F", bound=Callable[..., Any])
SESSION_TOKEN = "staff_session"


def current_user() -> User | None:
    """The logged-in staff user, re-read per request so role changes and ended sessions apply
    at once."""
    if "staff_user" not in g:
        token = session.get(SESSION_TOKEN)
        user = None
        if token:
            with services().catalog.session() as db:
                user = session_user(db, str(token))
            if user is None:
                # Ended elsewhere (logout, password change, timeout): forget the dead token.
                session.pop(SESSION_TOKEN, None)
        g.staff_user = user
    found: User | None = g.staff_user
    return found


def _fresh_cookie_session() -> None:
    """Empty the cookie session but keep the language choice (a new session on login and
    logout: nothing from before carries over)."""
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


def login_user(db: Any, user: User) -> None:
    _fresh_cookie_session()
    session[SESSION_TOKEN] = start_session(db, user)
    g.staff_user = user


def logout_user() -> None:
    token = session.get(SESSION_TOKEN)
    if token:
        with services().catalog.session() as db:
            end_session(db, str(token))
    _fresh_cookie_session()
    g.staff_user = None


def safe_next(target: str | None) -> str:
    """Only paths of this site under /admin; anything else goes to the queue."""
    if target:
        parts = urlsplit(target)
        # "//evil.example/admin" and "/\\evil.example" are absolute URLs to browsers.
        same_site = not parts.scheme and not parts.netloc and not target.startswith(("//", "/\\"))
        if same_site and (parts.path == "/admin" or parts.path.startswith("/admin/")):
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
