"""Routes of the staff area; each parses the form, calls a curation service, renders."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_timedelta
from flask_babel import gettext as _
from sqlalchemy import select

from wijzer.app import curating, registers
from wijzer.catalog.curation import CurationError, audit
from wijzer.catalog.curation.accounts import (
    account_key,
    authenticate,
    change_password,
    check_password,
    create_user,
    list_users,
    set_role,
)
from wijzer.catalog.curation.editing import EDITABLE_FIELDS, overrides
from wijzer.catalog.curation.health import source_health
from wijzer.catalog.curation.merging import linked_sources
from wijzer.catalog.curation.policy import policies
from wijzer.catalog.curation.relations import hints_beside, open_hints
from wijzer.catalog.curation.review import (
    AGES,
    CHANGE_KINDS,
    NEW,
    QueueFilter,
    QueueItem,
    open_flags,
)
from wijzer.catalog.curation.review import (
    queue_page as read_queue,
)
from wijzer.catalog.curation.tagging import TAG_FIELDS
from wijzer.catalog.curation_models import ROLES, User
from wijzer.catalog.models import Instrument, utcnow
from wijzer.catalog.repository import InstrumentStore, instrument_content, instrument_to_dict
from wijzer.catalog.status import status_of
from wijzer.matcher.encoders import EncoderUnavailable
from wijzer.web import services
from wijzer.web.admin import auth
from wijzer.web.admin.audit_sentences import action_words, sentences, titles_of
from wijzer.web.admin.duplicate_reasons import candidate_reason, hint_reason
from wijzer.web.admin.forms import display_value, posted_fields, split_codes
from wijzer.web.admin.refusals import refusal
from wijzer.web.admin.wording import (
    FIELD_VOCABULARY,
    diff_rows,
    kind_words,
    label_of,
    state_words,
    value_words,
    when,
)

blueprint = Blueprint("admin", __name__, url_prefix="/admin")
T = TypeVar("T")


@blueprint.before_request
def _guard() -> Any:
    return auth.require_login()


@blueprint.context_processor
def _context() -> dict[str, Any]:
    return {
        "staff": auth.current_user(),
        "display_value": display_value,
        "diff_rows": diff_rows,
        "kind_words": kind_words,
        "label_of": label_of,
        "state_words": state_words,
        "value_words": value_words,
        "when": when,
        "vocabulary_of": FIELD_VOCABULARY,
    }


def _item_kinds(item: QueueItem) -> str:
    """Why an item waits, in words ("new listing, changed by its source")."""
    kinds = [NEW] if item.instrument.review_state == "pending" else []
    kinds += [f.kind for f in item.flags]
    return ", ".join(kind_words(k) for k in dict.fromkeys(kinds))


def _me() -> User:
    user = auth.current_user()
    assert user is not None  # _guard let only logged-in staff through
    return user


def _who() -> str:
    return _me().email


def _act(
    action: Callable[..., curating.Done[T]], *args: Any, **kwargs: Any
) -> curating.Done[T] | None:
    """Run a curation use case; a CurationError is flashed with its field (None returned)."""
    try:
        done = action(services(), *args, **kwargs)
    except CurationError as exc:
        flash(refusal(exc), "error")
        return None
    if done.index_warning:
        flash(done.index_warning, "warning")
    return done


def _in_session(action: Callable[[Any], Any]) -> Any:
    """Run a staff-account or policy action in one transaction; CurationError is flashed."""
    try:
        with services().catalog.session() as session:
            return action(session)
    except CurationError as exc:
        flash(refusal(exc), "error")
        return None


# --- login -------------------------------------------------------------------------------


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Any:
    next_url = request.values.get("next")
    if request.method == "GET":
        return render_template("admin/login.html", next=next_url)
    address = request.remote_addr or "?"
    email = request.form.get("email", "")
    with services().catalog.session() as session:
        result = authenticate(session, email, request.form.get("password", ""), address)
        if result.user is not None:
            auth.login_user(session, result.user)
            audit.record(session, result.user.email, "login", result.user.email)
        else:
            # Failed attempts are part of the security trail (the address, never the password).
            tried = account_key(email) or "(empty)"
            audit.record(session, tried, f"login_{result.outcome}", tried, after={"ip": address})
    if result.outcome == "ok":
        return redirect(auth.safe_next(next_url))
    if result.outcome == "throttled" and result.wait_until is not None:
        # The same answer for every name typed, staff account or not.
        wait = max(dt.timedelta(seconds=1), result.wait_until - utcnow())
        flash(
            _(
                "Too many failed logins; wait %(wait)s before trying again.",
                wait=format_timedelta(wait, threshold=1.1),
            ),
            "error",
        )
        seconds = str(math.ceil(wait.total_seconds()))
        page = render_template("admin/login.html", next=next_url)
        return page, 429, {"Retry-After": seconds}
    flash(_("Wrong email or password."), "error")
    return render_template("admin/login.html", next=next_url), 401


@blueprint.post("/logout")
def logout() -> Any:
    auth.logout_user()
    return redirect(url_for("admin.login"))


@blueprint.route("/password", methods=["GET", "POST"])
def password_page() -> Any:
    """Change one's own password; every other session of the account ends."""
    if request.method == "GET":
        return render_template("admin/password.html")
    form = request.form
    with services().catalog.session() as session:
        user = session.get(User, _me().id)
        assert user is not None
        if not check_password(user, form.get("current_password", "")):
            flash(_("The current password is wrong."), "error")
            return render_template("admin/password.html"), 400
        if form.get("new_password", "") != form.get("new_password_again", ""):
            flash(_("The new passwords differ."), "error")
            return render_template("admin/password.html"), 400
        try:
            change_password(session, user, form.get("new_password", ""))
        except CurationError as exc:
            flash(refusal(exc), "error")
            return render_template("admin/password.html"), 400
        audit.record(session, user.email, "password_changed", user.email)
        auth.login_user(session, user)
    flash(_("Your password is changed; other sessions of your account have ended."), "ok")
    return redirect(url_for("admin.queue_page"))


