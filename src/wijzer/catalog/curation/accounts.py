"""Staff accounts: creation with argon2 hashes, authentication with lockout after failures."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError
from wijzer.catalog.curation_models import ROLES, User
from wijzer.catalog.models import utcnow

MAX_FAILURES = 5
LOCK_DURATION = dt.timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# The few passwords people still try first; length alone lets them through.
_COMMON = frozenset(
    {
        "password123",
        "wachtwoord123",
        "1234567890",
        "qwertyuiop",
        "welkom12345",
        "administrator",
        "password1234",
        "wachtwoord1",
    }
)

_hasher = PasswordHasher()


def password_problem(password: str) -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if not password or not password.strip():
        return "is empty"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(set(password)) < 4:
        return "uses too few different characters"
    if password.lower() in _COMMON:
        return "is a well-known password"
    return None


def normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    if not _EMAIL.match(email):
        raise CurationError("email", f"{email!r} is not an email address")
    return email


def create_user(session: Session, email: str, role: str, password: str) -> User:
    """A new staff account; refuses a bad email, an unknown role, a weak password, a duplicate."""
    email = normalise_email(email)
    if role not in ROLES:
        raise CurationError("role", f"{role!r} is not a role; use one of {', '.join(ROLES)}")
    problem = password_problem(password)
    if problem:
        raise CurationError("password", problem)
    if get_user(session, email) is not None:
        raise CurationError("email", f"a user {email} already exists")
    user = User(
        email=email,
        role=role,
        password_hash=_hasher.hash(password),
        failed_logins=0,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, email: str) -> User | None:
    return session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.email)))


def user_to_dict(user: User) -> dict[str, object]:
    return {
        "email": user.email,
        "role": user.role,
        "failed_logins": user.failed_logins,
        "locked_until": user.locked_until.isoformat() if user.locked_until else None,
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        "created_at": user.created_at.isoformat(),
    }


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    # ok | bad_credentials | locked
    outcome: str
    locked_until: dt.datetime | None = None


def authenticate(
    session: Session, email: str, password: str, now: dt.datetime | None = None
) -> LoginResult:
    """Check a login; the fifth failure in a row locks the account for 15 minutes."""
    now = now or utcnow()
    user = get_user(session, email)
    if user is None:
        # Hash anyway so that unknown emails take as long as wrong passwords.
        _hasher.hash(password or "x")
        return LoginResult(None, "bad_credentials")
    if user.locked_until is not None and user.locked_until > now:
        return LoginResult(None, "locked", user.locked_until)
    try:
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCK_DURATION
            user.failed_logins = 0
            return LoginResult(None, "locked", user.locked_until)
        return LoginResult(None, "bad_credentials")
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return LoginResult(user, "ok")


def set_role(session: Session, email: str, role: str) -> User:
    if role not in ROLES:
        raise CurationError("role", f"{role!r} is not a role; use one of {', '.join(ROLES)}")
    user = get_user(session, email)
    if user is None:
        raise CurationError("email", f"no user {email}")
    user.role = role
    return user
