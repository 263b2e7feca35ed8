"""The Flask application: public site, staff area and JSON API over the application layer."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask

from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.web import security, unavailable
from wijzer.web.locale import init_i18n


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Application factory; test_config may carry a ready `SETTINGS` object."""
    from wijzer.web.encoding import SharedEncoder

    app = Flask(__name__)
    config = test_config or {}
    settings: Settings = config.get("SETTINGS") or Settings.from_env()
    # Request threads share one encoder that caches and batches (see web/encoding.py).
    services = Services(settings, wrap_encoder=SharedEncoder)
    app.config.update(SECRET_KEY=services.secret_key, JSON_SORT_KEYS=False)
    # Secure cookies need HTTPS: production sets WIJZER_SESSION_COOKIE_SECURE=1; the local
    # demo on http://127.0.0.1 leaves it unset (or test_config sets SESSION_COOKIE_SECURE).
    security.configure(app, settings)
    app.config.update(config)
    app.extensions["wijzer"] = services
    init_i18n(app)
    for blueprint in blueprints():
        app.register_blueprint(blueprint)
    unavailable.register(app)
    security.init_security(app)
    return app


def blueprints() -> list[Blueprint]:
    """Every area of the site, registered here and nowhere else."""
    from wijzer.web.admin.admin_views import blueprint as admin
    from wijzer.web.alerts_views import blueprint as alerts
    from wijzer.web.api_views import blueprint as api
    from wijzer.web.public_views import blueprint as public

    return [public, api, alerts, admin]


def services(app: Flask | None = None) -> Services:
    """The shared services of the current (or given) app."""
    from flask import current_app

    return (app or current_app).extensions["wijzer"]
