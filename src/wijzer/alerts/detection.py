"""Derive meaningful changes (new, deadline moved, reopened, amount changed, closed early).

Reads `instrument_versions` after a stored watermark, so each version is looked at once;
the changes and the new watermark are written in one transaction (a rerun finds nothing).
Only versions up to the committed horizon are read (catalog.version_feed): a version whose
writer is still in flight when the watermark moves past its id would never be read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.alerts_models import AlertState, DetectedChange
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import InstrumentVersion, utcnow
from wijzer.catalog.status import closes_at
from wijzer.catalog.version_feed import committed_horizon

WATERMARK = "detection_version_id"
AMOUNT_FIELDS = ("amount_min", "amount_max", "budget_total")
# Versions written by staff (catalog.curation) that can move a deadline or an amount.
STAFF_EDITS = ("edited", "override_removed")


def change_kinds(version: InstrumentVersion) -> list[tuple[str, dict[str, Any]]]:
    """The alert-worthy kinds of one version, with the details an email shows."""
    if version.change_kind in ("created", "published"):
        # Published by staff after review: the public sees it for the first time.
        return [("new", {})]
    if version.change_kind not in ("updated", "restored", *STAFF_EDITS):
        return []
    changes = version.changes or {}
    today = version.changed_at.date()
    out: list[tuple[str, dict[str, Any]]] = []
    if "deadlines" in changes:
        old, new = (changes["deadlines"][0] or []), (changes["deadlines"][1] or [])
        old_end, new_end = closes_at(old), closes_at(new)
        details = {"old": _iso(old_end), "new": _iso(new_end)}
        was_open = old_end is None or old_end >= today
        is_open = new_end is None or new_end >= today
        if not was_open and is_open:
            out.append(("reopened", details))
        elif was_open and not is_open:
            out.append(("closed_early", details))
        elif old_end != new_end:
            out.append(("deadline_moved", details))
    elif version.change_kind == "restored":
        out.append(("reopened", {}))
    amounts = {f: changes[f] for f in AMOUNT_FIELDS if f in changes}
    if amounts:
        out.append(("amount_changed", {f: list(v) for f, v in amounts.items()}))
    return out


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _watermark(session: Session) -> AlertState:
    # Locked until this batch commits: two runs started together (beat firing while a run is
    # still going) then take turns, and the second reads the moved watermark instead of
    # inserting the same changes again and failing on their unique key.
    state = session.get(AlertState, WATERMARK, with_for_update=True)
    if state is None:
        state = AlertState(name=WATERMARK, value=0)
        session.add(state)
    return state


def detect_changes(catalog: Catalog, now: dt.datetime | None = None, batch: int = 5000) -> int:
    """Record the changes of every version since the watermark; returns how many were found."""
    now = now or utcnow()
    found = 0
    horizon = committed_horizon(catalog)
    while True:
        with catalog.session() as session:
            state = _watermark(session)
            versions = list(
                session.scalars(
                    select(InstrumentVersion)
                    .where(InstrumentVersion.id > state.value)
                    .where(InstrumentVersion.id <= horizon)
                    .order_by(InstrumentVersion.id)
                    .limit(batch)
                )
            )
            if not versions:
                return found
            for version in versions:
                for kind, details in change_kinds(version):
                    session.add(
                        DetectedChange(
                            instrument_id=version.instrument_id,
                            kind=kind,
                            detected_at=now,
                            version=version.version,
                            version_id=version.id,
                            details=details,
                        )
                    )
                    found += 1
            state.value = versions[-1].id
