"""Bulk tagging: add or remove themes, provinces, sizes or stages on many instruments."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from wijzer.catalog import taxonomy
from wijzer.catalog.curation import CurationError, CurationErrorCode
from wijzer.catalog.curation.editing import edit_fields, get_instrument

# Editable list field -> taxonomy vocabulary its codes come from.
TAG_FIELDS = {"themes": "theme", "regions": "region", "sizes": "size", "stages": "stage"}


def bulk_tag(
    session: Session,
    ids: Sequence[str],
    field: str,
    who: str,
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
    reason: str = "",
) -> list[str]:
    """Tag every instrument (an override + version + audit entry each); returns changed ids."""
    if field not in TAG_FIELDS:
        raise CurationError(
            "field", f"{field!r} cannot be bulk-tagged; use one of {', '.join(TAG_FIELDS)}"
        )
    if not ids:
        raise CurationError("ids", "select at least one instrument", CurationErrorCode.MISSING)
    if not add and not remove:
        raise CurationError(
            "add", "give at least one code to add or remove", CurationErrorCode.MISSING
        )
    vocabulary = TAG_FIELDS[field]
    try:
        adding = {taxonomy.check_code(vocabulary, code) for code in add}
        removing = {taxonomy.check_code(vocabulary, code) for code in remove}
    except ValueError as exc:
        raise CurationError("add" if add else "remove", str(exc)) from None
    for instrument_id in ids:
        get_instrument(session, instrument_id)  # every id must exist before anything changes
    changed = []
    for instrument_id in ids:
        instrument = get_instrument(session, instrument_id)
        current = set(getattr(instrument, field) or [])
        wanted = sorted((current | adding) - removing)
        if wanted != sorted(current) and edit_fields(
            session, instrument_id, {field: wanted}, who, reason, action="bulk_tag"
        ):
            changed.append(instrument_id)
    return changed
