"""Procurement notices (TED, TenderNed) shown as notices: the contracting authority, CPV codes
with labels, the procedure, the estimated value, lots and the place of performance."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from flask_babel import gettext as _

from wijzer.catalog.vocabulary.cpv import cpv_label
from wijzer.catalog.vocabulary.places import province_of_nuts
from wijzer.i18n.formatting import locale_for
from wijzer.web.presentation import amount, lang

# TenderNed writes the procedure in Dutch words; these are the eForms codes they stand for.
_TENDERNED_PROCEDURES = {
    "openbaar": "open",
    "niet-openbaar": "restricted",
    "concurrentiegerichte dialoog": "comp-dial",
    "innovatiepartnerschap": "innovation",
    "mededingingsprocedure met onderhandeling": "neg-w-call",
    "onderhandelingsprocedure zonder aankondiging": "neg-wo-call",
}
# ISO 3166 alpha-3 codes eForms uses for a country where NUTS is not given.
_ALPHA3 = {"NLD": "NL", "BEL": "BE", "DEU": "DE", "FRA": "FR", "LUX": "LU", "GBR": "GB"}
_ALPHA3 |= {"ITA": "IT", "ESP": "ES", "DNK": "DK", "SWE": "SE", "AUT": "AT", "IRL": "IE"}


@dataclass(frozen=True)
class Cpv:
    code: str
    #: The label a notice gave, or None; `language` says which language it is in.
    label: str | None
    language: str | None


@dataclass(frozen=True)
class NoticeView:
    published_in: str
    european: bool
    cpv: list[Cpv]
    procedure: str | None
    estimated_value: str | None
    lots: int | None
    places: list[str]


# Tender registers: a procurement record whose page is on one of them is a notice, also when
# it was listed by hand or imported without the register's codes.
_REGISTERS = ("ted.europa.eu", "tenderned.nl")


def is_notice(record: dict[str, Any]) -> bool:
    """A procurement notice from a tender register (not a scheme that buys innovation)."""
    if record.get("instrument_type") != "procurement":
        return False
    extra = record.get("extra") or {}
    pages = (record.get("url") or "", record.get("official_url") or "")
    return "cpv_codes" in extra or any(_on_register(page) for page in pages)


def _on_register(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    return any(host == site or host.endswith("." + site) for site in _REGISTERS)


def _procedure(code: str | None) -> str | None:
    if not code:
        return None
    code = _TENDERNED_PROCEDURES.get(code.strip().lower(), code)
    names = {
        "open": _("Open procedure"),
        "restricted": _("Restricted procedure"),
        "neg-w-call": _("Competitive procedure with negotiation"),
        "neg-wo-call": _("Negotiated procedure without prior publication"),
        "comp-dial": _("Competitive dialogue"),
        "innovation": _("Innovation partnership"),
        "oth-single": _("Other single-stage procedure"),
        "oth-mult": _("Other multiple-stage procedure"),
    }
    return names.get(code, code if " " in code else None)


def _country(code: str) -> str | None:
    code = _ALPHA3.get(code, code)
    code = {"EL": "GR", "UK": "GB"}.get(code, code)
    name = Locale.parse(locale_for(lang())).territories.get(code)
    return str(name) if name else None


def place_name(place: str) -> str | None:
    """A place of performance in words: a NUTS or country code named, a place text as given."""
    anywhere = {
        "anyw": _("Anywhere"),
        "anyw-cou": _("Anywhere in the country"),
        "anyw-eea": _("Anywhere in the European Economic Area"),
    }
    if place in anywhere:
        return anywhere[place]
    compact = place.strip().rstrip(".")
    if compact.isalnum() and compact.upper() == compact and 2 <= len(compact) <= 5:
        province = province_of_nuts(compact) if compact.startswith("NL") else None
        if province:
            return province
        if len(compact) == 3 and compact.isalpha():
            return _country(compact)
        return _country(compact[:2])
    return compact or None


def notice_view(record: dict[str, Any]) -> NoticeView:
    extra = record.get("extra") or {}
    language = lang()
    cpv = []
    for code in extra.get("cpv_codes") or []:
        found = cpv_label(code, language)
        cpv.append(Cpv(code, *found) if found else Cpv(code, None, None))
    places = extra.get("place_of_performance") or []
    named = [place_name(p) for p in ([places] if isinstance(places, str) else places)]
    value = extra.get("estimated_value_eur", record.get("budget_total"))
    european = record.get("level") == "eu"
    if "notice_schema" in extra:
        published = _("Tenders Electronic Daily (TED), the EU's journal for tenders")
    elif european:
        published = _("TenderNed, also published in TED")
    else:
        published = _("TenderNed")
    return NoticeView(
        published_in=published,
        european=european,
        cpv=cpv,
        procedure=_procedure(extra.get("procedure")),
        estimated_value=amount(value) if value is not None else None,
        lots=extra.get("lots"),
        places=list(dict.fromkeys(n for n in named if n)),
    )