# --- review queue ------------------------------------------------------------------------


def _age_words() -> list[tuple[str, str]]:
    words = {
        "day": _("less than a day"),
        "week": _("1 to 7 days"),
        "month": _("1 to 4 weeks"),
        "older": _("more than 4 weeks"),
    }
    return [(age, words[age]) for age in AGES]


@blueprint.get("")
@blueprint.get("/")
def queue_page() -> Any:
    """The queue, a page at a time, narrowed by source, kind of change and time waiting."""
    args = request.args
    wanted = QueueFilter(
        source=args.get("source") or None,
        kind=args.get("kind") if args.get("kind") in CHANGE_KINDS else None,
        age=args.get("age") if args.get("age") in AGES else None,
    )
    now = utcnow()
    with services().catalog.session() as session:
        result = read_queue(session, wanted, args.get("page", 1, type=int), now=now)
        return render_template(
            "admin/queue.html",
            result=result,
            wanted=wanted,
            kinds=CHANGE_KINDS,
            ages=_age_words(),
            now=now,
            item_kinds=_item_kinds,
            beside=hints_beside(session, [i.instrument.id for i in result.items]),
            hint_count=len(open_hints(session)),
        )


def _title(instrument_id: str) -> str:
    with services().catalog.session() as session:
        found = session.get(Instrument, instrument_id)
        return found.title if found is not None else instrument_id


@blueprint.post("/instruments/<path:instrument_id>/approve")
def approve_item(instrument_id: str) -> Any:
    reason = request.form.get("reason", "")
    if _act(curating.approve_instrument, instrument_id, _who(), reason):
        flash(_("Published “%(title)s”.", title=_title(instrument_id)), "ok")
    return redirect(auth.safe_next(request.form.get("back")))


@blueprint.post("/instruments/<path:instrument_id>/reject")
def reject_item(instrument_id: str) -> Any:
    reason = request.form.get("reason", "")
    if _act(curating.reject_instrument, instrument_id, _who(), reason):
        flash(_("Hidden “%(title)s”.", title=_title(instrument_id)), "ok")
    return redirect(auth.safe_next(request.form.get("back")))


@blueprint.post("/queue/decide")
def decide_items() -> Any:
    """Approve or reject the items ticked in the queue, all in one transaction."""
    decision = request.form.get("decision", "")
    ids = request.form.getlist("id")
    done = _act(curating.decide_instruments, ids, decision, _who(), request.form.get("reason", ""))
    if done is not None:
        if decision == "approve":
            flash(_("Published %(n)d item(s).", n=len(done.value)), "ok")
        else:
            flash(_("Hidden %(n)d item(s).", n=len(done.value)), "ok")
    return redirect(auth.safe_next(request.form.get("back")))


# --- one instrument: edit with overrides -------------------------------------------------


def _instrument_page(instrument_id: str, status: int = 200) -> Any:
    with services().catalog.session() as session:
        store = InstrumentStore(session)
        instrument = store.get(instrument_id)
        if instrument is None:
            abort(404)
        record = instrument_to_dict(instrument)
        return render_template(
            "admin/instrument.html",
            instrument=instrument,
            decision=status_of(record, dt.date.today()),
            evidence=record.get("evidence") or {},
            fields=EDITABLE_FIELDS,
            values=instrument_content(instrument),
            overrides=overrides(session, instrument_id),
            history=list(reversed(store.history(instrument_id))),
            flags=open_flags(session, instrument_id),
            linked=linked_sources(session, instrument_id),
        ), status


