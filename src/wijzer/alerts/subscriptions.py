"""Subscribe, confirm, change, unsubscribe, exclude, save and forget: the subscriber's actions."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wijzer.catalog.alerts_models import (
    FREQUENCIES,
    STATUSES,
    AlertOutbox,
    SavedInstrument,
    Subscription,
    SubscriptionExclusion,
)
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.taxonomy import LANGUAGES
from wijzer.matcher.profile import ProfileError, parse_profile
from wijzer.search.query import QueryError, build_query

_EMAIL = re.compile(r"^[^@\s<>,;\"]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$")
QUERY_FILTERS = ("level", "region", "instrument_type", "theme")
PROFILE_FIELDS = ("description", "language", "region", "size", "stage", "wants", "amount")
# A saved search, a company profile, or one instrument (deadline reminders only).
KINDS = ("query", "profile", "instrument")


class SubscriptionError(ValueError):
    """Input that cannot make or change a subscription; names the field."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason


def normalise_email(email: str) -> str:
    email = (email or "").strip()
    if not _EMAIL.match(email):
        raise SubscriptionError("email", f"{email!r} is not an email address")
    local, domain = email.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise SubscriptionError(field, f"{value!r} is not one of: {', '.join(allowed)}")
    return value


def query_spec(text: str | None, filters: dict[str, Any]) -> dict[str, Any]:
    """A validated saved search: the text plus canonical filter codes."""
    try:
        query = build_query(text, **{k: v for k, v in filters.items() if k in QUERY_FILTERS})
    except QueryError as exc:
        raise SubscriptionError(exc.parameter, exc.reason) from None
    spec: dict[str, Any] = {"q": query.text}
    for name in QUERY_FILTERS:
        values = getattr(query.filters, name)
        if values:
            spec[name] = list(values)
    if not query.text and len(spec) == 1:
        raise SubscriptionError("query", "give search words or at least one filter")
    return spec


def profile_spec(data: Any) -> dict[str, Any]:
    """A validated company profile, reduced to the fields matching uses."""
    try:
        profile = parse_profile(data)
    except ProfileError as exc:
        raise SubscriptionError(f"profile.{exc.field}", exc.reason) from None
    return {
        "description": profile.description,
        "language": profile.language,
        "region": profile.region,
        "size": profile.size,
        "stage": profile.stage,
        "wants": list(profile.wants),
        "amount": profile.amount,
    }


def instrument_spec(session: Session, data: Any) -> dict[str, Any]:
    """One listed instrument whose deadlines the subscriber wants to be reminded of."""
    instrument_id = str((data or {}).get("instrument_id") or "").strip()
    instrument = session.get(Instrument, instrument_id) if instrument_id else None
    if instrument is None or not instrument.is_listed:
        raise SubscriptionError("instrument_id", f"no instrument {instrument_id!r}")
    return {"instrument_id": instrument_id}


