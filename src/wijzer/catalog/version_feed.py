"""Instrument versions in commit order: the horizon up to which every version id is final.

Version ids come from a sequence, so on PostgreSQL two writers can commit out of id order:
a reader that moved a watermark past id 11 while id 10 was still in flight would never see
10. Every statement that inserts versions takes a shared transaction-scoped advisory lock
first (a statement trigger, migration 0206_alertscale, fires before the sequence hands out an
id); `committed_horizon` takes the same lock exclusively, so it waits until no writer is
between handing out an id and committing, and reads the highest id then. Writers never wait
for each other, only for that one short read. SQLite runs one writer at a time, so its ids
always commit in order.
"""

from __future__ import annotations

from sqlalchemy import func, select, text

from wijzer.catalog.db import Catalog
from wijzer.catalog.models import InstrumentVersion

# The advisory lock key of version writing (the same literal is in migration 0206_alertscale).
VERSION_WRITE_LOCK = 7_366_501_216


def committed_horizon(catalog: Catalog) -> int:
    """The highest version id below which no version can still appear (0 when there are none)."""
    with catalog.session() as session:
        if session.get_bind().dialect.name == "postgresql":
            # Under READ COMMITTED (the engine's default) the next statement's snapshot is
            # taken after the lock is granted, so it sees every writer that held the lock.
            session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": VERSION_WRITE_LOCK})
        return session.scalar(select(func.max(InstrumentVersion.id))) or 0
