"""The message catalogs (`wijzer/translations/<lang>/LC_MESSAGES/<domain>.po`), compiled in memory.

Read through importlib.resources, so an installed (even zipped or read-only) package works;
nothing is written next to the .po files. Source strings are English, so English needs no
catalog. Each area keeps its own domain; pages merge them all, emails and reasons ask for
theirs (two domains may translate one msgid differently: "Type" is "Soort" in alerts).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from importlib import resources

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from wijzer.catalog.taxonomy import LANGUAGES

DEFAULT_LANGUAGE = "nl"
_PACKAGE = "wijzer"
_DIRECTORY = "translations"


def language_of(value: str | None) -> str:
    """nl or en for a language or locale name ("en_GB", "nl-NL", "EN"); Dutch by default."""
    code = (value or "").replace("-", "_").split("_")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def _messages(language: str) -> resources.abc.Traversable:
    return resources.files(_PACKAGE) / _DIRECTORY / language / "LC_MESSAGES"


@functools.cache
def domains() -> tuple[str, ...]:
    """Every domain with a catalog in any language, sorted."""
    names = set()
    for language in LANGUAGES:
        folder = _messages(language)
        if folder.is_dir():
            names |= {e.name[:-3] for e in folder.iterdir() if e.name.endswith(".po")}
    return tuple(sorted(names))


@functools.cache
def _compiled(language: str, domain: str) -> NullTranslations:
    source = _messages(language) / f"{domain}.po"
    if not source.is_file():
        return NullTranslations()
    catalog = read_po(io.BytesIO(source.read_bytes()), locale=language, domain=domain)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)  # fuzzy entries stay out, as msgfmt leaves them
    compiled.seek(0)
    return Translations(compiled, domain=domain)


@functools.cache
def translations(language: str, only: tuple[str, ...] | None = None) -> Translations:
    """The catalogs of `only` (default: every domain) merged, later domains winning."""
    merged = Translations()
    for domain in domains() if only is None else only:
        part = _compiled(language_of(language), domain)
        if isinstance(part, Translations):
            merged.merge(part)
            merged.plural = part.plural  # merge() leaves the plural rule behind
    return merged


def gettext_for(language: str, *only: str) -> Callable[..., str]:
    """A gettext for nl or en over some domains: `_("%(n)d new", n=3)` formats its values."""
    catalog = translations(language_of(language), tuple(only) or None)

    def gettext(message: str, **values: object) -> str:
        text = catalog.gettext(message)
        return text % values if values else text

    return gettext


def ngettext_for(language: str, *only: str) -> Callable[..., str]:
    """The plural counterpart of `gettext_for`; `num` is also a value for the message."""
    catalog = translations(language_of(language), tuple(only) or None)

    def ngettext(singular: str, plural: str, num: int, **values: object) -> str:
        return catalog.ngettext(singular, plural, num) % {"num": num, **values}

    return ngettext


def untranslated(
    language: str, messages: Iterable[str | tuple[str, str]], *only: str
) -> list[str | tuple[str, str]]:
    """The messages (or (singular, plural) pairs) a catalog does not translate; for tests over
    every message in use."""
    catalog = translations(language_of(language), tuple(only) or None)

    def missing(message: str | tuple[str, str]) -> bool:
        if isinstance(message, str):
            return catalog.gettext(message) == message
        singular, plural = message
        return catalog.ngettext(singular, plural, 1) == singular or (
            catalog.ngettext(singular, plural, 2) == plural
        )

    return [m for m in messages if missing(m)]
