"""Exports of a search: CSV, JSON, an iCal calendar of its deadlines and an Atom feed."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from typing import Any

from wijzer.catalog.safe_text import spreadsheet_cell
from wijzer.search.results import display_deadline, record_status

CSV_COLUMNS = (
    "id",
    "title",
    "funder",
    "level",
    "regions",
    "instrument_type",
    "themes",
    "status",
    "deadline",
    "amount_min",
    "amount_max",
    "url",
)
ATOM_NS = "http://www.w3.org/2005/Atom"
PRODID = "-//Wijzer//Funding deadlines//EN"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    text = "; ".join(str(v) for v in value) if isinstance(value, list) else str(value)
    # Spreadsheet formula injection: crawled text must never start a formula.
    return spreadsheet_cell(text)


def export_row(record: dict[str, Any], today: dt.date) -> dict[str, Any]:
    return {
        "id": record["id"],
        "title": record.get("title"),
        "funder": record.get("funder"),
        "level": record.get("level"),
        "regions": record.get("regions") or [],
        "instrument_type": record.get("instrument_type"),
        "themes": record.get("themes") or [],
        "status": record_status(record, today),
        "deadline": display_deadline(record, today),
        "amount_min": record.get("amount_min"),
        "amount_max": record.get("amount_max"),
        "url": record.get("url"),
    }


def to_csv(records: Iterable[dict[str, Any]], today: dt.date) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for record in records:
        row = export_row(record, today)
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    return out.getvalue()


# -- iCalendar (RFC 5545) ---------------------------------------------------------------


def _ics_text(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts: list[str] = []
    current = b""
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def to_ics(
    records: Iterable[dict[str, Any]], base_url: str, now: dt.datetime, name: str = "Wijzer"
) -> str:
    """One all-day event per deadline of every record."""
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_text(name)}",
    ]
    for record in records:
        page = f"{base_url}/instruments/{record['id']}"
        for deadline in record.get("deadlines") or []:
            day = dt.date.fromisoformat(str(deadline))
            lines += [
                "BEGIN:VEVENT",
                f"UID:{_ics_text(record['id'])}-{day.isoformat()}@wijzer",
                f"DTSTAMP:{stamp}",
                f"DTSTART;VALUE=DATE:{day.strftime('%Y%m%d')}",
                # One day long (RFC 5545 3.6.1); a DTEND would not exist after 9999-12-31.
                "DURATION:P1D",
                f"SUMMARY:{_ics_text('Deadline: ' + (record.get('title') or record['id']))}",
                f"DESCRIPTION:{_ics_text((record.get('summary') or '')[:1000])}",
                f"URL:{page}",
                "TRANSP:TRANSPARENT",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"


# -- Atom (RFC 4287) --------------------------------------------------------------------

# Characters XML 1.0 cannot carry; crawled text sometimes has them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _atom_time(value: str | None, fallback: dt.datetime) -> str:
    moment = dt.datetime.fromisoformat(value) if value else fallback
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.isoformat()


def to_atom(
    records: Iterable[dict[str, Any]],
    base_url: str,
    self_url: str,
    now: dt.datetime,
    title: str = "Wijzer: new funding instruments",
) -> str:
    """Entries newest first (by when the instrument appeared in the catalog)."""
    ordered = sorted(records, key=lambda r: r.get("created_at") or "", reverse=True)
    feed = ET.Element("feed", xmlns=ATOM_NS)
    ET.SubElement(feed, "title").text = title
    ET.SubElement(feed, "id").text = self_url
    ET.SubElement(feed, "link", rel="self", href=self_url)
    ET.SubElement(feed, "link", rel="alternate", href=f"{base_url}/search")
    newest = ordered[0].get("created_at") if ordered else None
    ET.SubElement(feed, "updated").text = _atom_time(newest, now)
    author = ET.SubElement(feed, "author")
    ET.SubElement(author, "name").text = "Wijzer"
    for record in ordered:
        page = f"{base_url}/instruments/{record['id']}"
        entry = ET.SubElement(feed, "entry")
        ET.SubElement(entry, "title").text = _x(record.get("title") or record["id"])
        ET.SubElement(entry, "id").text = page
        ET.SubElement(entry, "link", rel="alternate", href=page)
        ET.SubElement(entry, "published").text = _atom_time(record.get("created_at"), now)
        ET.SubElement(entry, "updated").text = _atom_time(record.get("updated_at"), now)
        ET.SubElement(entry, "summary").text = _x(record.get("summary") or "")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="unicode")
