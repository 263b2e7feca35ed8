"""Municipal subsidy registers as published: `;`-separated CSV, one grant per row.

The file is read as a whole or refused as a whole: a file in another encoding or with another
delimiter is a ParseError (wrong_encoding, wrong_delimiter, missing_columns), so a half-read
register never replaces a good one. A row that does not fit the header is dropped on its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from typing import Any

from wijzer.catalog.money import parse_number
from wijzer.crawler.parsers import ParseError

DELIMITER = ";"
REQUIRED = ("DOSSIERNUMMER", "AANVRAGER", "REGELINGNAAM", "BEDRAG_VERLEEND", "SUBSIDIEJAAR")
# Characters U+0080-U+009F are Windows-1252 punctuation read as Latin-1 somewhere upstream
# (the register's "smart quotes"); written back as what they were meant to be.
_C1 = re.compile("[\u0080-\u009f]")
_CHARSET = re.compile(r"charset=([\w-]+)", re.IGNORECASE)


@dataclass
class RegisterFile:
    rows: list[dict[str, Any]] = field(default_factory=list)
    #: (line number, reason) of rows that could not be read.
    bad_rows: list[tuple[int, str]] = field(default_factory=list)


def decode(body: bytes, content_type: str = "") -> str:
    """The file's text: UTF-8 (with or without BOM) unless the server declares a charset."""
    declared = _CHARSET.search(content_type or "")
    encoding = declared.group(1).lower() if declared else "utf-8"
    if body.startswith(b"\xef\xbb\xbf"):
        body, encoding = body[3:], "utf-8"
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        raise ParseError(f"wrong encoding: the register is not valid {encoding}") from None
    if "\x00" in text:
        raise ParseError(f"wrong encoding: NUL characters in {encoding} text (UTF-16?)")
    return _C1.sub(lambda m: m.group(0).encode("latin-1").decode("cp1252", "replace"), text)


def _amount(value: str) -> float | None:
    value = value.strip()
    if not value or value.upper() == "NULL":
        return None
    return parse_number(value)


def _year(value: str) -> int | None:
    value = value.strip()
    return int(value) if re.fullmatch(r"(19|20)\d\d", value) else None


def _day(value: str) -> dt.date | None:
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value.strip())
    if not match:
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_register(body: bytes, content_type: str = "") -> RegisterFile:
    text = decode(body, content_type)
    lines = text.splitlines()
    header_at = next((i for i, line in enumerate(lines[:10]) if "REGELINGNAAM" in line), None)
    if header_at is None:
        raise ParseError("missing columns: no header with REGELINGNAAM in the first lines")
    header_line = lines[header_at]
    columns = [c.strip() for c in header_line.split(DELIMITER)]
    if not all(name in columns for name in REQUIRED):
        for other in (",", "\t", "|"):
            if all(name in header_line.split(other) for name in REQUIRED[:3]):
                raise ParseError(f"wrong delimiter: {other!r} instead of {DELIMITER!r}")
        missing = [name for name in REQUIRED if name not in columns]
        raise ParseError(f"missing columns: {', '.join(missing)}")
    reader = csv.reader(io.StringIO("\n".join(lines[header_at + 1 :])), delimiter=DELIMITER)
    result = RegisterFile()
    for number, values in enumerate(reader, start=header_at + 2):
        if not values or not any(v.strip() for v in values):
            continue
        if len(values) != len(columns):
            result.bad_rows.append((number, f"{len(values)} fields, header has {len(columns)}"))
            continue
        row = dict(zip(columns, (v.strip() for v in values), strict=True))
        if not row["DOSSIERNUMMER"] or not row["REGELINGNAAM"]:
            result.bad_rows.append((number, "no dossier number or scheme"))
            continue
        result.rows.append(
            {
                "dossier": row["DOSSIERNUMMER"],
                "recipient": row["AANVRAGER"] or "(onbekend)",
                "scheme": " ".join(row["REGELINGNAAM"].split()),
                "policy_area": row.get("BELEIDSTERREIN", ""),
                "department": row.get("ORGANISATIEONDERDEEL", ""),
                "project": row.get("PROJECT_NAAM", ""),
                "periodicity": row.get("TYPE_PERIODICITEIT", ""),
                "amount_requested": _amount(row.get("BEDRAG_AANGEVRAAGD", "")),
                "amount_granted": _amount(row["BEDRAG_VERLEEND"]),
                "amount_settled": _amount(row.get("BEDRAG_VASTGESTELD", "")),
                "year": _year(row["SUBSIDIEJAAR"]),
                "listed_on": _day(row.get("DATUM_OVERZICHT", "")),
            }
        )
    if not result.rows:
        raise ParseError("empty register: no rows could be read")
    return result
