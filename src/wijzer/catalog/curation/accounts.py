"""Staff accounts: creation with argon2 hashes, authentication with a per-account-and-address
backoff after failures, password changes that end every session."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wijzer.catalog.curation import CurationError, CurationErrorCode
from wijzer.catalog.curation.sessions import end_all_sessions
from wijzer.catalog.curation_models import ROLES, LoginFailure, User
from wijzer.catalog.models import utcnow

# Failed logins per account name and address heard without waiting; then FIRST_WAIT, doubled
# with each failure up to MAX_WAIT. An online guesser gets about a hundred tries a day per
# account and address (and the per-address rate limit caps addresses).
FREE_FAILURES = 3
FIRST_WAIT = dt.timedelta(seconds=5)
MAX_WAIT = dt.timedelta(minutes=15)
FORGET_AFTER = dt.timedelta(days=1)
# OWASP ASVS 2.1.1 and 2.1.2: at least 12 characters, at least 64 allowed.
MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 128
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
        "welkom123456",
        "qwertyuiop12",
        "123456789012",
        "wachtwoord1234",
    }
)

_hasher = PasswordHasher()


def password_problem(password: str) -> str | None:
    """Why a password is too weak, or None when it is acceptable."""
    if not password or not password.strip():
        return "is empty"
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if len(password) > MAX_PASSWORD_LENGTH:
        return f"must be at most {MAX_PASSWORD_LENGTH} characters"
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
        raise CurationError("email", f"a user {email} already exists", CurationErrorCode.EXISTS)
    user = User(
        email=email,
        role=role,
        password_hash=_hasher.hash(password),
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
        "last_login_at": user.last_login_at.isoformat() if user.last_login_at else None,
        "created_at": user.created_at.isoformat(),
    }


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    # ok | bad_credentials | throttled
    outcome: str
    #: When the next attempt for this account from this address will be heard.
    wait_until: dt.datetime | None = None


def _backoff(failures: int) -> dt.timedelta:
    """No wait for the first FREE_FAILURES failures, then 5 s doubling up to MAX_WAIT."""
    if failures < FREE_FAILURES:
        return dt.timedelta(0)
    return min(MAX_WAIT, FIRST_WAIT * 2 ** (failures - FREE_FAILURES))


def account_key(email: str) -> str:
    return (email or "").strip().lower()[:320]


def authenticate(
    session: Session,
    email: str,
    password: str,
    address: str = "",
    now: dt.datetime | None = None,
) -> LoginResult:
    """Check a login. Failures are counted per account name and client address: after
    FREE_FAILURES of them, that pair waits longer before each further attempt is heard. A
    typo-prone colleague elsewhere, or the real owner at another address, is not locked out,
    and unknown names are treated exactly like staff accounts, so no answer tells them apart.
    """
    now = now or utcnow()
    key = (account_key(email), address[:64])
    failure = session.get(LoginFailure, key)
    if failure is not None and failure.last_failed_at < now - FORGET_AFTER:
        session.delete(failure)
        session.flush()
        failure = None
    if failure is not None and failure.wait_until is not None and failure.wait_until > now:
        return LoginResult(None, "throttled", failure.wait_until)
    user = get_user(session, email)
    try:
        if user is None:
            # Hash anyway so that unknown emails take as long as wrong passwords.
            _hasher.hash(password or "x")
            raise VerificationError()
        _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        if failure is None:
            failure = LoginFailure(account=key[0], address=key[1], failures=0)
            session.add(failure)
        failure.failures += 1
        failure.last_failed_at = now
        wait = _backoff(failure.failures)
        failure.wait_until = now + wait if wait else None
        forgotten = LoginFailure.last_failed_at < now - FORGET_AFTER
        session.execute(delete(LoginFailure).where(forgotten))
        return LoginResult(None, "bad_credentials", failure.wait_until)
    if failure is not None:
        session.delete(failure)
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return LoginResult(user, "ok")


def change_password(session: Session, user: User, password: str) -> None:
    """A new password for the account; every session it has ends (a stolen cookie dies)."""
    problem = password_problem(password)
    if problem:
        raise CurationError("password", problem)
    user.password_hash = _hasher.hash(password)
    end_all_sessions(session, user.id)


def check_password(user: User, password: str) -> bool:
    try:
        return _hasher.verify(user.password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False


def set_role(session: Session, email: str, role: str) -> User:
    if role not in ROLES:
        raise CurationError("role", f"{role!r} is not a role; use one of {', '.join(ROLES)}")
    user = get_user(session, email)
    if user is None:
        raise CurationError("email", f"no user {email}", CurationErrorCode.NOT_FOUND)
    user.role = role
    return user
