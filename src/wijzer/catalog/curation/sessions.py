"""Server-side staff sessions: a random token in the browser's cookie, its hash in the catalog.

A session ends when the user logs out, when the password changes, after IDLE_TIMEOUT without
a request and after ABSOLUTE_TIMEOUT whatever happens (OWASP ASVS 3.3). Only hashes are
stored, so a copy of the database opens no session.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import delete
from sqlalchemy.orm import Session

from wijzer.catalog.curation_models import StaffSession, User
from wijzer.catalog.models import utcnow

IDLE_TIMEOUT = dt.timedelta(hours=2)
ABSOLUTE_TIMEOUT = dt.timedelta(hours=12)
# last_seen_at is written at most this often, not on every page view.
TOUCH_EVERY = dt.timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, user: User, now: dt.datetime | None = None) -> str:
    """A new session for the user; returns the token for the cookie (256 random bits)."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        StaffSession(token_hash=_hash(token), user_id=user.id, created_at=now, last_seen_at=now)
    )
    # Expired sessions of anyone are removed on the way.
    session.execute(
        delete(StaffSession).where(
            (StaffSession.last_seen_at < now - IDLE_TIMEOUT)
            | (StaffSession.created_at < now - ABSOLUTE_TIMEOUT)
        )
    )
    return token


def session_user(session: Session, token: str, now: dt.datetime | None = None) -> User | None:
    """The user of a live session, or None (unknown, ended or expired token)."""
    if not token:
        return None
    now = now or utcnow()
    row = session.get(StaffSession, _hash(token))
    if row is None:
        return None
    if row.last_seen_at < now - IDLE_TIMEOUT or row.created_at < now - ABSOLUTE_TIMEOUT:
        session.delete(row)
        return None
    if row.last_seen_at < now - TOUCH_EVERY:
        row.last_seen_at = now
    return session.get(User, row.user_id)


def end_session(session: Session, token: str) -> None:
    if token:
        session.execute(delete(StaffSession).where(StaffSession.token_hash == _hash(token)))


def end_all_sessions(session: Session, user_id: int) -> int:
    """End every session of a user (password change); returns how many there were."""
    result = session.execute(delete(StaffSession).where(StaffSession.user_id == user_id))
    return int(getattr(result, "rowcount", 0) or 0)
