"""The facts block of an instrument page: each fact with the words of the source it rests on,
or "not stated by the source" where the source is silent."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _

from wijzer.catalog.status import Decision, status_of
from wijzer.web.presentation import amount, date, label


@dataclass(frozen=True)
class FactRow:
    name: str
    #: The fact in words, or None when the source does not state it.
    value: str | None
    quote: str | None = None
    origin: str | None = None
    #: Set by Wijzer staff (an override) rather than read from the source.
    by_staff: bool = False


def origin_label(origin: str | None) -> str:
    """Where a quote stands, for people."""
    return {
        "title": _("title of the listing"),
        "summary": _("summary of the listing"),
        "description": _("the funder's page"),
        "document": _("the source text"),
        "paraphrase": _("a third party's summary of the source (not its own words)"),
        "data": _("the source's data"),
        "staff": _("Wijzer staff"),
    }.get(origin or "", _("the source"))


def _amount_text(record: dict[str, Any]) -> str | None:
    low, high = record.get("amount_min"), record.get("amount_max")
    if low is not None and high is not None:
        if low == high:
            return amount(low)
        return _("from %(low)s to %(high)s", low=amount(low), high=amount(high))
    if high is not None:
        return _("up to %(high)s", high=amount(high))
    if low is not None:
        return _("from %(low)s", low=amount(low))
    return None


def _codes(vocabulary: str, codes: list[str] | None) -> str | None:
    return ", ".join(label(vocabulary, c) for c in codes) if codes else None


def fact_rows(record: dict[str, Any]) -> list[FactRow]:
    """Amount, budget, who may apply, sizes, purpose, area and themes with their quotes."""
    evidence = record.get("evidence") or {}
    overridden = set(record.get("overridden") or ())
    rows = []
    facts = (
        (_("Amount per applicant"), _amount_text(record), ("amount_max", "amount_min")),
        (
            _("Total budget"),
            amount(record["budget_total"]) if record.get("budget_total") is not None else None,
            ("budget_total",),
        ),
        (_("Who may apply"), _codes("applicant", record.get("applicants")), ("applicants",)),
        (_("Company sizes"), _codes("size", record.get("sizes")), ("sizes",)),
        (_("What the money is for"), _codes("purpose", record.get("purposes")), ("purposes",)),
        (_("Only for"), record.get("geography"), ("geography",)),
        (_("Themes"), _codes("theme", record.get("themes")), ("themes",)),
    )
    for name, value, fields in facts:
        if value is None:
            rows.append(FactRow(name, None))
            continue
        if overridden & set(fields):
            rows.append(FactRow(name, value, by_staff=True))
            continue
        quoted = next((evidence[f] for f in fields if isinstance(evidence.get(f), dict)), None)
        if quoted and quoted.get("origin") == "staff":
            rows.append(FactRow(name, value, by_staff=True))
            continue
        rows.append(
            FactRow(
                name,
                value,
                quoted.get("quote") if quoted else None,
                quoted.get("origin") if quoted else None,
            )
        )
    return rows


@dataclass(frozen=True)
class StatusView:
    decision: Decision
    last_seen: str | None

    @property
    def status(self) -> str:
        return self.decision.status


def status_view(record: dict[str, Any], today: dt.date) -> StatusView:
    fetched = record.get("fetched_at")
    return StatusView(status_of(record, today), date(fetched) if fetched else None)
