"""The subscriber use cases: subscribe (double opt-in), confirm, change, unsubscribe, exclude,
save, forget and list. The site's alert pages and `wijzer alerts ...` both call these.

Links carry a signed token naming the subscription and its nonce; holding one is the
authorisation. TokenError says a link is forged or expired, SubscriptionGone that it names a
subscription that no longer exists, SubscriptionError (a field) that input is wrong.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijzer.alerts import subscriptions as subs
from wijzer.alerts.delivery import RowBusy, TransientDeliveryError
from wijzer.alerts.detection import detect_changes
from wijzer.alerts.digests import queue_confirmation
from wijzer.alerts.emails import links
from wijzer.alerts.tokens import CONFIRM_MAX_AGE, read_token
from wijzer.app.alert_runs import deliver_one
from wijzer.app.matches import read_amount
from wijzer.app.services import Services
from wijzer.catalog.alerts_models import AlertOutbox, Subscription
from wijzer.crawler.normalise.language import detect_language
from wijzer.matcher.encoders import EncoderUnavailable
from wijzer.matcher.profile import parse_profile

T = TypeVar("T")


class SubscriptionGone(LookupError):
    """The link names a subscription that was removed (or whose links were revoked)."""


def subscribe(
    services: Services,
    email: str,
    kind: str,
    spec: dict[str, Any],
    frequency: str,
    language: str = "nl",
    *,
    confirmed: bool = False,
) -> dict[str, Any]:
    """A new subscription; unless staff confirm it, a confirmation mail goes out at once
    (or stays queued for the worker when SMTP is down). Returns it with `confirmation`."""
    catalog = services.catalog
    if kind == "profile" and isinstance(spec, dict):
        spec = _as_matched(spec)
    # Alerts start from now: changes not yet looked at (an import since the last alert run)
    # are history to this subscriber. Detected first, they fall below its cursor.
    detect_changes(catalog)
    with catalog.session() as session:
        subscription = subs.subscribe(
            session, email, kind, spec, frequency, language, confirmed=confirmed
        )
        data = subs.subscription_json(subscription)
    prepare_profile_vector(services, data)
    confirmation = None
    if not confirmed:
        confirmation = "queued"
        outbox_id = queue_confirmation(catalog, subscription)
        if outbox_id is not None:
            with contextlib.suppress(TransientDeliveryError, RowBusy):
                if deliver_one(services, outbox_id) == "sent":
                    confirmation = "sent"
    return {**data, "confirmation": confirmation}


def _as_matched(spec: dict[str, Any]) -> dict[str, Any]:
    """A profile read as the match page reads it: the description's language detected when
    not given, amounts as people write them ("200k", "2 ton")."""
    description = str(spec.get("description") or "")
    return {
        **spec,
        "language": spec.get("language") or detect_language(description),
        "amount": read_amount(spec.get("amount")),
    }


def _with_subscription(
    services: Services, token: str, purpose: str, action: Callable[[Session, Subscription], T]
) -> T:
    max_age = CONFIRM_MAX_AGE if purpose == "confirm" else None
    subscription_id, nonce = read_token(services.mail.secret, purpose, token, max_age)
    with services.catalog.session() as session:
        subscription = subs.find(session, subscription_id, nonce)
        if subscription is None:
            raise SubscriptionGone(subscription_id)
        return action(session, subscription)


def show(services: Services, token: str, purpose: str = "manage") -> dict[str, Any]:
    """The subscription a link names (for the page that asks before acting)."""
    return _with_subscription(services, token, purpose, lambda _s, sub: subs.subscription_json(sub))


def confirm(services: Services, token: str) -> dict[str, Any]:
    """Activate a pending subscription (idempotent); returns it with its manage link."""

    def act(_session: Session, subscription: Subscription) -> dict[str, Any]:
        subs.confirm(subscription)
        manage = links(services.mail, subscription.id, subscription.nonce, subscription.language)[
            "manage"
        ]
        return {**subs.subscription_json(subscription), "manage_url": manage}

    data = _with_subscription(services, token, "confirm", act)
    prepare_profile_vector(services, data)
    return data


def prepare_profile_vector(services: Services, subscription: dict[str, Any]) -> None:
    """Encode a profile's text now, when it is confirmed or edited, so alert runs read its
    vector from the encoder's cache (keyed by the text and the encoder's name: a new model
    encodes it again on its first run). Encoding every profile text in the run instead costs
    most of a cold run (bench/alerts_scale.py); without an encoder here, the run does it."""
    if subscription["kind"] != "profile" or subscription["status"] != "active":
        return
    with contextlib.suppress(EncoderUnavailable):
        services.encoder.encode([parse_profile(subscription["spec"]).description])


def change(
    services: Services,
    token: str,
    *,
    frequency: str | None = None,
    language: str | None = None,
    status: str | None = None,
    spec: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Change frequency, language, status (active/paused) or the saved search or profile;
    SubscriptionError on bad input."""

    def act(_session: Session, subscription: Subscription) -> dict[str, Any]:
        wanted = _as_matched(spec) if spec and subscription.kind == "profile" else spec
        subs.update(
            subscription, frequency=frequency, language=language, status=status, spec=wanted
        )
        return subs.subscription_json(subscription)

    data = _with_subscription(services, token, "manage", act)
    if spec:
        prepare_profile_vector(services, data)
    return data


def unsubscribe(services: Services, token: str) -> str:
    """Delete the subscription and everything kept for it; returns its address."""

    def act(session: Session, subscription: Subscription) -> str:
        email = subscription.email
        subs.unsubscribe(session, subscription)
        return email

    return _with_subscription(services, token, "manage", act)


def not_relevant(services: Services, token: str, instrument_id: str) -> bool:
    """Never alert this subscription about the instrument again; False if it was already."""
    return _with_subscription(
        services, token, "manage", lambda s, sub: subs.exclude(s, sub, instrument_id)
    )


def save(services: Services, token: str, instrument_id: str) -> bool:
    """Remember the instrument for closing-soon reminders; False if it was already saved."""
    return _with_subscription(
        services, token, "manage", lambda s, sub: subs.save_instrument(s, sub, instrument_id)
    )


def forget(services: Services, email: str) -> int:
    """Delete everything kept about an address; returns how many subscriptions it had."""
    with services.catalog.session() as session:
        return subs.forget(session, email)


def list_subscriptions(services: Services) -> list[dict[str, Any]]:
    """Every subscription with its outbox (what was sent, pending or failed)."""
    with services.catalog.session() as session:
        rows = []
        for subscription in session.scalars(select(Subscription).order_by(Subscription.id)):
            outbox = session.scalars(
                select(AlertOutbox)
                .where(AlertOutbox.subscription_id == subscription.id)
                .order_by(AlertOutbox.id)
            )
            rows.append(
                {
                    **subs.subscription_json(subscription),
                    "messages": [
                        {
                            "window": o.window_key,
                            "state": o.state,
                            "attempts": o.attempts,
                            "instrument_ids": o.instrument_ids,
                            "last_error": o.last_error,
                            "sent_at": o.sent_at.isoformat() if o.sent_at else None,
                        }
                        for o in outbox
                    ],
                }
            )
    return rows
