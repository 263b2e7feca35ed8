"""Alert pages: subscribe, confirm, manage, one-click unsubscribe and "not relevant".

Links carry a signed token naming the subscription and its nonce; holding the link is the
authorisation (no login), so these token routes need no CSRF token. That is also what
RFC 8058 one-click unsubscribe requires: mail clients POST without any page state.
"""

from __future__ import annotations

import contextlib
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from wijzer.alerts import subscriptions as subs
from wijzer.alerts.delivery import RowBusy, TransientDeliveryError, deliver
from wijzer.alerts.digests import queue_confirmation
from wijzer.alerts.tokens import CONFIRM_MAX_AGE, TokenError, read_token, secret_for
from wijzer.catalog import taxonomy
from wijzer.catalog.alerts_models import FREQUENCIES, Subscription
from wijzer.web import services

blueprint = Blueprint("alerts", __name__, url_prefix="/alerts")


def _secret() -> str:
    return secret_for(services().settings)


def _message(title: str, text: str, status: int = 200, **extra: Any) -> tuple[str, int]:
    return render_template("alerts/message.html", title=title, text=text, **extra), status


def _choices() -> dict[str, Any]:
    return {
        "frequencies": FREQUENCIES,
        "levels": taxonomy.VOCABULARIES["level"],
        "regions": taxonomy.VOCABULARIES["region"],
        "types": taxonomy.VOCABULARIES["instrument_type"],
        "themes": taxonomy.VOCABULARIES["theme"],
    }


@blueprint.route("/subscribe", methods=["GET", "POST"])
def subscribe() -> Any:
    form = request.form if request.method == "POST" else request.args
    if request.method == "GET":
        return render_template("alerts/subscribe.html", form=form, error=None, **_choices())
    spec = {
        "q": form.get("q", ""),
        **{name: form.getlist(name) for name in subs.QUERY_FILTERS},
    }
    catalog = services().catalog
    try:
        with catalog.session() as session:
            subscription = subs.subscribe(
                session,
                form.get("email", ""),
                "query",
                spec,
                form.get("frequency", "weekly"),
                form.get("language", "nl"),
            )
    except subs.SubscriptionError as exc:
        error = _("%(field)s: %(reason)s", field=exc.field, reason=exc.reason)
        return render_template("alerts/subscribe.html", form=form, error=error, **_choices()), 400
    outbox_id = queue_confirmation(catalog, subscription)
    if outbox_id is not None:
        # On an SMTP failure the message stays in the outbox; the worker retries it.
        with contextlib.suppress(TransientDeliveryError, RowBusy):
            deliver(catalog, services().settings, outbox_id)
    return _message(
        _("Check your inbox"),
        _("We sent a confirmation link to %(email)s.", email=subscription.email),
    )


def _load(session: Any, token: str, purpose: str) -> Subscription | tuple[str, int]:
    """The subscription a link names, or the error page to show instead."""
    max_age = CONFIRM_MAX_AGE if purpose == "confirm" else None
    try:
        subscription_id, nonce = read_token(_secret(), purpose, token, max_age)
    except TokenError as exc:
        return _message(_("Link not valid"), _(str(exc)), 400)
    subscription = subs.find(session, subscription_id, nonce)
    if subscription is None:
        return _message(
            _("Subscription not found"),
            _("This alert no longer exists; it may have been unsubscribed."),
            404,
        )
    return subscription


@blueprint.route("/confirm/<token>", methods=["GET", "POST"])
def confirm(token: str) -> Any:
    with services().catalog.session() as session:
        subscription = _load(session, token, "confirm")
        if isinstance(subscription, tuple):
            return subscription
        if request.method == "GET" and subscription.confirmed_at is None:
            # A button, not an action on GET: link scanners in mail systems follow links.
            return render_template("alerts/confirm.html", token=token)
        subs.confirm(subscription)
        from wijzer.alerts.emails import links

        manage = links(services().settings, _secret(), subscription.id, subscription.nonce)
    return _message(
        _("Alert confirmed"),
        _("You will receive alerts at %(email)s.", email=subscription.email),
        manage_url=manage["manage"],
    )


@blueprint.route("/manage/<token>", methods=["GET", "POST"])
def manage(token: str) -> Any:
    with services().catalog.session() as session:
        subscription = _load(session, token, "manage")
        if isinstance(subscription, tuple):
            return subscription
        error = None
        status = 200
        if request.method == "POST":
            try:
                subs.update(
                    subscription,
                    frequency=request.form.get("frequency") or None,
                    language=request.form.get("language") or None,
                    status=request.form.get("status") or None,
                )
            except subs.SubscriptionError as exc:
                error, status = _("%(field)s: %(reason)s", field=exc.field, reason=exc.reason), 400
        saved = subs.subscription_json(subscription)
    return render_template(
        "alerts/manage.html",
        token=token,
        sub=saved,
        error=error,
        saved=request.method == "POST" and error is None,
        frequencies=FREQUENCIES,
    ), status


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token: str) -> Any:
    with services().catalog.session() as session:
        subscription = _load(session, token, "manage")
        if isinstance(subscription, tuple):
            return subscription
        if request.method == "GET":
            return render_template("alerts/unsubscribe.html", token=token, email=subscription.email)
        subs.unsubscribe(session, subscription)
    return _message(
        _("Unsubscribed"),
        _("You will not receive these alerts any more; we deleted the subscription."),
    )


@blueprint.route("/not-relevant/<token>/<path:instrument_id>", methods=["GET", "POST"])
def not_relevant(token: str, instrument_id: str) -> Any:
    with services().catalog.session() as session:
        subscription = _load(session, token, "manage")
        if isinstance(subscription, tuple):
            return subscription
        if request.method == "GET":
            return render_template(
                "alerts/not_relevant.html", token=token, instrument_id=instrument_id
            )
        try:
            subs.exclude(session, subscription, instrument_id)
        except subs.SubscriptionError as exc:
            return _message(_("Not found"), exc.reason, 404)
    return _message(_("Noted"), _("This instrument will not appear in your alerts again."))


@blueprint.route("/save/<token>/<path:instrument_id>", methods=["POST"])
def save(token: str, instrument_id: str) -> Any:
    with services().catalog.session() as session:
        subscription = _load(session, token, "manage")
        if isinstance(subscription, tuple):
            return subscription
        try:
            subs.save_instrument(session, subscription, instrument_id)
        except subs.SubscriptionError as exc:
            return _message(_("Not found"), exc.reason, 404)
    return _message(_("Saved"), _("We will remind you before its deadline."))
