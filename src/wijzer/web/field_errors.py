"""What to fix in a form, in the page's language.

The use cases name the wrong field with a reason in English (for the CLI, the API and logs);
a page says what to do about that field in its own language instead.
"""

from __future__ import annotations

from flask_babel import gettext as _


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
