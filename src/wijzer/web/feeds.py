"""Exports of a search: CSV, JSON, an iCal calendar of its deadlines (icalendar) and an Atom
feed (feedgen); the libraries do the escaping, folding and date formats."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from typing import Any

from feedgen.feed import FeedGenerator
from icalendar import Calendar, Event

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


# -- iCalendar (RFC 5545), written by `icalendar` (escaping, folding, line ends) -------------


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment


def to_ics(
    records: Iterable[dict[str, Any]], base_url: str, now: dt.datetime, name: str = "Wijzer"
) -> str:
    """One all-day event per deadline of every record."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    for record in records:
        page = f"{base_url}/instruments/{record['id']}"
        for deadline in record.get("deadlines") or []:
            day = dt.date.fromisoformat(str(deadline))
            event = Event()
            event.add("uid", f"{record['id']}-{day.isoformat()}@wijzer")
            event.add("dtstamp", _utc(now))
            event.add("dtstart", day)
            # One day long (RFC 5545 3.6.1); a DTEND would not exist after 9999-12-31.
            event.add("duration", dt.timedelta(days=1))
            event.add("summary", "Deadline: " + (record.get("title") or record["id"]))
            event.add("description", (record.get("summary") or "")[:1000])
            event.add("url", page)
            event.add("transp", "TRANSPARENT")
            calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


# -- Atom (RFC 4287), written by `feedgen` ------------------------------------------------

# Characters XML 1.0 cannot carry; crawled text sometimes has them.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _XML_INVALID.sub("", text)


def _atom_time(value: str | None, fallback: dt.datetime) -> dt.datetime:
    return _utc(dt.datetime.fromisoformat(value) if value else fallback)


def to_atom(
    records: Iterable[dict[str, Any]],
    base_url: str,
    self_url: str,
    now: dt.datetime,
    title: str = "Wijzer: new funding instruments",
) -> str:
    """Entries newest first (by when the instrument appeared in the catalog)."""
    ordered = sorted(records, key=lambda r: r.get("created_at") or "", reverse=True)
    feed = FeedGenerator()
    feed.id(self_url)
    feed.title(title)
    feed.link(href=self_url, rel="self")
    feed.link(href=f"{base_url}/search", rel="alternate")
    feed.author({"name": "Wijzer"})
    newest = ordered[0].get("created_at") if ordered else None
    feed.updated(_atom_time(newest, now))
    # feedgen puts the entry added last first; add the oldest first to keep newest on top.
    for record in reversed(ordered):
        page = f"{base_url}/instruments/{record['id']}"
        entry = feed.add_entry()
        entry.id(page)
        entry.title(_x(record.get("title") or record["id"]))
        entry.link(href=page, rel="alternate")
        entry.published(_atom_time(record.get("created_at"), now))
        entry.updated(_atom_time(record.get("updated_at"), now))
        entry.summary(_x(record.get("summary") or "") or None)
    return feed.atom_str(pretty=False).decode("utf-8")
