"""Signed links for subscribers: expiring confirmation tokens and lasting manage tokens."""

from __future__ import annotations

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

CONFIRM_MAX_AGE = 7 * 24 * 3600


class TokenError(ValueError):
    """A link that is forged, expired or no longer valid."""


def _serializer(secret: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"wijzer-alerts-{purpose}")


def make_token(secret: str, purpose: str, subscription_id: int, nonce: str) -> str:
    return _serializer(secret, purpose).dumps([subscription_id, nonce])


def read_token(
    secret: str, purpose: str, token: str, max_age: int | None = None
) -> tuple[int, str]:
    """(subscription id, nonce) of a valid token, else TokenError saying why."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=max_age)
    except SignatureExpired:
        raise TokenError("this link has expired; subscribe again to get a new one") from None
    except BadSignature:
        raise TokenError("this link is not valid") from None
    if not (isinstance(data, list) and len(data) == 2 and isinstance(data[0], int)):
        raise TokenError("this link is not valid")
    return data[0], str(data[1])
