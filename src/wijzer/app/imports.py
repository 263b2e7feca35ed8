"""The import use case: validated exchange records into the catalog (all or nothing), then
the index, so search shows them at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.catalog.exchange import ImportReport, import_records
from wijzer.catalog.schema import InstrumentRecord
from wijzer.search.backend import IndexMissing


def import_instruments(
    services: Services,
    records: list[InstrumentRecord],
    changed_by: str,
    *,
    index: bool = True,
    warn: Callable[[str], None] | None = None,
) -> ImportReport:
    """Upsert the records in one transaction; rebuild the index when anything changed (or
    there is none yet). Returns the counts (created, updated, unchanged)."""
    report = import_records(services.catalog, records, changed_by=changed_by)
    if index and not _index_current(services, report.as_dict()):
        rebuild_index(services.catalog, services.backend, services.optional_encoder(warn))
    return report


def _index_current(services: Services, summary: dict[str, Any]) -> bool:
    if summary["created"] or summary["updated"]:
        return False
    try:
        services.backend.info()
    except IndexMissing:
        return False
    return True
