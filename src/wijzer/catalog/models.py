"""SQLAlchemy tables of the catalog: instruments and their version history."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Declarative base shared by every catalog table."""


class Instrument(Base):
    """The current state of one funding instrument (crawled, imported or entered by staff)."""

    __tablename__ = "instruments"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    description: Mapped[str] = mapped_column(Text, default="")
    funder: Mapped[str] = mapped_column(String(500), default="")
    level: Mapped[str] = mapped_column(String(20), index=True)
    regions: Mapped[list[str]] = mapped_column(JSON, default=list)
    municipality: Mapped[str | None] = mapped_column(String(200), nullable=True)
    instrument_type: Mapped[str] = mapped_column(String(30), index=True)
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    sizes: Mapped[list[str]] = mapped_column(JSON, default=list)
    stages: Mapped[list[str]] = mapped_column(JSON, default=list)
    amount_min: Mapped[float | None] = mapped_column(Float, nullable=True)
    amount_max: Mapped[float | None] = mapped_column(Float, nullable=True)
    budget_total: Mapped[float | None] = mapped_column(Float, nullable=True)
    opens_at: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # Several closing dates are possible (cut-offs); kept sorted as ISO strings.
    deadlines: Mapped[list[str]] = mapped_column(JSON, default=list)
    language: Mapped[str] = mapped_column(String(5), default="nl")
    url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    # Facts read from the text (`catalog.fact_records`), each quoted in `evidence`.
    applicants: Mapped[list[str]] = mapped_column(JSON, default=list)
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    geography: Mapped[str | None] = mapped_column(String(200), nullable=True)
    confirmed_status: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # {fact: {"quote", "origin"}}; the status signals (`catalog.status` decides from them).
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status_signals: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    # The record's own source document (an imported record's page excerpt) and its origin.
    source_text: Mapped[str] = mapped_column(Text, default="")
    source_document: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(100), index=True, default="import")
    source_id: Mapped[str | None] = mapped_column(String(300), nullable=True)
    source_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    content_hash: Mapped[str] = mapped_column(String(64))
    # What content_hash was derived from: the record as its source gave it plus the extractor
    # (`fact_records.facts_input`). The same input again is unchanged without re-extracting.
    facts_input: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Lifecycle: withdrawn when its source no longer lists it; never deleted.
    withdrawn_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # published | pending | rejected — what curation decided; search shows published only.
    review_state: Mapped[str] = mapped_column(String(20), default="published", index=True)
    # Set when staff merged this record into another (the canonical one).
    merged_into: Mapped[str | None] = mapped_column(String(200), nullable=True, index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)

    versions: Mapped[list[InstrumentVersion]] = relationship(
        back_populates="instrument", order_by="InstrumentVersion.version", cascade="all"
    )

    @property
    def is_listed(self) -> bool:
        """Whether the public site and the index show this instrument."""
        return (
            self.review_state == "published"
            and self.withdrawn_at is None
            and self.merged_into is None
        )


class InstrumentVersion(Base):
    """One change to an instrument: who made it, when, and the fields that changed."""

    __tablename__ = "instrument_versions"
    __table_args__ = (UniqueConstraint("instrument_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # "source:<name>", "import", "staff:<email>", ...
    changed_by: Mapped[str] = mapped_column(String(300))
    # created | updated | withdrawn | restored | merged | ...
    change_kind: Mapped[str] = mapped_column(String(30))
    # {field: [old, new]}; for "created" the old side is null.
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    instrument: Mapped[Instrument] = relationship(back_populates="versions")