@blueprint.get("/instruments/<path:instrument_id>")
def instrument_page(instrument_id: str) -> Any:
    return _instrument_page(instrument_id)


@blueprint.post("/instruments/<path:instrument_id>")
def edit_instrument(instrument_id: str) -> Any:
    reason = request.form.get("reason", "")
    try:
        values = posted_fields(request.form, EDITABLE_FIELDS)
    except CurationError as exc:
        flash(refusal(exc), "error")
        return _instrument_page(instrument_id, 400)
    done = _act(curating.edit_instrument, instrument_id, values, _who(), reason)
    if done is None:
        return _instrument_page(instrument_id, 400)
    if done.value:
        flash(_("Saved %(n)d change(s).", n=len(done.value)), "ok")
    else:
        flash(_("Nothing changed."), "ok")
    return redirect(url_for("admin.instrument_page", instrument_id=instrument_id))


@blueprint.post("/instruments/<path:instrument_id>/overrides/<field>/remove")
def remove_override_view(instrument_id: str, field: str) -> Any:
    done = _act(curating.drop_override, instrument_id, field, _who())
    if done and done.value:
        flash(_("The crawled value of %(field)s shows again.", field=field), "ok")
    return redirect(url_for("admin.instrument_page", instrument_id=instrument_id))


# --- manual listings ---------------------------------------------------------------------


@blueprint.route("/new", methods=["GET", "POST"])
def new_listing() -> Any:
    values: dict[str, Any] = {"level": "national", "instrument_type": "subsidy", "language": "nl"}
    if request.method == "POST":
        try:
            values = posted_fields(request.form, EDITABLE_FIELDS)
            reason = request.form.get("reason", "")
            done = _act(curating.create_instrument, values, _who(), reason)
        except CurationError as exc:
            flash(refusal(exc), "error")
            done = None
        new_id = done.value if done else None
        if new_id:
            flash(_("Created %(id)s.", id=new_id), "ok")
            return redirect(url_for("admin.instrument_page", instrument_id=new_id))
        return render_template("admin/new.html", fields=EDITABLE_FIELDS, values=values), 400
    return render_template("admin/new.html", fields=EDITABLE_FIELDS, values=values)


# --- duplicates and merges ---------------------------------------------------------------


@blueprint.get("/duplicates")
def duplicates_page() -> Any:
    hints = curating.duplicate_hints(services())
    # Comparing content embeddings costs an encoding per record, so only on request.
    by_content = request.args.get("content") == "1"
    try:
        candidates = curating.duplicates(services(), by_content=by_content)
    except EncoderUnavailable as exc:
        flash(str(exc), "warning")
        candidates = curating.duplicates(services(), by_content=False)
    return render_template(
        "admin/duplicates.html",
        hints=hints,
        candidates=candidates,
        by_content=by_content,
        hint_reason=hint_reason,
        candidate_reason=candidate_reason,
    )


@blueprint.post("/merge")
def merge_view() -> Any:
    canonical_id = request.form.get("canonical_id", "").strip()
    merged_id = request.form.get("merged_id", "").strip()
    reason = request.form.get("reason", "")
    checked = request.form.get("funders_checked") == "1"
    if _act(
        curating.merge_instruments, canonical_id, merged_id, _who(), reason, funders_checked=checked
    ):
        flash(
            _("Merged %(merged)s into %(canonical)s.", merged=merged_id, canonical=canonical_id),
            "ok",
        )
    return redirect(request.form.get("back") or url_for("admin.duplicates_page"))


@blueprint.post("/keep-apart")
def keep_apart_view() -> Any:
    left_id = request.form.get("left_id", "").strip()
    right_id = request.form.get("right_id", "").strip()
    reason = request.form.get("reason", "")
    if _act(curating.keep_apart_instruments, left_id, right_id, _who(), reason):
        flash(_("Kept %(left)s and %(right)s apart.", left=left_id, right=right_id), "ok")
    return redirect(url_for("admin.duplicates_page"))


@blueprint.post("/instruments/<path:instrument_id>/split")
def split_view(instrument_id: str) -> Any:
    reason = request.form.get("reason", "")
    done = _act(curating.split_instrument, instrument_id, _who(), reason)
    if done:
        flash(
            _("Split %(merged)s off %(canonical)s.", merged=instrument_id, canonical=done.value),
            "ok",
        )
        return redirect(url_for("admin.instrument_page", instrument_id=done.value))
    return redirect(url_for("admin.instrument_page", instrument_id=instrument_id))


