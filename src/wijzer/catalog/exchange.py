"""Import and export instruments as JSONL in the seed exchange format."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from wijzer.catalog import json_input
from wijzer.catalog.curation.hooks import source_store
from wijzer.catalog.db import Catalog
from wijzer.catalog.enrichment import fill_missing
from wijzer.catalog.json_input import JSONInputError
from wijzer.catalog.repository import InstrumentStore, instrument_to_dict
from wijzer.catalog.schema import InstrumentRecord, RecordError, parse_record, to_exchange


@dataclass
class ParsedFile:
    records: list[InstrumentRecord] = field(default_factory=list)
    errors: list[RecordError] = field(default_factory=list)


@dataclass
class ImportReport:
    counts: Counter[str] = field(default_factory=Counter)
    skipped: list[RecordError] = field(default_factory=list)
    #: What was done to the search index afterwards (None: nothing was needed or asked).
    index: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "created": self.counts["created"],
            "updated": self.counts["updated"] + self.counts["restored"],
            "unchanged": self.counts["unchanged"],
            "skipped": [
                {"line": e.line, "field": e.field, "reason": e.reason} for e in self.skipped
            ],
        }


def parse_jsonl(lines: Iterable[str]) -> ParsedFile:
    """Decode and validate every line; collect all errors instead of stopping at the first."""
    parsed = ParsedFile()
    seen: dict[str, int] = {}
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text:
            continue
        try:
            data = json_input.loads(text)
        except JSONInputError as exc:
            parsed.errors.append(RecordError(number, "(json)", str(exc)))
            continue
        try:
            # Crawler enrichment: a record without themes gets them inferred from its text.
            record = parse_record(fill_missing(data) if isinstance(data, dict) else data, number)
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
    return parsed


def read_jsonl(path: Path) -> ParsedFile:
    try:
        with path.open(encoding="utf-8") as handle:
            return parse_jsonl(handle)
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
                for record in records:
                    report.counts[store.upsert(record, changed_by).kind] += 1
                    if progress:
                        progress(1)
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


def export_records(catalog: Catalog, out: IO[str], *, include_unlisted: bool = False) -> int:
    count = 0
    for row in iter_export(catalog, include_unlisted=include_unlisted):
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def iter_export(catalog: Catalog, *, include_unlisted: bool = False) -> Iterator[dict[str, Any]]:
    with catalog.session() as session:
        store = InstrumentStore(session)
        rows = store.all() if include_unlisted else store.listed()
        for instrument in rows:
            yield to_exchange(instrument_to_dict(instrument))
