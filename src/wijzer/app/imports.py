"""The import use case: validated exchange records into the catalog (all or nothing), then the
search index brought level with the catalog.

The catalog and the index are two systems with no transaction spanning both. The catalog is
the database of record and the index can always be derived from it, so the catalog commits
first and the index follows. When the index cannot follow (backend down, process killed),
`IndexNotUpdated` says exactly what the catalog holds now and how to finish; the next import
of any file, or `wijzer index check --repair`, finds the gap by comparing ids and versions and
closes it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from wijzer.app.indexing import repair_index
from wijzer.app.services import Services
from wijzer.catalog.exchange import ImportReport, ParsedFile, import_records, read_jsonl
from wijzer.catalog.schema import InstrumentRecord
from wijzer.catalog.source_documents import SourceDocument, jsonl_entries
from wijzer.crawler.parsers.sedia import read_page, topic_fields
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice
from wijzer.search.backend import BackendUnavailable

RESUME_HINT = "run `wijzer index check --repair` (or this import again) once it is back"


class IndexNotUpdated(RuntimeError):
    """The catalog committed the import, the search index could not be brought up to date."""

    def __init__(self, report: ImportReport, reason: str):
        super().__init__(reason)
        self.report = report
        self.reason = reason


# Fields an API payload states as data, taken over where the record leaves them out.
_DATA_FIELDS = ("opens_at", "deadlines", "amount_min", "amount_max", "budget_total")


def _document(path: Path, url: str, fields: dict[str, Any]) -> SourceDocument:
    text = fields.get("description") or fields.get("summary") or ""
    return SourceDocument(
        text=text,
        file=path.name,
        url=url,
        verbatim=True,
        complete=True,
        fields={k: fields[k] for k in _DATA_FIELDS if fields.get(k) not in (None, [], "")},
        evidence=fields.get("evidence") or {},
    )


def sedia_entries(path: Path, url: str) -> SourceDocument | None:
    """The topic with this url in a captured SEDIA search response."""
    if path.suffix != ".json":
        return None
    results, *_ = read_page(path.read_bytes())
    for result in results:
        meta = result.get("metadata") if isinstance(result, dict) else None
        if not isinstance(meta, dict):
            continue
        urls = {str(result.get("url") or ""), *map(str, meta.get("url") or [])}
        if url in urls:
            return _document(path, url, topic_fields(result))
    return None


def ted_notice(path: Path, url: str) -> SourceDocument | None:
    """A TED notice file that names this url (the buyer's tender page)."""
    if path.suffix != ".xml":
        return None
    data = path.read_bytes()
    bare = url.split("://", 1)[-1]
    if bare.encode() not in data:
        return None
    return _document(path, url, notice_to_fields(parse_notice(data)))


READERS = (jsonl_entries, sedia_entries, ted_notice)


def read_import_file(path: Path) -> ParsedFile:
    """The records of a JSONL file, each with the source document it names beside the file
    (page excerpts, notes, SEDIA responses, TED notices). RecordError for unreadable files."""
    return read_jsonl(path, READERS)


def import_instruments(
    services: Services,
    records: list[InstrumentRecord],
    changed_by: str,
    *,
    index: bool = True,
    warn: Callable[[str], None] | None = None,
) -> ImportReport:
    """Upsert the records in one transaction, then repair the index (which also repairs what
    an earlier crash or outage left behind). Raises IndexNotUpdated after the catalog commit
    when the search backend cannot be reached."""
    report = import_records(services.catalog, records, changed_by=changed_by)
    if index:
        try:
            report.index = repair_index(services, warn)
        except BackendUnavailable as exc:
            raise IndexNotUpdated(report, str(exc)) from exc
    return report
