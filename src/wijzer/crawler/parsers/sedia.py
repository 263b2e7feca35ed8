"""The EU Funding & Tenders (SEDIA) search API: topics with programme, call, deadlines, budget."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from wijzer.catalog import json_input
from wijzer.catalog.json_input import JSONInputError
from wijzer.crawler.normalise.html import html_to_text, summarise
from wijzer.crawler.parsers import ParseError

STATUS_CODES = {"31094501": "forthcoming", "31094502": "open", "31094503": "closed"}
# Programme of a topic: the framework programme code where known, else the identifier prefix.
PROGRAMME_CODES = {"43108390": "Horizon Europe (HORIZON)", "43152860": "Digital Europe (DIGITAL)"}
PROGRAMME_PREFIXES = {
    "HORIZON": "Horizon Europe (HORIZON)",
    "DIGITAL": "Digital Europe (DIGITAL)",
    "LIFE": "LIFE Programme (LIFE)",
    "EU4H": "EU4Health (EU4H)",
    "CEF": "Connecting Europe Facility (CEF)",
    "ERASMUS": "Erasmus+ (ERASMUS)",
    "SMP": "Single Market Programme (SMP)",
    "EDF": "European Defence Fund (EDF)",
    "I3": "Interregional Innovation Investments (I3)",
    "CREA": "Creative Europe (CREA)",
    "EMFAF": "European Maritime, Fisheries and Aquaculture Fund",
    "INNOVFUND": "Innovation Fund (INNOVFUND)",
    "RFCS": "Research Fund for Coal and Steel (RFCS)",
}
SEARCH_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{}"
)


def read_page(body: bytes) -> tuple[list[dict[str, Any]], int, int, int]:
    """(results, total, page number, page size) of one search response."""
    try:
        data = json_input.loads(body)
    except JSONInputError as exc:
        raise ParseError(f"malformed JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("results"), list):
        raise ParseError("search response without a results list")
    return (
        data["results"],
        int(data.get("totalResults") or 0),
        int(data.get("pageNumber") or 1),
        int(data.get("pageSize") or len(data["results"]) or 1),
    )


def _first(meta: dict[str, Any], key: str) -> str | None:
    value = meta.get(key)
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() if value not in (None, "") else None


def _date(value: str | None) -> dt.date | None:
    if value and re.match(r"\d{4}-\d{2}-\d{2}", value):
        return dt.date.fromisoformat(value[:10])
    return None


def _number(pattern: str, text: str) -> float | None:
    m = re.search(pattern, text)
    return float(m.group(1)) if m else None


def parse_budget(raw: str | None, identifier: str) -> dict[str, Any]:
    """Grant size and topic budget from budgetOverview, which the API may cut off mid-string.

    Whole JSON is read properly; a truncated one is read up to where it stops, for the part
    that belongs to this topic's own action.
    """
    out: dict[str, Any] = {}
    if not raw:
        return out
    try:
        data = json.loads(raw)
        for actions in (data.get("budgetTopicActionMap") or {}).values():
            for action in actions:
                if str(action.get("action", "")).startswith(identifier + " "):
                    out = {
                        "min_contribution": action.get("minContribution"),
                        "max_contribution": action.get("maxContribution"),
                        "expected_grants": action.get("expectedGrants"),
                        "budget_years": action.get("budgetYearMap") or {},
                    }
        out["truncated"] = False
        return out
    except json.JSONDecodeError:
        pass
    start = raw.find(f'"action":"{identifier} ')
    part = raw[start:] if start >= 0 else ""
    nxt = part.find('"action":"', 10)
    part = part[:nxt] if nxt > 0 else part
    years = dict(re.findall(r'"(\d{4})":"(\d+)"', part.split('"budgetYearMap":', 1)[-1]))
    out = {
        "min_contribution": _number(r'"minContribution":(\d+(?:\.\d+)?)', part),
        "max_contribution": _number(r'"maxContribution":(\d+(?:\.\d+)?)', part),
        "expected_grants": _number(r'"expectedGrants":(\d+)', part),
        "budget_years": years if '"budgetYearMap"' in part else {},
        "truncated": True,
    }
    return out


def topic_fields(result: dict[str, Any]) -> dict[str, Any]:
    """Catalog record fields (without id/source) for one search result."""
    meta = result.get("metadata")
    if not isinstance(meta, dict):
        raise ParseError("result without metadata")
    identifier = _first(meta, "identifier")
    title = _first(meta, "title") or (result.get("summary") or "").strip()
    if not identifier:
        raise ParseError("result without identifier")
    if not title:
        raise ParseError(f"topic {identifier} without title")
    status_code = _first(meta, "status")
    deadlines = sorted({d for d in (_date(v) for v in meta.get("deadlineDate") or []) if d})
    description_html = _first(meta, "descriptionByte") or ""
    description = html_to_text(description_html)
    budget = parse_budget(_first(meta, "budgetOverview"), identifier)
    programme_code = _first(meta, "frameworkProgramme")
    programme = PROGRAMME_CODES.get(programme_code or "") or PROGRAMME_PREFIXES.get(
        identifier.split("-", 1)[0].upper()
    )
    budget_total = None
    if budget.get("budget_years"):
        budget_total = float(sum(float(v) for v in budget["budget_years"].values()))
    return {
        "title": title,
        "summary": summarise(description) if description else "",
        "description": description,
        "funder": "European Commission",
        "level": "eu",
        "instrument_type": "subsidy",
        "opens_at": (_date(_first(meta, "startDate")) or None),
        "deadlines": [d.isoformat() for d in deadlines],
        "amount_min": budget.get("min_contribution"),
        "amount_max": budget.get("max_contribution"),
        "budget_total": budget_total,
        "language": "en",
        "url": _first(meta, "url") or TOPIC_URL.format(identifier),
        "source_id": identifier,
        "extra": {
            "programme": programme,
            "programme_code": programme_code,
            "programme_period": _first(meta, "programmePeriod"),
            "call_identifier": _first(meta, "callIdentifier"),
            "call_title": _first(meta, "callTitle"),
            "topic_status": STATUS_CODES.get(status_code or "", status_code),
            "deadline_model": _first(meta, "deadlineModel"),
            "types_of_action": list(meta.get("typesOfAction") or []),
            "expected_grants": budget.get("expected_grants"),
            "budget_overview_truncated": budget.get("truncated"),
            "keywords": list(meta.get("tags") or [])[:20],
        },
    }
