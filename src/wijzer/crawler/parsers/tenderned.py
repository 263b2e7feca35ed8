"""TenderNed's public notices API (tenderned-rs-tns v2 publicaties): one record per notice."""

from __future__ import annotations

from typing import Any

from wijzer.catalog import json_input
from wijzer.catalog.dates import parse_date
from wijzer.catalog.json_input import JSONInputError
from wijzer.crawler.parsers import ParseError

API_URL = "https://www.tenderned.nl/papi/tenderned-rs-tns/v2/publicaties"
NOTICE_URL = "https://www.tenderned.nl/aankondigingen/overzicht/{}"


def read_page(body: bytes) -> tuple[list[dict[str, Any]], int, int]:
    """(notices, page number, total pages) of one page of publicaties."""
    try:
        data = json_input.loads(body)
    except JSONInputError as exc:
        raise ParseError(f"malformed JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("content"), list):
        raise ParseError("malformed JSON: no content list")
    return data["content"], int(data.get("number") or 0), int(data.get("totalPages") or 1)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value not in (None, "") else ""


def notice_fields(notice: dict[str, Any]) -> dict[str, Any]:
    """Catalog record fields for one TenderNed notice; EU-threshold notices are level eu."""
    if not isinstance(notice, dict):
        raise ParseError("notice is not an object")
    native = _text(notice.get("publicatieId"))
    title = _text(notice.get("aanbestedingNaam"))
    if not native:
        raise ParseError("missing publicatieId")
    if not title:
        raise ParseError(f"missing aanbestedingNaam in {native}")
    deadline = parse_date(_text(notice.get("sluitingsDatum")))
    link = notice.get("link") or {}
    cpv = [c.get("code") for c in notice.get("cpvCodes") or [] if isinstance(c, dict)]
    european = bool(notice.get("europees"))
    return {
        "title": title,
        "description": _text(notice.get("opdrachtBeschrijving")),
        "funder": _text(notice.get("opdrachtgeverNaam")),
        "level": "eu" if european else "national",
        "instrument_type": "procurement",
        "deadlines": [deadline.isoformat()] if deadline else [],
        "language": "nl",
        "url": link.get("href") or NOTICE_URL.format(native),
        "source_id": native,
        "extra": {
            "publication_date": _text(notice.get("publicatieDatum")) or None,
            "notice_type": _text(notice.get("typePublicatie")) or None,
            "procedure": _text(notice.get("procedure")) or None,
            "contract_type": _text(notice.get("typeOpdracht")) or None,
            "cpv_codes": [c for c in cpv if c],
            "place_of_performance": _text(notice.get("plaatsUitvoering")) or None,
            "european": european,
            "ted_publication_number": _text(notice.get("tedPublicatieNummer")) or None,
        },
    }
