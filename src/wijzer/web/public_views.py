"""The public site: home, search, match, instrument pages, the functional overview."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from wijzer.app import matches, registers
from wijzer.app.indexing import listed_records
from wijzer.catalog import taxonomy
from wijzer.i18n.formatting import format_month
from wijzer.matcher.profile import ProfileError
from wijzer.search.backend import BackendUnavailable, IndexMissing
from wijzer.search.query import QueryError
from wijzer.search.results import display_deadline, record_status
from wijzer.web import feeds, overview, services
from wijzer.web.fact_rows import fact_rows, origin_label, status_view
from wijzer.web.headers import set_security_headers
from wijzer.web.instruments import (
    MergedInto,
    NotPublic,
    history,
    load_public,
    provenance,
    similar,
)
from wijzer.web.match_requests import request_from_form
from wijzer.web.notices import is_notice, notice_view
from wijzer.web.presentation import HELPERS, amount, lang
from wijzer.web.problems import problem
from wijzer.web.searching import DEADLINE_BUCKETS, highlight_html, run_search

log = logging.getLogger(__name__)

blueprint = Blueprint("public", __name__)

# Headers apply to every response of the app, including other areas' pages.
blueprint.after_app_request(set_security_headers)


@blueprint.app_context_processor
def _helpers() -> dict[str, Any]:
    return {
        **HELPERS,
        "highlight": highlight_html,
        "today": dt.date.today(),
        "status_of": record_status,
        "origin_label": origin_label,
        "deadline_of": display_deadline,
    }


@blueprint.app_errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    if exc.response is not None:
        return exc.response  # made whole already (e.g. a rate limit's 429 with Retry-After)
    code = exc.code or 500
    if request.path.startswith("/api/"):
        response = problem(code, exc.description or exc.name)
        if code == 405 and exc.get_response().headers.get("Allow"):
            response.headers["Allow"] = exc.get_response().headers["Allow"]
        return response
    reason = "csrf" if isinstance(exc, CSRFError) else None
    return render_template("error.html", code=code, reason=reason), code


@blueprint.app_errorhandler(Exception)
def _server_error(exc: Exception) -> ResponseReturnValue:
    log.exception("unhandled error on %s", request.path)
    if request.path.startswith("/api/"):
        return problem(500, "Something went wrong on our side.")
    return render_template("error.html", code=500), 500


def _today() -> dt.date:
    return dt.date.today()


@blueprint.get("/")
def home() -> ResponseReturnValue:
    return render_template("public/home.html")


@blueprint.get("/search")
def search() -> ResponseReturnValue:
    try:
        page = run_search(services(), request.args, _today())
    except QueryError as exc:
        return render_template("public/search.html", page=None, error=exc), 400
    return render_template("public/search.html", page=page, error=None, buckets=DEADLINE_BUCKETS)


@blueprint.get("/match")
def match() -> ResponseReturnValue:
    submitted = "description" in request.args
    results, error, match_request = None, None, None
    if submitted:
        try:
            match_request = request_from_form(request.args)
            results = matches.match(services(), match_request, today=_today())
        except ProfileError as exc:
            error = exc
    status = 400 if error else 200
    return render_template(
        "public/match.html", results=results, error=error, req=match_request, submitted=submitted
    ), status


def _public_record(instrument_id: str) -> dict[str, Any]:
    try:
        return load_public(services().catalog, instrument_id)
    except MergedInto as merged:
        abort(redirect(url_for("public.instrument", instrument_id=merged.canonical_id), 301))
    except NotPublic:
        abort(404)


@blueprint.get("/instruments/<path:instrument_id>")
def instrument(instrument_id: str) -> ResponseReturnValue:
    record = _public_record(instrument_id)
    today = _today()
    svc = services()
    try:
        encoder = svc.encoder
    except (OSError, ImportError, RuntimeError, ValueError) as exc:
        log.warning("encoder unavailable, similar instruments by title: %s", exc)
        encoder = None
    state = status_view(record, today)
    try:
        related = similar(svc.backend, record, encoder, today)
    except (BackendUnavailable, IndexMissing) as exc:
        # The record comes from the catalog; only the "similar" block needs the search
        # backend, so the page stays and says that block is missing for now.
        log.warning("similar instruments of %s unavailable: %s", instrument_id, exc)
        related = None
    return render_template(
        "public/instrument.html",
        record=record,
        status=state.status,
        state=state,
        facts=fact_rows(record),
        notice=notice_view(record) if is_notice(record) else None,
        versions=history(svc.catalog, instrument_id),
        similar=related,
        provenance=provenance(svc.catalog, instrument_id),
        register_evidence=registers.register_evidence(svc, record["id"]),
    )


# The day the public pages were last checked against WCAG 2.1 AA (axe-core on every public page
# in both languages at 1366 and 390 px, plus keyboard use); change it with each new check.
ACCESSIBILITY_CHECKED = dt.date(2026, 11, 27)


@blueprint.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template("public/privacy.html")


@blueprint.get("/accessibility")
def accessibility() -> ResponseReturnValue:
    return render_template("public/accessibility.html", checked=ACCESSIBILITY_CHECKED)


@blueprint.get("/contact")
def contact() -> ResponseReturnValue:
    return render_template("public/contact.html", address=services().mail.sender_address)


@blueprint.get("/calendar/<path:instrument_id>")
def instrument_calendar(instrument_id: str) -> ResponseReturnValue:
    record = _public_record(instrument_id)
    body = feeds.to_ics(
        [record],
        services().settings.base_url,
        dt.datetime.now(dt.UTC),
        name=record.get("title") or "Wijzer",
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="{_filename(instrument_id)}.ics"'},
    )


def _filename(instrument_id: str) -> str:
    # Ids may hold "/" and ":"; a download name keeps letters, digits, "-", "_" and ".".
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in instrument_id)


@blueprint.get("/overview")
def overview_page() -> ResponseReturnValue:
    include_closed = (request.args.get("closed") or "") in ("1", "true", "on")
    records = listed_records(services().catalog)
    today = _today()
    data = overview.compute(records, today, include_closed=include_closed)
    return render_template(
        "public/overview.html",
        data=data,
        charts=_charts(records, data, today, include_closed),
        title=_("Overview"),
        include_closed=include_closed,
    )


def _charts(
    records: list[dict[str, Any]], data: dict[str, Any], today: dt.date, include_closed: bool
) -> dict[str, list[overview.Bar]]:
    """Every chart of the overview; each bar carries the search listing what it counts."""
    language = lang()
    closed = {"closed": 1} if include_closed else {}

    def named(vocabulary: str, code: str) -> str:
        return taxonomy.label(vocabulary, code, language)

    level_type = [
        (f"{named('level', lv)} · {named('instrument_type', t)}", n, {"level": lv, "type": t})
        for lv in taxonomy.LEVELS
        for t, n in sorted(data["by_level_and_type"].get(lv, {}).items())
        if n and t in taxonomy.INSTRUMENT_TYPES
    ]
    bands = overview.amount_bands(records, today, include_closed=include_closed)
    months = overview.coming_deadlines(records, today, include_closed=include_closed)
    return {
        "status": overview.bars(
            (named("status", code), n, {"status": code}) for code, n in data["by_status"].items()
        ),
        "level_type": overview.bars((name, n, {**p, **closed}) for name, n, p in level_type),
        "theme": overview.bars(
            (named("theme", code), n, {"theme": code, **closed})
            for code, n in overview.theme_totals(data).items()
        ),
        "amount": overview.bars(
            (_band_label(low, high), n, {"amount_min": low, "amount_max": high, **closed})
            for low, high, n in bands
        ),
        "month": overview.bars(
            (
                format_month(start.isoformat(), language),
                n,
                {"deadline_from": start.isoformat(), "deadline_to": end.isoformat(), **closed},
            )
            for start, end, n in months
        ),
        "province": overview.bars(
            (named("region", code), n, {"level": "regional", "region": code, **closed})
            for code, n in data["regional_per_province"].items()
        ),
    }


def _band_label(low: int | None, high: int | None) -> str:
    if low is None:
        return _("up to %(high)s", high=amount(high))
    if high is None:
        return _("more than %(low)s", low=amount(low - 1))
    return _("from %(low)s to %(high)s", low=amount(low), high=amount(high))
