"""The document a backend indexes for one instrument, derived from the catalog record."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from wijzer.catalog.status import record_timeline

# The fields every backend filters, facets or sorts on, declared once: the embedded segment
# indexes whatever these tables name (Elasticsearch also maps them in index_config), so a new
# field is a line here. The whole record is kept as the payload besides.
#
# Keyword fields: filter/facet name -> record key (multi-valued ones are lists in the record).
KEYWORD_LISTS = {"region": "regions", "theme": "themes", "size": "sizes", "stage": "stages"}
KEYWORDS = {
    "level": "level",
    "instrument_type": "instrument_type",
    "language": "language",
    "source": "source",
}
# Number fields: index field -> kind. "date" is a day (YYYY-MM-DD), "instant" a timestamp,
# "number" a float; IndexDocument.number() reads them (record key = field unless it says so).
NUMBERS = {
    "opens_at": "date",
    "closes_at": "date",
    "amount_min": "number",
    "amount_max": "number",
    "updated_at": "instant",
}


class TextEncoder(Protocol):
    """What indexing needs of an encoder: texts in, one vector per text out."""

    name: str
    dimensions: int

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_text(record: dict[str, Any]) -> str:
    """What an encoder reads of an instrument: title, summary and description."""
    parts = [
        record.get("title") or "",
        record.get("summary") or "",
        record.get("description") or "",
    ]
    return "\n".join(p for p in parts if p)[:2000]


def embedder(encoder: TextEncoder) -> Callable[[list[dict[str, Any]]], np.ndarray]:
    """Records in, their embedding_text's vectors out (what duplicate finding compares)."""
    return lambda records: encoder.encode([embedding_text(r) for r in records])


@dataclass
class IndexDocument:
    """One instrument as indexed: its record (payload) and an optional embedding."""

    id: str
    record: dict[str, Any]
    vector: np.ndarray | None = field(default=None, repr=False)

    @property
    def status_periods(self) -> list[tuple[str | None, str | None, str]]:
        """[start, end) ISO days and the status in between; None is unbounded.

        The index keeps these instead of a status, so a query finds the status on its own day
        without a rebuild when the calendar passes a deadline.
        """
        return [
            (start.isoformat() if start else None, end.isoformat() if end else None, status)
            for start, end, status in record_timeline(self.record)
        ]

    @property
    def closes_at(self) -> str | None:
        deadlines = self.record.get("deadlines") or []
        return max(deadlines) if deadlines else None

    @property
    def text_fields(self) -> dict[str, str]:
        """The searchable text, by weight class: title, summary, body."""
        record = self.record
        extra = record.get("extra") or {}
        body_parts = [record.get("description") or "", record.get("funder") or ""]
        for key in ("programme", "call", "cpv_labels", "keywords"):
            value = extra.get(key)
            if isinstance(value, list):
                body_parts.extend(str(v) for v in value)
            elif value:
                body_parts.append(str(value))
        return {
            "title": record.get("title") or "",
            "summary": record.get("summary") or "",
            "body": " ".join(body_parts),
        }

    def number(self, field: str) -> Any:
        """The raw value of a number field (see NUMBERS), None when the record has none."""
        if field == "closes_at":
            return self.closes_at
        if field == "updated_at":
            return self.record.get("updated_at") or self.record.get("created_at")
        return self.record.get(field)

    def values(self, facet: str) -> list[str]:
        """The keyword values of a filterable field (lists for multi-valued ones)."""
        if facet in KEYWORD_LISTS:
            return list(self.record.get(KEYWORD_LISTS[facet]) or [])
        value = self.record.get(KEYWORDS[facet])
        return [value] if value else []


def documents_of(
    records: Sequence[dict[str, Any]], encoder: TextEncoder | None, batch: int = 256
) -> Iterator[IndexDocument]:
    """Index documents for catalog records, with vectors when an encoder is given."""
    for start in range(0, len(records), batch):
        chunk = records[start : start + batch]
        vectors: Sequence[np.ndarray | None]
        if encoder is not None:
            vectors = list(encoder.encode([embedding_text(r) for r in chunk]))
        else:
            vectors = [None] * len(chunk)
        for record, vector in zip(chunk, vectors, strict=True):
            yield IndexDocument(record["id"], record, vector)
