"""Import and export instruments as JSONL in the seed exchange format."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from wijzer.catalog import json_input
from wijzer.catalog.curation.editing import overridden_fields
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.curation.resolution import resolve
from wijzer.catalog.db import Catalog
from wijzer.catalog.fact_view import fact_view
from wijzer.catalog.json_input import JSONInputError
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.catalog.schema import InstrumentRecord, RecordError, parse_record, to_exchange
from wijzer.catalog.source_documents import DocumentFiles, Reader, SourceDocument, jsonl_entries


@dataclass
class ParsedFile:
    records: list[InstrumentRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[RecordError] = field(default_factory=list)
    # Entity resolution: records merged into another record of the same instrument, and
    # look-alikes queued for staff.
    merged: int = 0
    queued: int = 0
    #: What was done to the search index afterwards (None: nothing was needed or asked).
    index: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.counts["created"],
            "updated": self.counts["updated"] + self.counts["restored"],
            "unchanged": self.counts["unchanged"],
            "merged": self.merged,
            "duplicate_hints": self.queued,
            "skipped": [
                {"line": e.line, "field": e.field, "reason": e.reason} for e in self.skipped
            ],
        }


def parse_jsonl(lines: Iterable[str], documents: DocumentFiles | None = None) -> ParsedFile:
    """Decode and validate every line; collect all errors instead of stopping at the first.

    With `documents`, a record that names its `source_file` and `url` gets that entry's text
    as its source document (see `catalog.source_documents`).
    """
    parsed = ParsedFile()
    decoded: list[tuple[int, Any]] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            decoded.append((number, json_input.loads(text)))
        except JSONInputError as exc:
            parsed.errors.append(RecordError(number, "(json)", str(exc)))
    if documents is not None:
        decoded = _with_documents(decoded, documents)
    seen: dict[str, int] = {}
    for number, data in decoded:
        try:
            record = parse_record(data, number)
        except RecordError as exc:
            parsed.errors.append(exc)
            continue
        if record.id in seen:
            parsed.errors.append(
                RecordError(
                    number, "id", f"duplicate id {record.id!r} (first on line {seen[record.id]})"
                )
            )
            continue
        seen[record.id] = number
        parsed.records.append(record)
    parsed.errors.sort(key=lambda e: e.line)
    return parsed


def _document_key(data: Any) -> tuple[str, str] | None:
    if not isinstance(data, dict) or "source_text" in data:
        return None
    source_file, url = data.get("source_file"), data.get("url")
    return (source_file, url) if isinstance(source_file, str) and isinstance(url, str) else None


def _with_documents(
    decoded: list[tuple[int, Any]], documents: DocumentFiles
) -> list[tuple[int, Any]]:
    """Each record with its own source document; records sharing one know each other."""
    titles: dict[tuple[str, str], list[str]] = {}
    for _, data in decoded:
        key = _document_key(data)
        if key is not None:
            titles.setdefault(key, []).append(str(data.get("title") or ""))
    out = []
    for number, data in decoded:
        key = _document_key(data)
        document = documents.find(*key) if key else None
        if key is not None and document is not None:
            others = [t for t in titles[key] if t != data.get("title")]
            data = _attach(dict(data), document, others)
        out.append((number, data))
    return out


def _attach(data: dict[str, Any], document: SourceDocument, others: list[str]) -> dict[str, Any]:
    data["source_text"] = document.text
    data["source_document"] = {**document.provenance(), "shared_with": others}
    if not data.get("fetched_at") and document.collected_at:
        # When the source text was collected is when the source was last seen.
        data["fetched_at"] = document.collected_at
    evidence = dict(data.get("evidence") or {})
    for name, value in document.fields.items():
        if name == "deadlines":
            stated = list(data.get("deadlines") or [])
            if data.get("deadline"):
                stated.append(data.pop("deadline"))
            data["deadlines"] = sorted({*map(str, stated), *map(str, value)})
        elif data.get(name) in (None, "", []):
            data[name] = value
        else:
            continue
        if name in document.evidence:
            evidence[name] = document.evidence[name]
    if evidence:
        data["evidence"] = evidence
    return data


def read_jsonl(path: Path, readers: Sequence[Reader] = (jsonl_entries,)) -> ParsedFile:
    """The records of a JSONL file, each with the source document it names beside the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_jsonl(handle, DocumentFiles(path.parent, readers))
    except UnicodeDecodeError as exc:
        raise RecordError(0, "(file)", f"not UTF-8 text: {exc.reason}") from None


class ImportConflict(RuntimeError):
    """Other writers kept changing the same instruments; nothing of this import was stored."""


# A concurrent import of the same new ids loses the race on the primary key (PostgreSQL) or
# on the write lock (SQLite); a second attempt sees the winner's rows and updates them.
CONFLICT_ATTEMPTS = 3
_CONCURRENT = ("database is locked", "deadlock detected", "could not serialize")


def _concurrent_write(exc: DBAPIError) -> bool:
    return isinstance(exc, IntegrityError) or any(m in str(exc.orig) for m in _CONCURRENT)


def import_records(
    catalog: Catalog,
    records: list[InstrumentRecord],
    changed_by: str = "import",
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Upsert all records in one transaction: either all are stored or none.

    Raises ImportConflict when concurrent writers of the same instruments win every attempt.
    """
    for attempt in range(1, CONFLICT_ATTEMPTS + 1):
        report = ImportReport()
        try:
            with catalog.session() as session:
                store = source_store(session)
                changed = []
                for record in records:
                    outcome = store.upsert(record, changed_by)
                    report.counts[outcome.kind] += 1
                    if outcome.kind != "unchanged":
                        changed.append(record.id)
                    if progress:
                        progress(1)
                # One public record per instrument, decided before the import is visible.
                resolution = resolve(session, changed, changed_by)
                report.merged = len(resolution.merged)
                report.queued = len(resolution.queued) + len(resolution.refused)
            return report
        except (IntegrityError, OperationalError) as exc:
            if not _concurrent_write(exc):
                raise
            if attempt == CONFLICT_ATTEMPTS:
                raise ImportConflict(
                    "another import was writing the same instruments at the same time;"
                    " nothing of this file was stored, run it again"
                ) from exc
    raise AssertionError("unreachable")


def export_records(
    catalog: Catalog,
    out: IO[str],
    *,
    include_unlisted: bool = False,
    today: dt.date | None = None,
) -> int:
    count = 0
    for row in iter_export(catalog, include_unlisted=include_unlisted, today=today):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def iter_export(
    catalog: Catalog, *, include_unlisted: bool = False, today: dt.date | None = None
) -> Iterator[dict[str, Any]]:
    """Every record in the exchange format with its facts as of `today` (see `fact_view`)."""
    today = today or dt.date.today()
    with catalog.session() as session:
        store = InstrumentStore(session)
        overridden = overridden_fields(session)
        rows = store.all() if include_unlisted else store.listed()
        for instrument in rows:
            record = instrument_to_dict(instrument)
            view = fact_view(record, today, overridden.get(instrument.id))
            # The contract's `evidence` is {fact: quote}; the stored quotes with their origins
            # travel as `evidence_detail`, which an import reads back.
            yield to_exchange({**record, "evidence_detail": record["evidence"], **view})
