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

from wijzer.app.indexing import repair_index
from wijzer.app.services import Services
from wijzer.catalog.exchange import ImportReport, import_records
from wijzer.catalog.schema import InstrumentRecord
from wijzer.search.backend import BackendUnavailable

RESUME_HINT = "run `wijzer index check --repair` (or this import again) once it is back"


class IndexNotUpdated(RuntimeError):
    """The catalog committed the import, the search index could not be brought up to date."""

    def __init__(self, report: ImportReport, reason: str):
        super().__init__(reason)
        self.report = report
        self.reason = reason


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
