"""Dates, money and numbers as the reader writes them, through Babel (nl_NL and en_GB)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Literal

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.dates import format_skeleton, format_timedelta
from babel.lists import format_list as babel_format_list
from babel.numbers import format_currency as babel_format_currency
from babel.numbers import format_decimal
from babel.numbers import format_percent as babel_format_percent

from wijzer.i18n.catalogs import language_of

# British English: "8 April 2027" and "€150,000", as people in Europe read them.
LOCALES = {"nl": "nl_NL", "en": "en_GB"}


def locale_for(language: str) -> str:
    return LOCALES[language_of(language)]


def parse_day(value: str | dt.date | dt.datetime) -> dt.date | dt.datetime:
    """A date from an ISO string (as JSON and the catalog carry them) or a date as it is."""
    if isinstance(value, str):
        return dt.datetime.fromisoformat(value) if "T" in value else dt.date.fromisoformat(value)
    return value


def format_date(value: str | dt.date | dt.datetime, language: str, form: str = "long") -> str:
    """'8 april 2027' (nl) or '8 April 2027' (en); form is a Babel width (short ... full)."""
    return babel_format_date(parse_day(value), form, locale=locale_for(language))


def format_month(value: str, language: str) -> str:
    """A "YYYY-MM" month as 'apr 2027' (nl) or 'Apr 2027' (en)."""
    day = dt.date.fromisoformat(f"{value[:7]}-01")
    return format_skeleton("yMMM", day, locale=locale_for(language))


def format_currency(amount: float, language: str, currency: str = "EUR") -> str:
    """'€ 150.000' (nl) or '€150,000' (en); cents only when the amount has them."""
    locale = locale_for(language)
    if float(amount).is_integer():
        # The locale's own pattern without its decimals: amounts in schemes are whole euros.
        pattern = Locale.parse(locale).currency_formats["standard"].pattern.replace(".00", "")
        return babel_format_currency(
            amount, currency, format=pattern, locale=locale, currency_digits=False
        )
    return babel_format_currency(amount, currency, locale=locale)


def format_age(delta: dt.timedelta, language: str) -> str:
    """'3 dagen' (nl) or '3 days' (en): how long ago, rounded to the largest sensible unit."""
    return format_timedelta(delta, threshold=1.5, locale=locale_for(language))


def format_number(number: float, language: str) -> str:
    """'1.234,5' (nl) or '1,234.5' (en)."""
    return format_decimal(number, locale=locale_for(language))


def format_percent(share: float, language: str) -> str:
    """'83%' (en) or '83%' with the reader's spacing (nl): a share between 0 and 1."""
    return babel_format_percent(share, locale=locale_for(language))


ListStyle = Literal["standard", "or"]


def format_list(items: Sequence[str], language: str, style: ListStyle = "standard") -> str:
    """'a, b en c' (nl) or 'a, b and c' (en); style "or" for alternatives ('a of b')."""
    return babel_format_list(list(items), style=style, locale=locale_for(language))
