"""The iCal and Atom exports parse back into what went in (icalendar and feedgen write them)."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from typing import Any

from icalendar import Calendar

from wijzer.web import feeds

NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
AWKWARD = "Regeling; met, komma's \\ en\nregels — 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 " + "lang " * 40
RECORDS: list[dict[str, Any]] = [
    {
        "id": "a:1",
        "title": AWKWARD,
        "summary": "Eerste\x0b samenvatting <b>vet</b>",
        "deadlines": ["2027-03-15", "9999-12-31"],
        "created_at": "2026-01-02T10:00:00",
        "updated_at": "2026-02-02T10:00:00",
    },
    {
        "id": "b:2",
        "title": "Tweede",
        "summary": "",
        "deadlines": [],
        "created_at": "2026-05-01T10:00:00+00:00",
        "updated_at": None,
    },
]


def test_ical_parses_back_to_one_event_per_deadline() -> None:
    body = feeds.to_ics(RECORDS, "https://wijzer.example", NOW, name="Wijzer, deadlines")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    calendar = Calendar.from_ical(body)
    assert str(calendar["x-wr-calname"]) == "Wijzer, deadlines"
    events = calendar.walk("VEVENT")
    assert [e.decoded("dtstart") for e in events] == [dt.date(2027, 3, 15), dt.date(9999, 12, 31)]
    assert {str(e["summary"]) for e in events} == {"Deadline: " + AWKWARD}
    assert str(events[0]["uid"]) == "a:1-2027-03-15@wijzer"
    assert str(events[0]["url"]) == "https://wijzer.example/instruments/a:1"
    assert events[0].decoded("duration") == dt.timedelta(days=1)
    assert events[0].decoded("dtstamp") == NOW


def test_atom_parses_back_newest_first_with_text_escaped() -> None:
    body = feeds.to_atom(RECORDS, "https://wijzer.example", "https://wijzer.example/feed", NOW)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring(body.encode())
    assert root.findtext("a:id", namespaces=ns) == "https://wijzer.example/feed"
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:id", namespaces=ns) for e in entries] == [
        "https://wijzer.example/instruments/b:2",
        "https://wijzer.example/instruments/a:1",
    ]
    assert entries[1].findtext("a:title", namespaces=ns) == AWKWARD
    assert entries[1].findtext("a:summary", namespaces=ns) == "Eerste samenvatting <b>vet</b>"
    published = [e.findtext("a:published", namespaces=ns) or "" for e in entries]
    assert [dt.datetime.fromisoformat(p) for p in published] == [
        dt.datetime(2026, 5, 1, 10, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 10, tzinfo=dt.UTC),
    ]
    assert root.findtext("a:updated", namespaces=ns).startswith("2026-05-01")  # type: ignore[union-attr]
