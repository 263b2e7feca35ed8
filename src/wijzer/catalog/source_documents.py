"""A record's own source document: the text behind an imported record, with where it is from.

An import line may name the file its facts were read from (`source_file`, relative to the
imported file) and its page (`url`). When that file holds an entry for exactly that url, the
entry's text travels with the record (`source_text`) with its provenance (`source_document`:
file, url, when it was collected, whether it is complete and verbatim), so facts are read from
the source's own words and the page can quote them. Another record's text is never used.

Readers know file formats: JSONL page excerpts and third-party notes here; the application
layer adds readers for API payloads the crawler parses (SEDIA search responses, TED notices).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class SourceDocument:
    """The text of one page (or payload entry) and where it comes from."""

    text: str
    file: str
    url: str
    collected_at: str | None = None
    complete: bool | None = None
    #: False for a third party's paraphrase (notes), True for the page's own words.
    verbatim: bool = True
    #: Values the document states as data (an API's dates or budget), with their quotes.
    fields: dict[str, Any] = field(default_factory=dict)
    evidence: dict[str, Any] = field(default_factory=dict)

    def provenance(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "url": self.url,
            "collected_at": self.collected_at,
            "complete": self.complete,
            "verbatim": self.verbatim,
        }


# A reader gets a file and a url, and returns that url's entry, or None (not its format or no
# entry for the url). It may raise OSError or ValueError for unreadable files.
Reader = Callable[[Path, str], SourceDocument | None]


def _same_url(a: str, b: str) -> bool:
    return a.strip().rstrip("/") == b.strip().rstrip("/")


def jsonl_entries(path: Path, url: str) -> SourceDocument | None:
    """An entry of a JSONL file of page excerpts (`excerpt` or `text`) or notes (`facts`)."""
    if path.suffix != ".jsonl":
        return None
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            if not line.strip():
                continue
            entry = json.loads(line)
            if not isinstance(entry, dict) or not _same_url(str(entry.get("url") or ""), url):
                continue
            notes = entry.get("facts")
            if isinstance(notes, list):
                text = "\n".join(str(n) for n in notes)
            else:
                text = str(entry.get("excerpt") or entry.get("text") or "")
            if not text.strip():
                return None
            return SourceDocument(
                text=text,
                file=path.name,
                url=url,
                collected_at=entry.get("collected_at"),
                complete=entry.get("complete"),
                verbatim=entry.get("verbatim") is not False and not isinstance(notes, list),
            )
    return None


class DocumentFiles:
    """Source documents named by the records of one import file, each file read once."""

    def __init__(self, base: Path, readers: Sequence[Reader] = (jsonl_entries,)):
        self.base = base.resolve()
        self.readers = tuple(readers)
        self._cache: dict[tuple[str, str], SourceDocument | None] = {}

    def find(self, source_file: str, url: str | None) -> SourceDocument | None:
        """The entry for `url` in `source_file` (relative to the imported file), or None."""
        if not source_file or not url:
            return None
        key = (source_file, url)
        if key not in self._cache:
            self._cache[key] = self._read(source_file, url)
        return self._cache[key]

    def _read(self, source_file: str, url: str) -> SourceDocument | None:
        path = (self.base / source_file).resolve()
        # Only files beside the imported one: a record cannot make the import read elsewhere.
        if self.base not in path.parents or not path.is_file():
            return None
        for reader in self.readers:
            try:
                found = reader(path, url)
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            if found is not None:
                return SourceDocument(
                    found.text,
                    source_file,
                    found.url,
                    found.collected_at,
                    found.complete,
                    found.verbatim,
                    found.fields,
                    found.evidence,
                )
        return None
