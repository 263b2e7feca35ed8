"""Manual listings: instruments staff enter because no source publishes them."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, CurationErrorCode, audit
from wijzer.catalog.curation.editing import EDITABLE_FIELDS, MANUAL_SOURCE, staff
from wijzer.catalog.repository import InstrumentStore, record_content
from wijzer.catalog.schema import RecordError, parse_record


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:60].strip("-") or "instrument"


def create_manual(session: Session, values: dict[str, Any], who: str, reason: str = "") -> str:
    """Store a new manual listing (published at once) and return its id."""
    unknown = sorted(set(values) - set(EDITABLE_FIELDS))
    if unknown:
        raise CurationError(
            unknown[0], "cannot be set on a listing", CurationErrorCode.NOT_EDITABLE
        )
    instrument_id = f"manual-{_slug(str(values.get('title') or ''))}-{secrets.token_hex(3)}"
    data = {**values, "id": instrument_id, "source": MANUAL_SOURCE}
    try:
        record = parse_record(data)
    except RecordError as exc:
        raise CurationError(exc.field, exc.reason) from None
    InstrumentStore(session).upsert(record, staff(who), review_state="published")
    audit.record(
        session, who, "create_manual", instrument_id, after=record_content(record), reason=reason
    )
    return instrument_id
