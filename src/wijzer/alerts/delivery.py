"""Send one outbox row over SMTP exactly once: claim with a lease, send, mark sent.

States: pending -> sending (claimed: attempt token + lease) -> sent | pending (retry) | failed.

Why this is exactly-once, and the one conservative choice:
* A row is claimed in a transaction (pending, or sending whose lease ran out) before any
  SMTP traffic; a second worker holding a redelivered task finds it busy or sent and stops.
* The envelope (MAIL FROM, RCPT TO) is exchanged first. Until the message body is handed
  over (`data_started_at`), a failure or crash cannot have delivered anything, so the row
  goes back to pending (or is reclaimed after its lease) and is retried with backoff.
* `data_started_at` is committed right before DATA. If a worker dies after that but before
  marking the row sent, nobody can know whether the server accepted the message. We then
  do NOT resend (a duplicate is worse than asking staff): the row becomes `failed` with
  "delivery uncertain" in last_error, visible in `wijzer alerts list`. The deterministic
  Message-ID would let a receiving system drop a duplicate if staff resend it by hand.
* An SMTP server that answers DATA with an error has refused the message: safe to retry.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import uuid
from dataclasses import dataclass
from email.policy import SMTP as SMTP_POLICY
from typing import Any, cast

from sqlalchemy import CursorResult, update

from wijzer.alerts.emails import compose
from wijzer.alerts.mail_settings import MailSettings
from wijzer.catalog.alerts_models import AlertOutbox, Subscription
from wijzer.catalog.db import Catalog
from wijzer.catalog.models import utcnow

# Long headers (List-Unsubscribe URLs) must stay plain ASCII on the wire, not RFC 2047 words.
WIRE_POLICY = SMTP_POLICY.clone(max_line_length=998)

MAX_ATTEMPTS = 8
UNCERTAIN = "delivery uncertain: the worker stopped after handing the message to the server"


class TransientDeliveryError(RuntimeError):
    """The SMTP server could not be reached or deferred the message; retry later."""


class RowBusy(RuntimeError):
    """Another worker holds the row's lease; retry after it runs out."""

    def __init__(self, seconds_left: float):
        super().__init__(f"outbox row is being sent by another worker ({seconds_left:.0f}s left)")
        self.seconds_left = seconds_left


@dataclass
class Claim:
    token: str
    email: str
    message: bytes
    recipient: str


def _claim(catalog: Catalog, mail: MailSettings, outbox_id: int, now: dt.datetime) -> Claim | str:
    with catalog.session() as session:
        row = session.get(AlertOutbox, outbox_id, with_for_update=True)
        if row is None:
            return "gone"
        if row.state in ("sent", "failed"):
            return row.state
        if row.state == "sending":
            if row.lease_until is not None and row.lease_until > now:
                raise RowBusy((row.lease_until - now).total_seconds())
            if row.data_started_at is not None:
                row.state = "failed"
                row.last_error = UNCERTAIN
                return "failed"
        subscription = session.get(Subscription, row.subscription_id)
        is_confirm = row.window_key.startswith("confirm:")
        if subscription is None or (not is_confirm and subscription.status != "active"):
            row.state = "failed"
            row.last_error = "subscription paused or removed before sending"
            return "failed"
        token = uuid.uuid4().hex
        # Compare-and-set on the state we read, so two claimers cannot both win (SQLite has
        # no row locks; PostgreSQL also holds the row lock from with_for_update).
        claimed = cast(
            CursorResult[Any],
            session.execute(
                update(AlertOutbox)
                .where(AlertOutbox.id == row.id)
                .where(AlertOutbox.state == row.state)
                .where(AlertOutbox.attempts == row.attempts)
                .values(
                    state="sending",
                    attempt_token=token,
                    attempts=row.attempts + 1,
                    lease_until=now + dt.timedelta(seconds=mail.lease_seconds),
                    data_started_at=None,
                )
                .execution_options(synchronize_session=False)
            ),
        ).rowcount
        if not claimed:
            raise RowBusy(mail.lease_seconds)
        subscription_data: dict[str, Any] = {
            "id": subscription.id,
            "email": subscription.email,
            "kind": subscription.kind,
            "spec": subscription.spec,
            "frequency": subscription.frequency,
            "language": subscription.language,
            "nonce": subscription.nonce,
        }
        # Composed inside the claiming transaction: if rendering fails, the claim rolls back.
        message = compose(
            mail,
            subscription=subscription_data,
            payload=dict(row.payload),
            message_id=row.message_id,
            now=now,
        )
    return Claim(
        token,
        subscription_data["email"],
        message.as_bytes(policy=WIRE_POLICY),
        subscription_data["email"],
    )


