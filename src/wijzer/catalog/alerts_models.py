"""SQLAlchemy tables of email alerts: subscriptions, exclusions, saved items, outbox, changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wijzer.catalog.models import Base, utcnow

FREQUENCIES = ("immediate", "daily", "weekly")
KINDS = ("query", "profile")
STATUSES = ("pending", "active", "paused")
CHANGE_KINDS = ("new", "deadline_moved", "reopened", "amount_changed", "closed_early")
OUTBOX_STATES = ("pending", "sending", "sent", "failed")


class Subscription(Base):
    """One address asking for alerts about a saved search or a company profile."""

    __tablename__ = "subscriptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    # {"q": ..., "level": [...], ...} for a query, the profile object for a profile.
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    frequency: Mapped[str] = mapped_column(String(10))
    language: Mapped[str] = mapped_column(String(2), default="nl")
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    # Random per subscription and part of every signed link: rotating it revokes old links.
    nonce: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    last_digest_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # Highest detected_changes.id already considered for this subscription.
    last_change_id: Mapped[int] = mapped_column(Integer, default=0)


class SubscriptionExclusion(Base):
    """An instrument the subscriber marked "not relevant": never in this subscription's digests."""

    __tablename__ = "subscription_exclusions"
    __table_args__ = (UniqueConstraint("subscription_id", "instrument_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SavedInstrument(Base):
    """An instrument a subscriber saved, for closing-soon reminders."""

    __tablename__ = "saved_instruments"
    __table_args__ = (UniqueConstraint("subscription_id", "instrument_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    instrument_id: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # "<deadline>:<days>" keys already reminded, so each reminder goes out once.
    reminded: Mapped[list[str]] = mapped_column(JSON, default=list)


class AlertOutbox(Base):
    """The exactly-once log: one row per (subscription, window), claimed before sending."""

    __tablename__ = "alert_outbox"
    __table_args__ = (UniqueConstraint("subscription_id", "window_key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscriptions.id", ondelete="CASCADE"), index=True
    )
    # "confirm:<n>", "immediate:<change id>", "daily:2026-11-22", "weekly:2026-W47".
    window_key: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    instrument_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    message_id: Mapped[str] = mapped_column(String(200))
    # Who holds the row while sending, and until when; see alerts/delivery.py.
    attempt_token: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    # Set just before the message body goes to the server: after it, a crash is ambiguous.
    data_started_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class DetectedChange(Base):
    """A meaningful change of an instrument, derived from instrument_versions."""

    __tablename__ = "detected_changes"
    __table_args__ = (UniqueConstraint("version_id", "kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instrument_id: Mapped[str] = mapped_column(String(200), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    detected_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer)
    version_id: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class AlertState(Base):
    """Small named values of the alert machinery, e.g. the detection watermark."""

    __tablename__ = "alert_state"

    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)
