"""Compose alert emails: text and HTML parts in the subscriber's language, unsubscribe headers."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any
from urllib.parse import quote

from jinja2 import Environment, PackageLoader, select_autoescape

from wijzer.alerts.mail_settings import MailSettings
from wijzer.alerts.tokens import make_token
from wijzer.catalog import taxonomy
from wijzer.i18n.catalogs import gettext_for
from wijzer.i18n.formatting import format_date
from wijzer.i18n.wording import render
from wijzer.matcher.reasons import Reason

KIND_LABELS = {
    "new": "New",
    "deadline_moved": "Deadline moved",
    "reopened": "Open again",
    "amount_changed": "Amount changed",
    "closed_early": "Closed early",
    "closing_soon": "Closing soon",
}


def _environment(html: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("wijzer.alerts", "templates"),
        autoescape=select_autoescape(["html"]) if html else False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env


_HTML = _environment(True)
_TEXT = _environment(False)


def links(mail: MailSettings, subscription_id: int, nonce: str, language: str) -> dict[str, str]:
    """The subscriber's links; the manage token also authorises unsubscribe and not-relevant.
    Each page link carries the subscriber's language, so the page opens in it."""
    secret = mail.secret
    token = make_token(secret, "manage", subscription_id, nonce)
    base = mail.base_url
    confirm = make_token(secret, "confirm", subscription_id, nonce)
    lang = f"?lang={quote(language)}"
    return {
        "token": token,
        "confirm": f"{base}/alerts/confirm/{confirm}{lang}",
        "manage": f"{base}/alerts/manage/{token}{lang}",
        "unsubscribe": f"{base}/alerts/unsubscribe/{token}{lang}",
        # Prefixes: the caller appends the instrument id, then the language.
        "not_relevant": f"{base}/alerts/not-relevant/{token}/",
        "instrument": f"{base}/instruments/",
        "lang": lang,
    }


def _reason_text(reason: dict[str, Any] | str, language: str) -> str:
    # Rows planned before reasons became data hold their words already.
    return reason if isinstance(reason, str) else render(Reason.from_json(reason), language)


def compose(
    mail: MailSettings,
    *,
    subscription: dict[str, Any],
    payload: dict[str, Any],
    message_id: str,
    now: dt.datetime | None = None,
) -> EmailMessage:
    """The full message for one outbox row (confirmation, digest or reminder)."""
    language = subscription["language"]
    _ = gettext_for(language, "alerts")
    url = links(mail, subscription["id"], subscription["nonce"], language)
    kind = payload.get("kind", "digest")
    items = []
    for item in payload.get("items", []):
        items.append(
            {
                **item,
                "url": url["instrument"] + quote(item["id"], safe="") + url["lang"],
                "not_relevant_url": url["not_relevant"] + quote(item["id"], safe="") + url["lang"],
                "labels": [_(KIND_LABELS.get(k, k)) for k in item.get("kinds", [])],
                "reasons": [_reason_text(r, language) for r in item.get("reasons", [])],
                "deadline": item.get("deadline") and format_date(item["deadline"], language),
            }
        )
    spec = subscription.get("spec") or {}
    if subscription["kind"] == "query":
        about = spec.get("q") or ", ".join(
            taxonomy.label(n if n != "region" else "region", v, language)
            for n in ("level", "region", "instrument_type", "theme")
            for v in spec.get(n, [])
        )
    else:
        about = _("your company profile")
    if kind == "confirm":
        subject = _("Confirm your Wijzer alert")
    elif kind == "reminder":
        subject = _("Deadlines coming up for instruments you saved")
    else:
        subject = _("%(count)d new funding matches for you", count=len(items))
        if len(items) == 1:
            subject = _("A new funding match for you: %(title)s", title=items[0]["title"])
    context = {
        "_": _,
        "gettext": _,
        "kind": kind,
        "items": items,
        "links": url,
        "about": about,
        "frequency": _(subscription["frequency"]),
        "lang": language,
        "subject": subject,
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = mail.sender
    message["To"] = subscription["email"]
    message["Message-ID"] = message_id
    message["Date"] = format_datetime((now or dt.datetime.now(dt.UTC)).replace(tzinfo=dt.UTC))
    message["Auto-Submitted"] = "auto-generated"
    if kind != "confirm":
        # RFC 2369 / RFC 8058: mail clients show an unsubscribe button that POSTs here.
        domain = mail.domain
        message["List-Unsubscribe"] = (
            f"<{url['unsubscribe']}>, <mailto:unsubscribe@{domain}?subject=unsubscribe>"
        )
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        message["List-Id"] = f"Wijzer alerts <alerts.{domain}>"
    message.set_content(_TEXT.get_template("email.txt").render(context))
    message.add_alternative(_HTML.get_template("email.html").render(context), subtype="html")
    # After the body: set_content drops Content-* headers set before it.
    message["Content-Language"] = language
    return message