def _set(catalog: Catalog, outbox_id: int, token: str, **values: object) -> bool:
    with catalog.session() as session:
        return bool(
            cast(
                CursorResult[Any],
                session.execute(
                    update(AlertOutbox)
                    .where(AlertOutbox.id == outbox_id)
                    .where(AlertOutbox.attempt_token == token)
                    .where(AlertOutbox.state == "sending")
                    .values(**values)
                    .execution_options(synchronize_session=False)
                ),
            ).rowcount
        )


def deliver(
    catalog: Catalog, mail: MailSettings, outbox_id: int, now: dt.datetime | None = None
) -> str:
    """Send one outbox row; returns sent | already-sent | failed | gone.

    Raises TransientDeliveryError (row back to pending) or RowBusy for the caller to retry.
    """
    now = now or utcnow()
    claim = _claim(catalog, mail, outbox_id, now)
    if isinstance(claim, str):
        return "already-sent" if claim == "sent" else claim
    data_started = False
    try:
        with smtplib.SMTP(mail.host, mail.port, local_hostname="localhost", timeout=60) as smtp:
            smtp.ehlo()
            if mail.tls:
                smtp.starttls()
                smtp.ehlo()
            if mail.user:
                smtp.login(mail.user, mail.password or "")
            code, reply = smtp.mail(mail.sender_address)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, mail.sender_address)
            code, reply = smtp.rcpt(claim.recipient)
            if code not in (250, 251):
                raise smtplib.SMTPRecipientsRefused({claim.recipient: (code, reply)})
            if not _set(catalog, outbox_id, claim.token, data_started_at=utcnow()):
                smtp.rset()
                return "already-sent"
            data_started = True
            # data() returns the final reply instead of raising on it.
            code, reply = smtp.data(claim.message)
            if code != 250:
                raise smtplib.SMTPDataError(code, reply)
    except smtplib.SMTPResponseException as exc:
        # The server answered: it did not take the message (4xx: later; 5xx: never).
        permanent = exc.smtp_code >= 500
        error = f"{exc.smtp_code} {exc.smtp_error!r}"
        return _failed_attempt(catalog, outbox_id, claim.token, error, permanent=permanent)
    except smtplib.SMTPRecipientsRefused as exc:
        return _failed_attempt(
            catalog, outbox_id, claim.token, f"recipient refused: {exc}", permanent=True
        )
    except (TimeoutError, OSError, smtplib.SMTPException) as exc:
        if data_started:
            _set(catalog, outbox_id, claim.token, state="failed", last_error=f"{UNCERTAIN}: {exc}")
            return "failed"
        return _failed_attempt(catalog, outbox_id, claim.token, f"{type(exc).__name__}: {exc}")
    _set(
        catalog,
        outbox_id,
        claim.token,
        state="sent",
        sent_at=utcnow(),
        lease_until=None,
        last_error=None,
    )
    return "sent"


def _failed_attempt(
    catalog: Catalog, outbox_id: int, token: str, error: str, permanent: bool = False
) -> str:
    with catalog.session() as session:
        row = session.get(AlertOutbox, outbox_id)
        attempts = row.attempts if row else MAX_ATTEMPTS
    give_up = permanent or attempts >= MAX_ATTEMPTS
    _set(
        catalog,
        outbox_id,
        token,
        state="failed" if give_up else "pending",
        last_error=error,
        lease_until=None,
        attempt_token=None,
        data_started_at=None,
    )
    if give_up:
        return "failed"
    raise TransientDeliveryError(f"outbox {outbox_id}: {error}")
