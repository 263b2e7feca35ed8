"""Language detection restricted to the catalog's languages (Dutch and English)."""

from __future__ import annotations

import functools

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

_CODES = {Language.DUTCH: "nl", Language.ENGLISH: "en"}
_NOTICE_LANGUAGES = {"NLD": "nl", "NL": "nl", "ENG": "en", "EN": "en"}


@functools.cache
def _detector() -> LanguageDetector:
    # Built once per process: loading the models takes a second or two.
    return LanguageDetectorBuilder.from_languages(*_CODES).with_low_accuracy_mode().build()


def detect_language(text: str, default: str = "nl") -> str:
    """nl or en for the text; the default when the text is too short to tell."""
    if len(text.strip()) < 12:
        return default
    found = _detector().detect_language_of(text[:3000])
    return _CODES.get(found, default) if found else default


def notice_language(code: str | None, default: str = "en") -> str:
    """A notice's ISO 639 code (NLD, EN, ...) as nl/en; other languages fall back to default."""
    return _NOTICE_LANGUAGES.get((code or "").strip().upper(), default)
