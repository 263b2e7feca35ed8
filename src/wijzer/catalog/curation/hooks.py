"""What curation does after a source writes an instrument: keep overrides, flag for review."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation.editing import overrides, set_attr
from wijzer.catalog.curation.policy import auto_publishes
from wijzer.catalog.curation_models import ReviewFlag
from wijzer.catalog.models import Instrument, InstrumentVersion
from wijzer.catalog.repository import InstrumentStore, UpsertOutcome, instrument_content

CONFLICT = "override_conflict"
CHANGED = "changed"


def open_flag(session: Session, instrument_id: str, kind: str) -> ReviewFlag | None:
    stmt = (
        select(ReviewFlag)
        .where(ReviewFlag.instrument_id == instrument_id)
        .where(ReviewFlag.kind == kind)
        .where(ReviewFlag.resolved_at.is_(None))
    )
    return session.scalars(stmt).first()


def _raise_flag(
    session: Session, instrument_id: str, kind: str, details: dict[str, Any], now: dt.datetime
) -> None:
    flag = open_flag(session, instrument_id, kind)
    if flag is None:
        session.add(
            ReviewFlag(
                instrument_id=instrument_id,
                kind=kind,
                details=details,
                created_at=now,
            )
        )
        return
    merged = dict(flag.details)
    for key, value in details.items():
        merged[key] = {**merged.get(key, {}), **value} if isinstance(value, dict) else value
    flag.details = merged


def after_source_upsert(
    session: Session,
    instrument: Instrument,
    outcome: UpsertOutcome,
    changed_by: str,
    now: dt.datetime,
) -> UpsertOutcome:
    """Re-apply staff overrides over freshly written crawled values; queue what needs a look.

    A crawled change to an overridden field keeps the override but flags the instrument
    "source changed an overridden field"; other changes of review-only sources flag "changed".
    """
    if outcome.kind in ("created", "unchanged") or changed_by.startswith("staff:"):
        return outcome
    kept = overrides(session, instrument.id)
    changes = dict(outcome.changes)
    conflicts: dict[str, dict[str, Any]] = {}
    if kept:
        crawled = instrument_content(instrument)
        for field, override in kept.items():
            if crawled[field] != override.crawled_value:
                conflicts[field] = {
                    "crawled_before": override.crawled_value,
                    "crawled_now": crawled[field],
                    "override": override.value,
                }
                changes[field] = [override.crawled_value, crawled[field]]
                override.crawled_value = crawled[field]
            else:
                # Only the override differed from the crawl; the source did not change it.
                changes.pop(field, None)
            set_attr(instrument, field, override.value)
        _fix_version(session, instrument, changes)
    if conflicts:
        _raise_flag(session, instrument.id, CONFLICT, {"fields": conflicts}, now)
    elif changes and not auto_publishes(session, instrument.source):
        _raise_flag(
            session,
            instrument.id,
            CHANGED,
            {"changes": changes, "version": instrument.version},
            now,
        )
    return UpsertOutcome(outcome.id, outcome.kind, changes)


def _fix_version(session: Session, instrument: Instrument, changes: dict[str, Any]) -> None:
    # The version upsert just added snapshotted crawled values; the public sees the overrides.
    stmt = (
        select(InstrumentVersion)
        .where(InstrumentVersion.instrument_id == instrument.id)
        .where(InstrumentVersion.version == instrument.version)
    )
    version = session.scalars(stmt).first()
    if version is not None:
        version.changes = changes
        version.snapshot = instrument_content(instrument)


def source_store(session: Session) -> InstrumentStore:
    """The store sources (crawls, imports) write through: staff overrides survive them."""
    return InstrumentStore(session, after_upsert=after_source_upsert)
