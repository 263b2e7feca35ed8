"""Subsidy registers: who received which scheme, when and how much (evidence, not listings).

A register (a municipality's published list of grants) is crawled like any source; its rows
are stored here, one per grant. An instrument is linked to a register scheme when it is the
register's own candidate listing for that scheme, or when its title names the same scheme and
it is issued by the register's municipality. Linking is decided when read, so a regulation
crawled after the register links as well as one crawled before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Date, DateTime, Float, Integer, String, UniqueConstraint, insert, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from wijzer.catalog.models import Base, Instrument, utcnow
from wijzer.catalog.text import fold, tokens

#: Recipients a register names only as a kind of person, not as an organisation.
PRIVATE_RECIPIENTS = frozenset({"(particulier)", "particulier", "(privé persoon)"})
_YEAR = re.compile(r"^(19|20)\d\d$")


class RegisterEntry(Base):
    """One grant as a register lists it."""

    __tablename__ = "register_entries"
    __table_args__ = (UniqueConstraint("source", "dossier"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: The crawl source that publishes the register ("subsidieregister-amsterdam").
    source: Mapped[str] = mapped_column(String(100), index=True)
    #: The municipality that granted ("Amsterdam").
    municipality: Mapped[str] = mapped_column(String(200))
    dossier: Mapped[str] = mapped_column(String(100))
    recipient: Mapped[str] = mapped_column(String(500))
    scheme: Mapped[str] = mapped_column(String(500))
    scheme_key: Mapped[str] = mapped_column(String(500), index=True)
    policy_area: Mapped[str] = mapped_column(String(200), default="")
    department: Mapped[str] = mapped_column(String(200), default="")
    project: Mapped[str] = mapped_column(String(1000), default="")
    periodicity: Mapped[str] = mapped_column(String(50), default="")
    amount_requested: Mapped[float | None] = mapped_column(Float, nullable=True)
    amount_granted: Mapped[float | None] = mapped_column(Float, nullable=True)
    amount_settled: Mapped[float | None] = mapped_column(Float, nullable=True)
    year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: The date the register export was made (its own "DATUM_OVERZICHT").
    listed_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_url: Mapped[str | None] = mapped_column(String(1000), nullable=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    fetched_at: Mapped[dt.datetime | None] = mapped_column(DateTime, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class RegisterEntryRecord(BaseModel):
    """A register row as the crawler validates it before storing."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    source: str = Field(min_length=1, max_length=100)
    municipality: str = Field(min_length=1, max_length=200)
    dossier: str = Field(min_length=1, max_length=100)
    recipient: str = Field(min_length=1, max_length=500)
    scheme: str = Field(min_length=1, max_length=500)
    policy_area: str = Field(default="", max_length=200)
    department: str = Field(default="", max_length=200)
    project: str = Field(default="", max_length=1000)
    periodicity: str = Field(default="", max_length=50)
    amount_requested: float | None = Field(default=None, ge=0)
    amount_granted: float | None = Field(default=None, ge=0)
    amount_settled: float | None = Field(default=None, ge=0)
    year: int | None = Field(default=None, ge=1900, le=2100)
    listed_on: dt.date | None = None
    source_url: str | None = None
    fetched_at: dt.datetime | None = None

    def content(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude={"fetched_at"})


def scheme_key(name: str, municipality: str = "") -> str:
    """A scheme's name without case, accents, years and the municipality's own name, so
    "Subsidieregeling Bewonersinitiatieven Amsterdam 2016" meets "Subsidieregeling
    bewonersinitiatieven"."""
    drop = set(tokens(municipality)) | {"gemeente"}
    kept = [t for t in tokens(name) if t not in drop and not _YEAR.match(t)]
    return " ".join(kept)[:500]