def checked_spec(session: Session, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """The validated spec of a subscription of this kind."""
    if kind == "query":
        return query_spec(spec.get("q"), spec)
    if kind == "profile":
        return profile_spec(spec)
    return instrument_spec(session, spec)


def subscribe(
    session: Session,
    email: str,
    kind: str,
    spec: dict[str, Any],
    frequency: str,
    language: str = "nl",
    *,
    confirmed: bool = False,
    now: dt.datetime | None = None,
) -> Subscription:
    """A new subscription: pending until confirmed, active at once when staff confirm it."""
    now = now or utcnow()
    check_choice("kind", kind, KINDS)
    spec = checked_spec(session, kind, spec)
    subscription = Subscription(
        email=normalise_email(email),
        kind=kind,
        spec=spec,
        frequency=check_choice("frequency", frequency, FREQUENCIES),
        language=check_choice("language", language, LANGUAGES),
        status="active" if confirmed else "pending",
        nonce=secrets.token_hex(16),
        created_at=now,
        confirmed_at=now if confirmed else None,
        last_change_id=_current_change_id(session),
    )
    session.add(subscription)
    session.flush()
    if kind == "instrument":
        # Reminders go to active subscriptions only, so this waits for the confirmation.
        save_instrument(session, subscription, spec["instrument_id"])
    return subscription


def _current_change_id(session: Session) -> int:
    # Alerts start from now: a new subscriber is not sent the whole history.
    from sqlalchemy import func

    from wijzer.catalog.alerts_models import DetectedChange

    return session.scalar(select(func.max(DetectedChange.id))) or 0


def find(session: Session, subscription_id: int, nonce: str) -> Subscription | None:
    """The subscription a token names, if its nonce still matches (links can be revoked)."""
    subscription = session.get(Subscription, subscription_id)
    if subscription is None or not secrets.compare_digest(subscription.nonce, nonce):
        return None
    return subscription


def confirm(subscription: Subscription, now: dt.datetime | None = None) -> bool:
    """Activate a pending subscription; False when it was already confirmed."""
    if subscription.confirmed_at is not None:
        return False
    subscription.confirmed_at = now or utcnow()
    subscription.status = "active"
    return True


def update(
    subscription: Subscription,
    *,
    frequency: str | None = None,
    language: str | None = None,
    status: str | None = None,
    spec: dict[str, Any] | None = None,
) -> None:
    """Change preferences or what the alert is about (a search's words and filters, a
    profile); pausing keeps the subscription, resuming needs it confirmed."""
    if spec is not None and subscription.kind != "instrument":
        # Validated against nothing stored: a search or profile stands on its own.
        subscription.spec = (
            query_spec(spec.get("q"), spec) if subscription.kind == "query" else profile_spec(spec)
        )
    if frequency is not None:
        subscription.frequency = check_choice("frequency", frequency, FREQUENCIES)
    if language is not None:
        subscription.language = check_choice("language", language, LANGUAGES)
    if status is not None:
        check_choice("status", status, STATUSES[1:])
        if subscription.confirmed_at is None:
            raise SubscriptionError("status", "confirm the subscription first")
        subscription.status = status


def unsubscribe(session: Session, subscription: Subscription) -> None:
    """Remove the subscription and everything kept for it (exclusions, saved items, outbox)."""
    _delete_subscriptions(session, [subscription.id])


def exclude(session: Session, subscription: Subscription, instrument_id: str) -> bool:
    """Mark an instrument "not relevant" for this subscription; False when it already was."""
    exists = session.scalar(
        select(SubscriptionExclusion.id).where(
            SubscriptionExclusion.subscription_id == subscription.id,
            SubscriptionExclusion.instrument_id == instrument_id,
        )
    )
    if exists:
        return False
    _require_instrument(session, instrument_id)
    session.add(SubscriptionExclusion(subscription_id=subscription.id, instrument_id=instrument_id))
    return True


def excluded_by_subscription(
    session: Session, subscription_ids: Sequence[int], chunk: int = 500
) -> dict[int, set[str]]:
    """{subscription id: excluded instrument ids} for many subscriptions in a few queries."""
    out: dict[int, set[str]] = defaultdict(set)
    for start in range(0, len(subscription_ids), chunk):
        ids = subscription_ids[start : start + chunk]
        rows = session.execute(
            select(
                SubscriptionExclusion.subscription_id, SubscriptionExclusion.instrument_id
            ).where(SubscriptionExclusion.subscription_id.in_(ids))
        )
        for subscription_id, instrument_id in rows:
            out[subscription_id].add(instrument_id)
    return dict(out)


def save_instrument(session: Session, subscription: Subscription, instrument_id: str) -> bool:
    """Remember an instrument for closing-soon reminders; False when already saved."""
    exists = session.scalar(
        select(SavedInstrument.id).where(
            SavedInstrument.subscription_id == subscription.id,
            SavedInstrument.instrument_id == instrument_id,
        )
    )
    if exists:
        return False
    _require_instrument(session, instrument_id)
    session.add(
        SavedInstrument(subscription_id=subscription.id, instrument_id=instrument_id, reminded=[])
    )
    return True


def _require_instrument(session: Session, instrument_id: str) -> None:
    if session.get(Instrument, instrument_id) is None:
        raise SubscriptionError("instrument_id", f"no instrument {instrument_id!r}")


def forget(session: Session, email: str) -> int:
    """Delete everything kept about an address; returns how many subscriptions it had."""
    address = normalise_email(email)
    ids = list(
        session.scalars(
            select(Subscription.id).where(Subscription.email.in_({address, address.lower()}))
        )
    )
    _delete_subscriptions(session, ids)
    return len(ids)


def _delete_subscriptions(session: Session, ids: list[int]) -> None:
    # Explicit deletes: SQLite only cascades when foreign keys are on, and bulk deletes skip ORM.
    if not ids:
        return
    for model in (SubscriptionExclusion, SavedInstrument, AlertOutbox):
        session.execute(delete(model).where(model.subscription_id.in_(ids)))
    session.execute(delete(Subscription).where(Subscription.id.in_(ids)))


def subscription_json(subscription: Subscription) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "email": subscription.email,
        "kind": subscription.kind,
        "spec": subscription.spec,
        "frequency": subscription.frequency,
        "language": subscription.language,
        "status": subscription.status,
        "created_at": subscription.created_at.isoformat(),
        "confirmed_at": subscription.confirmed_at.isoformat()
        if subscription.confirmed_at
        else None,
        "last_digest_at": subscription.last_digest_at.isoformat()
        if subscription.last_digest_at
        else None,
    }