# --- bulk tagging ------------------------------------------------------------------------


@blueprint.route("/tags", methods=["GET", "POST"])
def tags_page() -> Any:
    status = 200
    if request.method == "POST":
        ids = split_codes(request.form.get("ids", "")) + request.form.getlist("id")
        field = request.form.get("field", "")
        done = _act(
            curating.tag_instruments,
            ids,
            field,
            _who(),
            # Picked from the vocabularies (or, from a script, typed comma-separated).
            add=[c for raw in request.form.getlist("add") for c in split_codes(raw)],
            remove=[c for raw in request.form.getlist("remove") for c in split_codes(raw)],
            reason=request.form.get("reason", ""),
        )
        if done is None:
            status = 400
        else:
            flash(_("Tagged %(n)d instrument(s).", n=len(done.value)), "ok")
            return redirect(url_for("admin.tags_page"))
    with services().catalog.session() as session:
        listed = list(
            session.scalars(
                select(Instrument)
                .where(Instrument.merged_into.is_(None))
                .order_by(Instrument.title)
            )
        )
        return render_template("admin/tags.html", instruments=listed, tag_fields=TAG_FIELDS), status


# --- source health and policies ----------------------------------------------------------


@blueprint.get("/health")
def health_page() -> Any:
    with services().catalog.session() as session:
        return render_template("admin/health.html", sources=source_health(session))


@blueprint.get("/register-candidates")
def register_candidates_page() -> Any:
    return render_template(
        "admin/register_candidates.html", candidates=registers.register_candidates(services())
    )


def _known_sources() -> list[str]:
    with services().catalog.session() as session:
        return sorted(set(session.scalars(select(Instrument.source).distinct())))


@blueprint.route("/sources", methods=["GET", "POST"])
@auth.admin_required
def sources_page() -> Any:
    if request.method == "POST":
        source = request.form.get("source", "")
        auto = request.form.get("auto_publish") == "1"
        try:
            curating.set_source_policy(services(), source, auto, _who())
        except CurationError as exc:
            flash(refusal(exc), "error")
        else:
            flash(_("Policy of %(source)s saved.", source=source), "ok")
        return redirect(url_for("admin.sources_page"))
    sources = _known_sources()
    with services().catalog.session() as session:
        return render_template("admin/sources.html", policies=policies(session, sources))


# --- audit log ---------------------------------------------------------------------------


def _audit_filters() -> dict[str, Any]:
    def day(name: str) -> dt.date | None:
        raw = request.args.get(name, "").strip()
        if not raw:
            return None
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            abort(400, description=f"{name}: {raw!r} is not a date (YYYY-MM-DD)")

    return {
        "who": request.args.get("who") or None,
        "action": request.args.get("action") or None,
        "date_from": day("from"),
        "date_to": day("to"),
    }


@blueprint.get("/audit")
def audit_page() -> Any:
    filters = _audit_filters()
    with services().catalog.session() as session:
        entries = audit.entries(session, **filters)
        titles = titles_of(session, entries)
        return render_template(
            "admin/audit.html",
            entries=[(e, sentences(e, titles)) for e in entries],
            actions=[(a, action_words(a)) for a in audit.actions(session)],
            users=[u.email for u in list_users(session)],
            args=request.args,
        )


@blueprint.get("/audit.csv")
def audit_csv() -> Response:
    """The filtered log as CSV: a sentence per entry first, then the recorded values."""
    filters = _audit_filters()
    with services().catalog.session() as session:
        entries = audit.entries(session, **filters, limit=None)
        titles = titles_of(session, entries)
        body = audit.to_csv(entries, lambda e: " ".join(sentences(e, titles)))
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=wijzer-audit.csv"},
    )


# --- users (admins only) -----------------------------------------------------------------


@blueprint.route("/users", methods=["GET", "POST"])
@auth.admin_required
def users_page() -> Any:
    status = 200
    if request.method == "POST":
        email = request.form.get("email", "")
        role = request.form.get("role", "")

        def _save(session: Any) -> bool:
            if request.form.get("change_role"):
                set_role(session, email, role)
                audit.record(session, _who(), "set_role", email, after={"role": role})
            else:
                create_user(session, email, role, request.form.get("password", ""))
                audit.record(session, _who(), "create_user", email, after={"role": role})
            return True

        if _in_session(_save):
            flash(_("Saved %(email)s.", email=email), "ok")
            return redirect(url_for("admin.users_page"))
        status = 400
    with services().catalog.session() as session:
        return render_template("admin/users.html", users=list_users(session), roles=ROLES), status
