"""What to fix in a form, in the page's language.

The use cases name the wrong field with a reason in English (for the CLI, the API and logs);
a page says what to do about that field in its own language instead, chosen by the field and
the error's code, never by the English wording.
"""

from __future__ import annotations

from flask_babel import gettext as _

from wijzer.search.query import QueryError, QueryErrorCode


def field_message(field: str) -> str:
    """The message for a field a use case refused ("email", "profile.region", "query", ...)."""
    name = field.removeprefix("profile.")
    if name == "email":
        return _("Enter a valid email address, for example name@example.org.")
    if name == "query":
        return _("Give search words or choose at least one filter.")
    if name == "description":
        return _("Describe your company in a few sentences (at most 5000 characters).")
    if name in ("amount", "amount_min", "amount_max"):
        return _("Write the amount as a number of euros, for example 200000 or 200k.")
    if name == "instrument_id":
        return _("This instrument is not listed (any more); choose one from the search.")
    if name == "q":
        return _("Use fewer search words (at most 1000 characters).")
    if name in ("deadline_from", "deadline_to"):
        return _("Write the date as year-month-day, for example 2027-03-31.")
    labels = {
        "level": _("Level"),
        "region": _("Province"),
        "instrument_type": _("Type"),
        "theme": _("Theme"),
        "size": _("Company size"),
        "stage": _("Stage"),
        "wants": _("What kind of funding do you want?"),
        "frequency": _("How often"),
        "language": _("Language of the emails"),
        "status": _("Status"),
    }
    if name in labels:
        return _("Choose one of the offered options for “%(field)s”.", field=labels[name])
    return _("This form could not be used; please check what you entered.")


def search_message(error: QueryError) -> str:
    """What to change in a search the search refused, in the page's language (never the
    English reason, which names parameters for the API and the logs)."""
    if error.code is QueryErrorCode.DEADLINES_REVERSED:
        return _("The deadline window ends before it starts; swap the two dates.")
    if error.code is QueryErrorCode.AMOUNTS_REVERSED:
        return _("The highest amount is smaller than the lowest; swap the two amounts.")
    if error.code is QueryErrorCode.DEADLINES_COMBINED:
        return _("Choose either “closes within” or your own deadline dates, not both.")
    # An invalid value: what to choose or write depends on the parameter.
    name = error.parameter
    if name in ("page", "per_page"):
        return _("This page of results does not exist; start again from the first page.")
    labels = {
        "type": _("Type of instrument"),
        "language": _("Language"),
        "closes_within": _("Deadline"),
        "sort": _("Sort by"),
        "mode": _("Search mode"),
    }
    if name in labels:
        return _("Choose one of the offered options for “%(field)s”.", field=labels[name])
    return field_message(name)
