"""A refused staff action in the page's language: the field's name for people and what to do.

The curation services name the field with a reason in English (for the CLI, the audit trail and
logs) and a stable code; a staff page words the advice in its own language (`admin` domain),
chosen by field and code, never by the English wording.
"""

from __future__ import annotations

from flask_babel import gettext as _

from wijzer.catalog.curation import CurationError, CurationErrorCode
from wijzer.catalog.curation.accounts import MIN_PASSWORD_LENGTH
from wijzer.web.admin.forms import NUMBER_FIELDS
from wijzer.web.admin.wording import DATE_FIELDS, FIELD_VOCABULARY, label_of


def refusal(error: CurationError) -> str:
    """“Field”: what to do — for a CurationError a staff action raised."""
    return _("%(field)s: %(reason)s", field=_field_name(error.field), reason=_advice(error))


def _field_name(field: str) -> str:
    names = {
        "email": _("Email address"),
        "password": _("Password"),
        "role": _("Role"),
        "reason": _("Reason"),
        "ids": _("Selection"),
        "decision": _("Decision"),
        "id": _("Instrument"),
        "merged_id": _("Instrument to merge"),
        "canonical_id": _("Instrument to keep"),
        "add": _("Values to add"),
        "remove": _("Values to remove"),
        "field": _("Field"),
    }
    return names.get(field) or label_of(field)


def _advice(error: CurationError) -> str:
    field, code = error.field, error.code
    if field == "reason":
        return _("give a reason; it is kept in the audit log.")
    if field == "email":
        if code is CurationErrorCode.EXISTS:
            return _("a staff account with this address exists already.")
        if code is CurationErrorCode.NOT_FOUND:
            return _("there is no staff account with this address.")
        return _("enter a valid email address, for example name@example.org.")
    if field == "password":
        return _(
            "use at least %(n)d characters, several different ones, and no well-known password.",
            n=MIN_PASSWORD_LENGTH,
        )
    if field == "ids":
        return _("tick at least one item.")
    if field == "merged_id":
        if code is CurationErrorCode.INTO_ITSELF:
            return _("an instrument cannot be merged into itself.")
        if code is CurationErrorCode.NOT_MERGED:
            return _("this instrument is not merged into another one.")
        return _("this instrument is merged into another one already.")
    if field == "canonical_id":
        return _("this instrument is merged into another one; keep that one instead.")
    if field == "funder":
        return _(
            "the two listings name different funders; merge them only after checking that "
            "they fund one instrument, and tick that you did."
        )
    if field == "id":
        return _("this instrument is not listed (any more).")
    if field == "source":
        return _("give the name of a source (at most 100 characters).")
    if field in ("add", "remove") and code is CurationErrorCode.MISSING:
        return _("choose at least one value to add or remove.")
    if field == "field":
        return _("choose one of the offered values.")
    if code is CurationErrorCode.NOT_EDITABLE:
        return _("this field cannot be set here.")
    if field in NUMBER_FIELDS:
        return _("write the amount as a number of euros, for example 200000.")
    if field in DATE_FIELDS:
        return _("write the date as year-month-day, for example 2027-03-31.")
    if field == "url":
        return _("give a full web address, starting with https://.")
    if field in FIELD_VOCABULARY or field in ("role", "decision", "add", "remove"):
        return _("choose one of the offered values.")
    return _("this value is not accepted; check what you entered.")
