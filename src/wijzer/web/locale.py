"""Dutch and English for every page: locale choice, and the message catalogs for Flask-Babel.

The catalogs come from `wijzer.i18n` (compiled in memory from the package's .po files), so
an installed, read-only package serves translated pages. Source strings are English; Dutch
is the default language of the site.
"""

from __future__ import annotations

from functools import cached_property

from babel.support import Translations
from flask import Flask, g, request, session
from flask_babel import Babel, Domain, get_locale

from wijzer.catalog.taxonomy import LANGUAGES
from wijzer.i18n.catalogs import DEFAULT_LANGUAGE, language_of, translations


class _PackagedDomain(Domain):
    """Flask-Babel's domain, reading every catalog from `wijzer.i18n` instead of .mo files."""

    def get_translations(self) -> Translations:
        locale = get_locale()
        return translations(language_of(locale.language if locale else None))


class _Babel(Babel):
    @cached_property
    def domain_instance(self) -> Domain:
        return _PackagedDomain()


def select_language() -> str:
    """?lang= wins and is remembered in the session; then the session; then Accept-Language."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        session["lang"] = asked
        return asked
    remembered = session.get("lang")
    if remembered in LANGUAGES:
        return str(remembered)
    return request.accept_languages.best_match(LANGUAGES) or DEFAULT_LANGUAGE


def reader_language(fallback: str) -> str:
    """The API's language: ?lang=, else Accept-Language when sent, else `fallback` (e.g. the
    profile's language); the API keeps nothing in a session."""
    asked = request.args.get("lang")
    if asked in LANGUAGES:
        return asked
    return request.accept_languages.best_match(LANGUAGES) or language_of(fallback)


def init_i18n(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    _Babel(app, locale_selector=select_language)

    @app.before_request
    def _remember_language() -> None:
        g.lang = select_language()

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {"lang": g.get("lang", DEFAULT_LANGUAGE), "languages": LANGUAGES}
