"""The Flask application: public site, staff area and JSON API over the shared services."""

from __future__ import annotations

import importlib
import os
import pkgutil
import secrets
from pathlib import Path
from typing import Any

from flask import Flask

from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.web import unavailable
from wijzer.web.locale import init_i18n


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory; test_config may carry a ready `SETTINGS` object."""
    app = Flask(__name__)
    config = test_config or {}
    settings: Settings = config.get("SETTINGS") or Settings.from_env()
    app.config.update(
        SECRET_KEY=settings.secret_key
        or os.environ.get("WIJZER_SECRET_KEY")
        or _dev_secret(settings),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        JSON_SORT_KEYS=False,
    )
    app.config.update(config)
    app.extensions["wijzer"] = Services(settings)
    init_i18n(app)
    _register_blueprints(app)
    unavailable.register(app)
    return app


def services(app: Flask | None = None) -> Services:
    """The shared services of the current (or given) app."""
    from flask import current_app

    return (app or current_app).extensions["wijzer"]


def _dev_secret(settings: Settings) -> str:
    """A random secret kept in the data dir, so sessions survive restarts of a demo."""
    path = Path(settings.data_dir) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_hex(32)
    path.write_text(secret)
    path.chmod(0o600)
    return secret


def _register_blueprints(app: Flask) -> None:
    # Every module under wijzer/web/ whose name ends in `_views` exposes `blueprint`.
    package = Path(__file__).parent
    for module in sorted(
        pkgutil.walk_packages([str(package)], prefix="wijzer.web."), key=lambda m: m.name
    ):
        if module.name.endswith("_views"):
            loaded = importlib.import_module(module.name)
            app.register_blueprint(loaded.blueprint)