def _hash(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def upsert_entries(
    session: Session, records: Sequence[RegisterEntryRecord], now: dt.datetime | None = None
) -> Counter[str]:
    """Store register rows by (source, dossier); counts created, updated and unchanged.

    New rows go in as one bulk insert: a register has thousands of rows, and the ORM's
    unit of work took seconds for what one executemany does in a fraction of that.
    """
    now = now or utcnow()
    counts: Counter[str] = Counter()
    sources = {r.source for r in records}
    stored = {
        (e.source, e.dossier): e
        for e in session.scalars(select(RegisterEntry).where(RegisterEntry.source.in_(sources)))
    }
    new_rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for record in records:
        key = (record.source, record.dossier)
        if key in seen:
            continue
        seen.add(key)
        content = record.content()
        digest = _hash(content)
        values = {
            **content,
            "listed_on": record.listed_on,
            "scheme_key": scheme_key(record.scheme, record.municipality),
            "content_hash": digest,
            "fetched_at": record.fetched_at,
        }
        entry = stored.get(key)
        if entry is None:
            new_rows.append({**values, "created_at": now, "updated_at": now})
            counts["created"] += 1
        elif entry.content_hash == digest:
            # Left alone: rewriting thousands of rows to say "seen again" costs seconds; the
            # crawl run records when the register was last read.
            counts["unchanged"] += 1
        else:
            for field, value in values.items():
                setattr(entry, field, value)
            entry.updated_at = now
            counts["updated"] += 1
    if new_rows:
        session.execute(insert(RegisterEntry), new_rows)
    return counts


# --- reading: what a register says about an instrument ------------------------------------


@dataclass(frozen=True)
class RegisterSummary:
    """What one register says about one scheme: whom it went to, how much, until when."""

    register: str
    municipality: str
    scheme: str
    grants: int
    #: Distinct named recipients (organisations); private persons are counted apart.
    organisations: int
    private_persons: int
    median_granted: float | None
    last_year: int | None
    listed_on: dt.date | None


def _issued_by(instrument: Instrument, municipality: str) -> bool:
    wanted = fold(municipality)
    if instrument.municipality and fold(instrument.municipality) == wanted:
        return True
    return wanted in tokens(instrument.funder or "") and "gemeente" in tokens(
        instrument.funder or ""
    )


def linked_scheme_keys(session: Session, instrument: Instrument) -> list[tuple[str, str]]:
    """(register, scheme_key) pairs the instrument is linked to."""
    own = (instrument.extra or {}).get("register_scheme")
    if own and instrument.source:
        return [(instrument.source, str(own))]
    stmt = select(RegisterEntry.source, RegisterEntry.municipality).distinct()
    pairs = []
    for register, municipality in session.execute(stmt).all():
        if _issued_by(instrument, municipality):
            key = scheme_key(instrument.title, municipality)
            if key:
                pairs.append((register, key))
    return pairs


def summarise(entries: Iterable[RegisterEntry]) -> RegisterSummary | None:
    rows = list(entries)
    if not rows:
        return None
    granted = [r for r in rows if r.amount_granted is not None and r.amount_granted > 0]
    received = granted or []
    named = {fold(r.recipient) for r in received if fold(r.recipient) not in PRIVATE_RECIPIENTS}
    private = sum(1 for r in received if fold(r.recipient) in PRIVATE_RECIPIENTS)
    amounts = [r.amount_granted for r in received if r.amount_granted is not None]
    years = [r.year for r in received if r.year]
    listed = [r.listed_on for r in rows if r.listed_on]
    first = rows[0]
    return RegisterSummary(
        register=first.source,
        municipality=first.municipality,
        scheme=first.scheme,
        grants=len(received),
        organisations=len(named),
        private_persons=private,
        median_granted=float(statistics.median(amounts)) if amounts else None,
        last_year=max(years) if years else None,
        listed_on=max(listed) if listed else None,
    )


def register_summaries(session: Session, instrument: Instrument) -> list[RegisterSummary]:
    """One summary per register that lists the instrument's scheme with at least one grant."""
    out = []
    for register, key in linked_scheme_keys(session, instrument):
        stmt = select(RegisterEntry).where(
            RegisterEntry.source == register, RegisterEntry.scheme_key == key
        )
        summary = summarise(session.scalars(stmt))
        if summary is not None and summary.grants:
            out.append(summary)
    return out


@dataclass(frozen=True)
class Candidate:
    """A register scheme that no instrument in the catalog links to."""

    register: str
    municipality: str
    scheme: str
    scheme_key: str
    grants: int
    total_granted: float
    last_year: int | None
    instrument_id: str | None  # the register's own listing waiting for review, if any


def schemes_in_catalog(session: Session, municipality: str, register: str) -> set[str]:
    """Scheme keys that an instrument issued by the municipality (not the register's own
    candidate listings) already names."""
    keys = set()
    for instrument in session.scalars(
        select(Instrument).where(Instrument.source != register, Instrument.merged_into.is_(None))
    ):
        if _issued_by(instrument, municipality):
            keys.add(scheme_key(instrument.title, municipality))
    return keys


def candidates(session: Session) -> list[Candidate]:
    """Register schemes not in the catalog, most granted first."""
    rows: dict[tuple[str, str], list[RegisterEntry]] = {}
    for entry in session.scalars(select(RegisterEntry).order_by(RegisterEntry.id)):
        rows.setdefault((entry.source, entry.scheme_key), []).append(entry)
    known: dict[tuple[str, str], set[str]] = {}
    out = []
    for (register, key), entries in rows.items():
        municipality = entries[0].municipality
        if (register, municipality) not in known:
            known[(register, municipality)] = schemes_in_catalog(session, municipality, register)
        if key in known[(register, municipality)]:
            continue
        own = session.scalars(
            select(Instrument).where(Instrument.source == register, Instrument.source_id == key)
        ).first()
        if own is not None and (own.review_state != "pending" or own.withdrawn_at is not None):
            continue  # staff decided already (published or rejected), or the register dropped it
        granted = [e.amount_granted for e in entries if e.amount_granted]
        years = [e.year for e in entries if e.year]
        out.append(
            Candidate(
                register=register,
                municipality=municipality,
                scheme=entries[0].scheme,
                scheme_key=key,
                grants=len(granted),
                total_granted=float(sum(granted)),
                last_year=max(years) if years else None,
                instrument_id=own.id if own is not None else None,
            )
        )
    return sorted(out, key=lambda c: (-c.total_granted, c.scheme))
