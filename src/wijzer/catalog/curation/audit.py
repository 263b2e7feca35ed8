"""The audit log of staff actions: record, filter, export as CSV."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation_models import AuditEntry
from wijzer.catalog.models import utcnow
from wijzer.catalog.safe_text import spreadsheet_cell


def record(
    session: Session,
    who: str,
    action: str,
    target: str,
    before: Any = None,
    after: Any = None,
    reason: str = "",
    now: dt.datetime | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        at=now or utcnow(),
        who=who,
        action=action,
        target=target,
        before=before,
        after=after,
        reason=reason or "",
    )
    session.add(entry)
    return entry


def entries(
    session: Session,
    *,
    who: str | None = None,
    action: str | None = None,
    target: str | None = None,
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    limit: int | None = 500,
) -> list[AuditEntry]:
    """Newest first; each given filter narrows the list (date_to is inclusive)."""
    stmt = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if who:
        stmt = stmt.where(AuditEntry.who == who)
    if action:
        stmt = stmt.where(AuditEntry.action == action)
    if target:
        stmt = stmt.where(AuditEntry.target == target)
    if date_from:
        stmt = stmt.where(AuditEntry.at >= dt.datetime.combine(date_from, dt.time()))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time())
        stmt = stmt.where(AuditEntry.at < end)
    if limit:
        stmt = stmt.limit(limit)
    return list(session.scalars(stmt))


def actions(session: Session) -> list[str]:
    return sorted(set(session.scalars(select(AuditEntry.action).distinct())))


CSV_COLUMNS = ("at", "who", "action", "target", "reason", "before", "after")


def to_csv(rows: Iterable[AuditEntry], describe: Callable[[AuditEntry], str] | None = None) -> str:
    """CSV with before/after as compact JSON, one line per action, and (with `describe`) a
    first column saying it in words. Every cell is text a spreadsheet will not run: `who` of a
    failed login is whatever someone typed."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow((["description"] if describe else []) + list(CSV_COLUMNS))
    for row in rows:
        cells = [
            row.at.isoformat(timespec="seconds"),
            row.who,
            row.action,
            row.target,
            row.reason,
            json.dumps(row.before, ensure_ascii=False, sort_keys=True, default=str),
            json.dumps(row.after, ensure_ascii=False, sort_keys=True, default=str),
        ]
        if describe is not None:
            cells.insert(0, describe(row))
        writer.writerow([spreadsheet_cell(cell) for cell in cells])
    return out.getvalue()
