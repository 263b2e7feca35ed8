"""Alert pages: subscribe, confirm, manage, one-click unsubscribe and "not relevant".

Links carry a signed token naming the subscription and its nonce; holding the link is the
authorisation (no login), so these token routes need no CSRF token. That is also what
RFC 8058 one-click unsubscribe requires: mail clients POST without any page state.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from wijzer.alerts.subscriptions import QUERY_FILTERS, SubscriptionError
from wijzer.alerts.tokens import TokenError
from wijzer.app import subscribers
from wijzer.app.subscribers import SubscriptionGone
from wijzer.catalog import taxonomy
from wijzer.catalog.alerts_models import FREQUENCIES
from wijzer.web import services
from wijzer.web.field_errors import field_message
from wijzer.web.instruments import MergedInto, NotPublic, load_public
from wijzer.web.presentation import lang
from wijzer.web.saved_alerts import saved_in_words

blueprint = Blueprint("alerts", __name__, url_prefix="/alerts")


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


def _field_error(exc: SubscriptionError) -> str:
    return field_message(exc.field)


def _spec(form: MultiDict[str, str]) -> tuple[str, dict[str, Any]]:
    """The subscription the form asks for: a profile (from the match page), one instrument's
    deadlines (from its page) or a search."""
    if form.get("kind") == "profile":
        fields = ("description", "region", "size", "stage", "amount")
        profile: dict[str, Any] = {name: form.get(name) or None for name in fields}
        return "profile", {**profile, "wants": [w for w in form.getlist("wants") if w]}
    if form.get("kind") == "instrument":
        return "instrument", {"instrument_id": form.get("instrument_id", "")}
    return "query", {"q": form.get("q", ""), **{n: form.getlist(n) for n in QUERY_FILTERS}}


def _instrument(form: MultiDict[str, str]) -> dict[str, Any] | None:
    """The listed instrument an instrument alert is about, if the form names one."""
    instrument_id = form.get("instrument_id") if form.get("kind") == "instrument" else None
    if not instrument_id:
        return None
    try:
        return load_public(services().catalog, instrument_id)
    except (NotPublic, MergedInto):
        return None


def _page(form: MultiDict[str, str], error: str | None = None) -> str:
    return render_template(
        "alerts/subscribe.html",
        form=form,
        error=error,
        instrument=_instrument(form),
        chosen={name: form.getlist(name) for name in QUERY_FILTERS},
        **_choices(),
    )


def link_page(view: Callable[..., Any]) -> Callable[..., Any]:
    """Pages behind a link: a bad or expired link, or a removed subscription, get a page."""

    @functools.wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except TokenError as exc:
            return _message(_("Link not valid"), _(str(exc)), 400)
        except SubscriptionGone:
            return _message(
                _("Subscription not found"),
                _("This alert no longer exists; it may have been unsubscribed."),
                404,
            )

    return wrapper


@blueprint.route("/subscribe", methods=["GET", "POST"])
def subscribe() -> Any:
    form = request.form if request.method == "POST" else request.args
    if request.method == "GET":
        return _page(form)
    kind, spec = _spec(form)
    try:
        # On an SMTP failure the confirmation stays in the outbox; the worker retries it.
        subscription = subscribers.subscribe(
            services(),
            form.get("email", ""),
            kind,
            spec,
            form.get("frequency", "weekly"),
            form.get("language", "nl"),
        )
    except SubscriptionError as exc:
        return _page(form, _field_error(exc)), 400
    return _message(
        _("Check your inbox"),
        _("We sent a confirmation link to %(email)s.", email=subscription["email"]),
    )


@blueprint.route("/confirm/<token>", methods=["GET", "POST"])
@link_page
def confirm(token: str) -> Any:
    if (
        request.method == "GET"
        and subscribers.show(services(), token, "confirm")["confirmed_at"] is None
    ):
        # A button, not an action on GET: link scanners in mail systems follow links.
        return render_template("alerts/confirm.html", token=token)
    subscription = subscribers.confirm(services(), token)
    return _message(
        _("Alert confirmed"),
        _("You will receive alerts at %(email)s.", email=subscription["email"]),
        manage_url=subscription["manage_url"],
    )


@blueprint.route("/manage/<token>", methods=["GET", "POST"])
@link_page
def manage(token: str) -> Any:
    error = None
    status = 200
    if request.method == "POST":
        form = request.form
        # The "what about" form sends the search or profile; the others leave it as it is.
        spec = _spec(form)[1] if form.get("kind") in ("query", "profile") else None
        try:
            subscribers.change(
                services(),
                token,
                frequency=form.get("frequency") or None,
                language=form.get("language") or None,
                status=form.get("status") or None,
                spec=spec,
            )
        except SubscriptionError as exc:
            error, status = _field_error(exc), 400
    saved = subscribers.show(services(), token)
    instrument = None
    if saved["kind"] == "instrument":
        instrument = _instrument(MultiDict({"kind": "instrument", **saved["spec"]}))
    return render_template(
        "alerts/manage.html",
        token=token,
        sub=saved,
        about=saved_in_words(saved, lang()),
        chosen={name: saved["spec"].get(name) or [] for name in QUERY_FILTERS},
        instrument=instrument,
        error=error,
        saved=request.method == "POST" and error is None,
        **_choices(),
    ), status


@blueprint.route("/unsubscribe/<token>", methods=["GET", "POST"])
@link_page
def unsubscribe(token: str) -> Any:
    if request.method == "GET":
        email = subscribers.show(services(), token)["email"]
        return render_template("alerts/unsubscribe.html", token=token, email=email)
    subscribers.unsubscribe(services(), token)
    return _message(
        _("Unsubscribed"),
        _("You will not receive these alerts any more; we deleted the subscription."),
    )


@blueprint.route("/not-relevant/<token>/<path:instrument_id>", methods=["GET", "POST"])
@link_page
def not_relevant(token: str, instrument_id: str) -> Any:
    if request.method == "GET":
        subscribers.show(services(), token)
        return render_template("alerts/not_relevant.html", token=token, instrument_id=instrument_id)
    try:
        subscribers.not_relevant(services(), token, instrument_id)
    except SubscriptionError as exc:
        return _message(_("Not found"), exc.reason, 404)
    return _message(_("Noted"), _("This instrument will not appear in your alerts again."))


@blueprint.route("/save/<token>/<path:instrument_id>", methods=["POST"])
@link_page
def save(token: str, instrument_id: str) -> Any:
    try:
        subscribers.save(services(), token, instrument_id)
    except SubscriptionError as exc:
        return _message(_("Not found"), exc.reason, 404)
    return _message(_("Saved"), _("We will remind you before its deadline."))
