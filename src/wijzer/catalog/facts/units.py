"""A record's text as quotable units: sentences, list items and "label: value" lines.

Page text arrives flattened ("Einddatum:" on one line, "dinsdag 17 september 2024" on the next,
"17:00" on a third); a quote must read as the page does, so a label line is joined with its
value lines before the text is cut into sentences. Headings are kept as the section of the
units under them, which is how a page that describes several schemes is told apart.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from wijzer.catalog.text import fold

# Where a unit comes from: the record's own fields, the source document it points at (or a
# third party's paraphrase of it), or a structured field of the source.
TITLE, SUMMARY, BODY, DOCUMENT, PARAPHRASE, DATA = (
    "title",
    "summary",
    "description",
    "document",
    "paraphrase",
    "data",
)

_BULLET = re.compile(r"^\s*(?:[•·▪◦*]|-(?=\s)|–(?=\s)|\d{1,2}[.)](?=\s)|[a-z][.)](?=\s))\s*")
_TIME_ONLY = re.compile(r"^\d{1,2}[:.]\d{2}(?:\s*(?:uur|AM|PM|am|pm))?(?:\s*\([A-Z]{2,5}\))?$")
# A sentence ends at . ! ? followed by a space and a capital, digit, currency or quote.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9€\"“‘'(\[À-Ý])")
# Abbreviations a sentence does not end on ("max. € 20.000", "o.a. Qredits").
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:max|min|mln|mld|ca|nr|art|bijv|resp|incl|excl|jan|feb|mrt|apr|aug|sep|sept|okt|"
    r"oct|nov|dec|st|no|vs|etc|e\.g|i\.e|o\.a|m\.b\.t|t\.a\.v|z\.s\.m)\.)$",
    re.IGNORECASE,
)
MAX_QUOTE = 320


@dataclass(frozen=True)
class Unit:
    """One quotable piece of text and where it sits."""

    text: str
    origin: str
    #: The heading above it ("" before the first heading).
    section: str = ""
    #: Its position in the record's text, from the start of the title.
    index: int = 0
    #: A list item (a bullet or a numbered line).
    item: bool = False

    @functools.cached_property
    def folded(self) -> str:
        """The text folded (lower case, no accents) once: every extractor reads it."""
        return fold(self.text)

    @property
    def heading(self) -> bool:
        """A heading of the page or document, not its title or summary ("Popular subsidies and
        schemes for business owners", "Regio Zuid"): it names a subject and states nothing."""
        return self.origin not in (TITLE, SUMMARY) and self.text == self.section

    def quote(self) -> str:
        """The unit as evidence: whitespace collapsed, cut at a word near MAX_QUOTE."""
        return clip(self.text)


def clip(text: str, limit: int = MAX_QUOTE) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text.rfind(" ", 0, limit)
    return text[: cut if cut > limit // 2 else limit].rstrip(" ,;:") + " …"


def is_heading(line: str) -> bool:
    """A short line without closing punctuation that starts with a capital: a heading."""
    words = line.split()
    return (
        0 < len(words) <= 16
        and len(line) <= 130
        and not line.endswith((".", ":", ";", ",", "!", "?"))
        and (line[0].isupper() or line[0].isdigit())
        and not _TIME_ONLY.match(line)
        and not re.search(r"[€$]\s*\d|\d\s*%|:\s", line)
    )


def _lines(text: str) -> Iterator[tuple[str, bool]]:
    """(line, is list item), with label lines joined to their values."""
    raw = [line.strip() for line in text.replace("\r", "").split("\n")]
    i = 0
    while i < len(raw):
        line = raw[i]
        i += 1
        if not line:
            continue
        bullet = _BULLET.match(line)
        item = bullet is not None and len(line) > bullet.end()
        if item and bullet:
            line = line[bullet.end() :]
        # "Einddatum:" + "dinsdag 17 september 2024" + "17:00" read as one line.
        if line.endswith(":") and len(line) <= 60:
            values: list[str] = []
            while i < len(raw) and raw[i] and len(values) < 3:
                nxt = raw[i]
                if values and not _TIME_ONLY.match(nxt):
                    break
                if nxt.endswith(":") or _BULLET.match(nxt):
                    break
                values.append(nxt)
                i += 1
                if len(nxt) > 80:
                    break
            if values:
                line = f"{line} {' '.join(values)}"
        yield line, item


def sentences(line: str) -> list[str]:
    """A line cut into sentences, never after an abbreviation."""
    parts: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(line):
        head = line[start : match.start()]
        if _ABBREVIATIONS.search(head):
            continue
        parts.append(head.strip())
        start = match.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def units(text: str, origin: str, start: int = 0) -> list[Unit]:
    """Every sentence or item of a text, each with the heading it sits under."""
    out: list[Unit] = []
    section = ""
    index = start
    for line, item in _lines(text):
        if not item and is_heading(line):
            section = line
            out.append(Unit(line, origin, section, index, False))
            index += 1
            continue
        for sentence in sentences(line):
            out.append(Unit(sentence, origin, section, index, item))
            index += 1
    return out
