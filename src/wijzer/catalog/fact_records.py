"""Facts on the records the catalog stores: read from each record's own text when it is
written (import, crawl, staff listing), so they are derived again whenever the text changes.

A value a source gives as data (an API's budget, a deadline field) is kept, quoted where the
text states it and otherwise cited as the field; a value the source does not give is read from
the text with `catalog.facts`, or stays empty: the page then says the source does not state it.
What a tender register states as data are status signals too: a notice is a tender of the year
it was published (a past year's tender is closed, as a dated past round is), and an award
(`extra.result`: winners, award date) is the procedure's result, never an opportunity.
Staff overrides are not touched here: curation re-applies them after every write.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from wijzer.catalog.dates import dates_in, parse_date
from wijzer.catalog.facts import FACT_FIELDS, Evidence, FactSource, extract
from wijzer.catalog.facts.signals import CLOSES, ENDED, OPENS, ROUND, Signal, unique
from wijzer.catalog.facts.units import DATA, DOCUMENT, PARAPHRASE
from wijzer.catalog.money import find_amounts
from wijzer.catalog.schema import InstrumentRecord

AMOUNT_FIELDS = ("amount_min", "amount_max", "budget_total")
# The code and word lists extraction runs on (catalog modules relative to this one): any
# change to them is a new extractor, which re-reads every record once.
_EXTRACTOR_FILES = (
    "facts/*.py",
    "vocabulary/*",
    "fact_records.py",
    "dates.py",
    "money.py",
    "text.py",
    "taxonomy.py",
    "schema.py",
)


@functools.cache
def extractor_version() -> str:
    """A hash of the extractor's own files: it changes whenever extraction may change."""
    root = Path(__file__).parent
    digest = hashlib.sha256()
    for pattern in _EXTRACTOR_FILES:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                digest.update(path.relative_to(root).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


def facts_input(record: InstrumentRecord) -> str:
    """A hash of everything `with_facts` reads (the record as given, the extractor's version):
    equal hashes give equal facts, so an unchanged record need not be read again."""
    data = record.model_dump(mode="json", exclude={"fetched_at"})
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(f"{extractor_version()}\n{canonical}".encode()).hexdigest()


def fact_source(record: InstrumentRecord) -> FactSource:
    """What extraction reads of a record: its fields and its source document."""
    document = record.source_document or {}
    return FactSource(
        title=record.title,
        summary=record.summary,
        body=record.description,
        document=record.source_text,
        paraphrase=document.get("verbatim") is False,
        others=tuple(str(t) for t in document.get("shared_with") or ()),
        instrument_type=record.instrument_type,
        level=record.level,
        regions=tuple(record.regions),
        language=record.language,
        action_types=tuple(str(t) for t in record.extra.get("types_of_action") or ()),
    )


def _given(value: Any) -> bool:
    return value not in (None, "", [], {})


def _quote_for(field: str, value: Any, source: FactSource) -> Evidence | None:
    """A sentence of the record's text that states a given value, if there is one."""
    if field not in AMOUNT_FIELDS:
        return None
    wanted = float(value)
    for unit in source.units:
        if any(abs(a.value - wanted) <= 0.005 * wanted for a in find_amounts(unit.text)):
            return Evidence.of(unit)
    return None


def _data_evidence(field: str, value: Any) -> dict[str, str]:
    shown = ", ".join(map(str, value)) if isinstance(value, list) else value
    return Evidence(f"{field}: {shown}", DATA).as_json()


def _date_signals(record: InstrumentRecord, source: FactSource, read: list[Signal]) -> list[Signal]:
    """Signals for dates the source gives as data, quoted from the text where it has them;
    a date the text itself states as an opening or deadline (`read`) is not repeated."""
    given = record.evidence or {}
    out = []
    dated = [(OPENS, record.opens_at)] if record.opens_at else []
    dated += [(CLOSES, d) for d in record.deadlines]
    stated = {(s.kind, s.date) for s in read}
    for kind, day in dated:
        if (kind, day) in stated:
            continue
        quote, origin = _date_quote(kind, day, source, given)
        out.append(Signal(kind, quote, origin, day))
    return out


def _register_signals(record: InstrumentRecord) -> list[Signal]:
    """What a tender register states about a notice: the year it was published (a 2021 tender
    is a round of 2021) and an award (an award notice, or one attached to its contract notice):
    the contract was awarded, so the notice invites no tenders any more."""
    extra = record.extra or {}
    out = []
    published = parse_date(str(extra.get("publication_date") or ""))
    # A qualification system stays open for suppliers to qualify, whenever it was published.
    qualifying = extra.get("notice_category") == "qualification_system"
    if record.instrument_type == "procurement" and published is not None and not qualifying:
        quote = f"Tender notice published on {published.isoformat()}"
        out.append(Signal(ROUND, quote, DATA, dt.date(published.year, 12, 31)))
    result = extra.get("result")
    if isinstance(result, dict):
        winners = [str(w) for w in result.get("winners") or [] if str(w).strip()]
        quote = "Contract award notice"
        if winners:
            quote += f": awarded to {', '.join(winners)}"
        if result.get("award_date"):
            quote += f" on {result['award_date']}"
        out.append(Signal(ENDED, quote, DATA))
    return out


def _date_quote(
    kind: str, day: dt.date, source: FactSource, given: dict[str, Any]
) -> tuple[str, str]:
    stated = Evidence.from_json(given.get("opens_at" if kind == OPENS else "deadlines"))
    if stated is not None and day.isoformat() in stated.quote:
        return stated.quote, stated.origin
    for unit in source.units:
        if any(f.date == day for f in dates_in(unit.text)):
            return unit.quote(), unit.origin
    if stated is not None:
        return stated.quote, stated.origin
    return f"{'opens_at' if kind == OPENS else 'deadline'}: {day.isoformat()}", DATA


def with_facts(record: InstrumentRecord) -> InstrumentRecord:
    """The record with every fact its text states, each fact's quote and its status signals."""
    source = fact_source(record)
    found = extract(source)
    given_evidence = dict(record.evidence or {})
    values: dict[str, Any] = {}
    evidence: dict[str, Any] = {}
    for field in FACT_FIELDS:
        given = getattr(record, field)
        if _given(given):
            stated = Evidence.from_json(given_evidence.get(field))
            if stated is None:
                stated = _quote_for(field, given, source)
            if stated is None and found.facts.values.get(field) == given:
                stated = found.facts.evidence[field]
            evidence[field] = stated.as_json() if stated else _data_evidence(field, given)
            for key, value in given_evidence.items():
                if key.startswith(f"{field}.") and Evidence.from_json(value):
                    evidence[key] = value
        elif field in found.facts.values:
            values[field] = found.facts.values[field]
            for key, quote in found.facts.evidence.items():
                if key == field or key.startswith(f"{field}."):
                    evidence[key] = quote.as_json()
    for key in ("opens_at", "deadlines"):
        if key in given_evidence:
            evidence[key] = given_evidence[key]
    signals = [
        *found.signals,
        *_date_signals(record, source, found.signals),
        *_register_signals(record),
    ]
    closing = sorted({s.date for s in found.signals if s.kind == CLOSES and s.date})
    opening = sorted({s.date for s in found.signals if s.kind == OPENS and s.date})
    if not record.deadlines and closing:
        values["deadlines"] = closing
    if record.opens_at is None and opening:
        values["opens_at"] = opening[0]
    values["evidence"] = evidence
    values["status_signals"] = [s.as_json() for s in unique(signals)]
    # Validated again, so derived values are stored in the same form as given ones.
    return InstrumentRecord.model_validate({**record.model_dump(), **values})


__all__ = ["DOCUMENT", "PARAPHRASE", "fact_source", "facts_input", "with_facts"]
