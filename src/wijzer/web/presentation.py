"""Template helpers: taxonomy labels in the page language, amounts, dates, URLs with changes."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from flask import g, request
from flask_babel import gettext as _

from wijzer.catalog import links, taxonomy
from wijzer.catalog.links import LinkVerdict
from wijzer.i18n import formatting, wording
from wijzer.i18n.public_text import public_text
from wijzer.matcher.ranking import MatchResult
from wijzer.matcher.reasons import Reason
from wijzer.web.field_errors import field_message, search_message


def lang() -> str:
    return str(g.get("lang", "nl"))


def label(vocabulary: str, code: str | None) -> str:
    return taxonomy.label(vocabulary, code, lang()) if code else ""


def amount(value: float | None) -> str:
    return formatting.format_currency(value, lang()) if value is not None else ""


def amount_input(value: float) -> str:
    """An amount as a form field holds it again: digits only, no separators or decimals."""
    return str(int(value)) if float(value).is_integer() else str(value)


def date(value: str | dt.date | dt.datetime | None) -> str:
    if not value:
        return ""
    try:
        return formatting.format_date(value, lang())
    except ValueError:
        return str(value)


def age(delta: dt.timedelta | None) -> str:
    """How long ago, in the page's language ("3 dagen", "5 hours")."""
    return formatting.format_age(delta, lang()) if delta is not None else ""


def reason_text(reason: Reason) -> str:
    """A matcher reason or blocker in the page's language."""
    return wording.render(reason, lang())


def summary_of(record: dict[str, Any]) -> str:
    """A record's summary without notes about the crawl, its dates written out."""
    return public_text(record.get("summary"), record.get("language"))


def quote_of(quote: str | None, record: dict[str, Any]) -> str:
    """A quote from a record's own text, as its summary is shown (no notes about the crawl)."""
    return public_text(quote, record.get("language"))


def fit_of(result: MatchResult) -> dict[str, Any]:
    """How well a match fits, in the page's language (band, words, 0-100)."""
    return wording.fit_json(result, lang())


def url_with(endpoint_path: str | None = None, drop: tuple[str, ...] = (), **changes: Any) -> str:
    """The current URL's query with some parameters replaced (None removes one)."""
    items = [
        (k, v)
        for k, v in request.args.items(multi=True)
        if k not in changes and k not in drop and k != "lang"
    ]
    for key, value in changes.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            items.extend((key, str(v)) for v in value)
        else:
            items.append((key, str(value)))
    query = urlencode(items)
    path = endpoint_path or request.path
    return f"{path}?{query}" if query else path


def lang_url(code: str) -> str:
    """This page in another language (the choice is remembered from then on)."""
    items = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    items.append(("lang", code))
    return f"{request.path}?{urlencode(items)}"


def http_url(value: str | None) -> str:
    """A crawled link only when it is http(s); javascript: and other schemes are dropped."""
    text = (value or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def field_label(name: str) -> str:
    """A record field's name for people (the version history names changed fields)."""
    labels = {
        "title": _("Title"),
        "summary": _("Summary"),
        "description": _("Description"),
        "funder": _("Funder"),
        "level": _("Level"),
        "regions": _("Regions"),
        "municipality": _("Municipality"),
        "instrument_type": _("Type of instrument"),
        "themes": _("Themes"),
        "sizes": _("Company sizes"),
        "stages": _("Stages"),
        "amount_min": _("Minimum amount"),
        "amount_max": _("Maximum amount"),
        "budget_total": _("Total budget"),
        "opens_at": _("Opens"),
        "deadlines": _("Deadlines"),
        "language": _("Language"),
        "url": _("Web page"),
        "source": _("Source"),
        "source_id": _("Source reference"),
        "source_url": _("Source page"),
        "extra": _("Other details"),
        "withdrawn_at": _("Withdrawn"),
        "merged_from": _("Combined with"),
        "merged_source": _("From source"),
        "merged_into": _("Merged into"),
    }
    return labels.get(name, name)


def publisher_kind(kind: str | None) -> str:
    """What kind of third party a host is, for the label of its link."""
    kinds = {
        "news": _("news media"),
        "regional_media": _("regional media"),
        "consultancy": _("a consultancy"),
        "subsidy_portal": _("a subsidy portal"),
        "contact_point": _("a contact point or advisory page"),
        "foreign_portal": _("another country's portal"),
        "legal_database": _("a legal database"),
        "association": _("an association"),
        "wiki": _("a wiki"),
        "regional_organisation": _("a regional organisation"),
        "audit": _("an audit report"),
    }
    return kinds.get(kind or "", _("an unknown publisher"))


def link_text(verdict: LinkVerdict) -> str:
    """The words of an instrument's link: official pages say so, others say whose they are."""
    host = verdict.host or ""
    if verdict.rule in (links.FUNDER_SITE, links.FUNDER_DOMAIN) and verdict.kind not in (
        "portal",
        "gazette",
    ):
        return _("Read the official page of the funder (%(host)s)", host=host)
    if verdict.official:
        return _("Read the official page (%(host)s)", host=host)
    return _("Read the third-party page (%(host)s)", host=host)


def link_note(verdict: LinkVerdict) -> str:
    """Why a link is official or not, in one sentence."""
    organisation = verdict.organisation or verdict.host or ""
    if verdict.rule in (links.FUNDER_SITE, links.FUNDER_DOMAIN) and verdict.kind not in (
        "portal",
        "gazette",
    ):
        return _("This is the funder's own website.")
    if verdict.official and verdict.rule == links.TENDER_PORTAL:
        return _(
            "An official tender portal that publishes this tender (%(org)s).", org=organisation
        )
    if verdict.official and verdict.kind == "eu":
        return _("An official portal of the European Commission.")
    if verdict.official:
        return _("An official government portal or publication (%(org)s).", org=organisation)
    if verdict.rule == links.NOT_FOR_THIS_SCHEME:
        return _(
            "A page of an official body that is neither the funder nor a portal for this"
            " instrument (%(org)s); check the details with the funder.",
            org=organisation,
        )
    return _(
        "Not the funder's own page but %(kind)s; check the details with the funder.",
        kind=publisher_kind(verdict.kind),
    )


def source_name(record: dict[str, Any]) -> str:
    """How a record came into Wijzer, for the list of an instrument's sources."""
    source = record.get("source") or ""
    kind = links.source_kind(source, record.get("extra"))
    if kind == links.THIRD_PARTY_NOTE:
        return _("imported: facts of a third-party page, in our own words")
    if kind in (links.PAGE_EXCERPT, links.IMPORT):
        return _("imported")
    if kind == links.STAFF:
        return _("entered by Wijzer staff")
    return _("found by our crawler (%(source)s)", source=source)


HELPERS = {
    "field_label": field_label,
    "link_note": link_note,
    "link_text": link_text,
    "source_name": source_name,
    "http_url": http_url,
    "label": label,
    "amount": amount,
    "amount_input": amount_input,
    "age": age,
    "fmt_date": date,
    "reason_text": reason_text,
    "fit_of": fit_of,
    "summary_of": summary_of,
    "quote_of": quote_of,
    "field_message": field_message,
    "search_message": search_message,
    "url_with": url_with,
    "lang_url": lang_url,
    "vocab": taxonomy.VOCABULARIES,
}
