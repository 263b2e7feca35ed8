"""Crawled prose as the public reads it: no notes about the crawl, no raw ISO dates.

Some listings end their summary with what the listing builder saw when it captured the source,
e.g. "status in the captured response: Forthcoming; deadline(s): 2027-04-08, 2027-09-14."
The status is as of the capture (pages show the status derived today), so that note is left
out; the deadlines are facts of the source (the second one is stated nowhere else), so they
stay, written as the text's own language writes dates ("8 April 2027" in an English summary,
not a Dutch date inside an English sentence). The record itself keeps its text unchanged.
"""

from __future__ import annotations

import datetime as dt
import re

from wijzer.i18n.formatting import format_date

_CAPTURE_STATUS = re.compile(r"\bstatus in the captured response:\s*[^;.]*(?:;\s*|\.\s*|$)", re.I)
_ISO_DATE = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")


def _date(match: re.Match[str], language: str) -> str:
    try:
        return format_date(dt.date.fromisoformat(match.group(1)), language)
    except ValueError:
        return match.group(0)  # not a calendar date: leave the text as the source wrote it


def public_text(text: str | None, language: str | None) -> str:
    """`text` without capture notes and with ISO dates in `language` (the text's language)."""
    if not text:
        return ""
    cleaned = _CAPTURE_STATUS.sub("", text).strip()
    cleaned = re.sub(r"[;,]\s*$", ".", cleaned)
    return _ISO_DATE.sub(lambda m: _date(m, language or "en"), cleaned)
