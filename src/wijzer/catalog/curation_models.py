"""SQLAlchemy tables of the staff area: users, overrides, review flags, audit, policies, links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from wijzer.catalog.models import Base, utcnow

ROLES = ("curator", "admin")


class User(Base):
    """A staff account; curators curate, admins also manage users and source policies."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class StaffSession(Base):
    """A logged-in staff browser: the cookie holds a random token, this row its hash.

    Logging out deletes the row and a password change deletes all of the user's rows, so a
    saved cookie is worthless afterwards, also after a restart.
    """

    __tablename__ = "staff_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class LoginFailure(Base):
    """Failed logins for one account name from one address, and how long it must wait.

    Kept for any name typed, staff account or not, so the answers never tell them apart.
    """

    __tablename__ = "login_failures"

    account: Mapped[str] = mapped_column(String(320), primary_key=True)
    address: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    wait_until: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)


class FieldOverride(Base):
    """A staff value for one field; the latest crawled value is kept beside it."""

    __tablename__ = "field_overrides"
    __table_args__ = (UniqueConstraint("instrument_id", "field"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    field: Mapped[str] = mapped_column(String(50))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    crawled_value: Mapped[Any] = mapped_column(JSON, nullable=True)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ReviewFlag(Base):
    """Why an instrument sits in the review queue (beside review_state == pending)."""

    __tablename__ = "review_flags"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    instrument_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    # changed | override_conflict
    kind: Mapped[str] = mapped_column(String(40))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(320), nullable=True)


class AuditEntry(Base):
    """One staff action: who, what, on which target, the state before and after, and why."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    who: Mapped[str] = mapped_column(String(320), index=True)
    action: Mapped[str] = mapped_column(String(50), index=True)
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")


class SourcePolicy(Base):
    """Whether new listings of a source go live at once or wait for review."""

    __tablename__ = "source_policies"

    source: Mapped[str] = mapped_column(String(100), primary_key=True)
    auto_publish: Mapped[bool] = mapped_column(Boolean)
    changed_by: Mapped[str] = mapped_column(String(320))
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class InstrumentLink(Base):
    """A merged duplicate and the canonical record that now stands for it."""

    __tablename__ = "instrument_links"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    canonical_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    merged_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), unique=True)
    merged_by: Mapped[str] = mapped_column(String(320))
    merged_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class InstrumentRelation(Base):
    """Two records judged by entity resolution or by staff: one instrument or one scheme.

    relation "duplicate": state "merged" (one public record), "open" (a hint waiting for
    staff, with `refusal` set when an automatic merge was refused) or "kept_apart" (staff
    split a merge or dismissed the hint; automatic resolution never merges the pair again).
    relation "same_scheme": state "linked" (other rounds, years, regions or components).
    left_id < right_id.
    """

    __tablename__ = "instrument_relations"
    __table_args__ = (UniqueConstraint("left_id", "right_id", "relation"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    left_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    right_id: Mapped[str] = mapped_column(ForeignKey("instruments.id"), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), index=True)
    # same_identifier | same_page | same_title | same_facility | similar_title | staff | ...
    rule: Mapped[str] = mapped_column(String(40))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # Why an automatic merge did not happen (different_funders), for the staff queue.
    refusal: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
