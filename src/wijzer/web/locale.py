"""Dutch and English for every page: locale choice and the message catalogs.

Each area keeps its own catalog (`wijzer/translations/nl/LC_MESSAGES/<area>.po`), so areas
never edit one shared file; all are compiled on start and loaded as Flask-Babel domains.
Source strings are English; Dutch is the default language of the site.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, g, request, session
from flask_babel import Babel

TRANSLATIONS = Path(__file__).parent.parent / "translations"
LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"


def compile_catalogs(root: Path = TRANSLATIONS) -> list[str]:
    """Compile .po files whose .mo is missing or stale; return the domain names found."""
    domains: set[str] = set()
    for po_path in sorted(root.glob("*/LC_MESSAGES/*.po")):
        domains.add(po_path.stem)
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=po_path.parent.parent.name)
        tmp = mo_path.with_suffix(".mo.tmp")
        with tmp.open("wb") as handle:
            write_mo(handle, catalog)
        tmp.replace(mo_path)
    return sorted(domains) or ["messages"]


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


def init_i18n(app: Flask) -> None:
    domains = compile_catalogs()
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config["BABEL_DOMAIN"] = ";".join(domains)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(str(TRANSLATIONS) for _ in domains)
    Babel(app, locale_selector=select_language)

    @app.before_request
    def _remember_language() -> None:
        g.lang = select_language()

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {"lang": g.get("lang", DEFAULT_LANGUAGE), "languages": LANGUAGES}
