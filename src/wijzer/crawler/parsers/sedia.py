"""The EU Funding & Tenders (SEDIA) search API: topics with programme, call, deadlines, budget."""

from __future__ import annotations

import datetime as dt
import hashlib
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


def _evidence(
    meta: dict[str, Any], budget: dict[str, Any], budget_total: float | None
) -> dict[str, dict[str, str]]:
    """The API's own fields behind the dates and amounts, quoted as it gives them."""

    def data(quote: str) -> dict[str, str]:
        return {"quote": quote, "origin": "data"}

    out: dict[str, dict[str, str]] = {}
    if meta.get("deadlineDate"):
        out["deadlines"] = data(f'"deadlineDate":{json.dumps(list(meta["deadlineDate"]))}')
    if _first(meta, "startDate"):
        out["opens_at"] = data(f'"startDate":"{_first(meta, "startDate")}"')
    for key, name in (
        ("min_contribution", "minContribution"),
        ("max_contribution", "maxContribution"),
    ):
        if budget.get(key) is not None:
            field = "amount_min" if key == "min_contribution" else "amount_max"
            out[field] = data(f'"{name}":{budget[key]:g}')
    if budget_total is not None:
        out["budget_total"] = data(f'"budgetYearMap":{json.dumps(budget["budget_years"])}')
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
        "evidence": _evidence(meta, budget, budget_total),
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


# --- topic details (the portal's own JSON for one topic) ---------------------------------

TOPIC_DETAILS_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/{}.json"
)
# The portal keeps dates as midnight in Brussels, written as epoch milliseconds (new topics)
# or as "13 March 2018" (Horizon 2020 topics).
try:
    from zoneinfo import ZoneInfo

    _BRUSSELS: dt.tzinfo = ZoneInfo("Europe/Brussels")
except (ImportError, KeyError, OSError):  # no time zone data on this system
    _BRUSSELS = dt.timezone(dt.timedelta(hours=1))
# A contribution of 0 or 1 euro is how the portal leaves "not set"; it is not a grant size.
_UNSET_CONTRIBUTION = 1.0
_TOPIC_PREFIX = re.compile(r"^([A-Z0-9][A-Za-z0-9_.-]*-[A-Za-z0-9_.-]+) - ")


def topic_details_url(result: dict[str, Any], identifier: str) -> str:
    """Where the portal publishes the topic's details: the search hit's own URL when it
    points there, else the documented place for the identifier."""
    meta = result.get("metadata") or {}
    url = _first(meta, "url") if isinstance(meta, dict) else None
    if url and "/data/topicDetails/" in url:
        return url
    return TOPIC_DETAILS_URL.format(identifier)


def search_checksum(result: dict[str, Any]) -> str:
    """What changes when the topic changes: the search index's own checksum of it, or (for
    hits without one) a digest of the hit's metadata."""
    meta = result.get("metadata") or {}
    stated = _first(meta, "esST_checksum") if isinstance(meta, dict) else None
    if stated:
        return stated
    canonical = json.dumps(meta, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return "sha1:" + hashlib.sha1(canonical).hexdigest()


def portal_date(value: Any) -> dt.date | None:
    """A portal date: epoch milliseconds (as text or number) or "07 November 2017"."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    if re.fullmatch(r"\d{10,14}", text):
        moment = dt.datetime.fromtimestamp(int(text) / 1000, tz=dt.UTC)
        return moment.astimezone(_BRUSSELS).date()
    for pattern in ("%d %B %Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(
                text[:10] if pattern == "%Y-%m-%d" else text, pattern
            ).date()
        except ValueError:
            continue
    return None


def _actions(budget: Any) -> list[dict[str, Any]]:
    """Every action of a budgetTopicActionMap, whose values are objects or lists of them."""
    found: list[dict[str, Any]] = []
    if not isinstance(budget, dict):
        return found
    for value in (budget.get("budgetTopicActionMap") or {}).values():
        for action in value if isinstance(value, list) else [value]:
            if isinstance(action, dict):
                found.append(action)
    return found


def own_budget_actions(budget: Any, identifier: str) -> list[dict[str, Any]]:
    """The budget lines of this topic: named "<identifier> - <type of action>", or the only
    line of the map when it names no topic at all. Lines of other topics of the same call
    are not this topic's budget (then the budget is unknown)."""
    actions = _actions(budget)
    own = [a for a in actions if str(a.get("action", "")).startswith(identifier + " ")]
    if own:
        return own
    if len(actions) == 1 and not _TOPIC_PREFIX.match(str(actions[0].get("action", ""))):
        return actions
    return []


def _contribution(value: Any) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > _UNSET_CONTRIBUTION else None


def parse_topic_details(body: bytes) -> dict[str, Any]:
    """The facts of one topicDetails JSON: description, conditions, budget, deadlines per
    stage, type of action, programme and call. ParseError when it is not one."""
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParseError(f"malformed JSON: {exc}") from None
    topic = data.get("TopicDetails") if isinstance(data, dict) else None
    if not isinstance(topic, dict):
        raise ParseError("topic details without TopicDetails")
    identifier = str(topic.get("identifier") or "").strip()
    title = " ".join(str(topic.get("title") or "").split())
    if not identifier or not title:
        raise ParseError("topic details without identifier or title")
    programme = topic.get("frameworkProgramme") or {}
    stages: list[dict[str, Any]] = []
    statuses: list[str] = []
    types_of_action: list[str] = []
    for action in topic.get("actions") or []:
        if not isinstance(action, dict):
            continue
        status = (action.get("status") or {}).get("abbreviation")
        if status:
            statuses.append(str(status).lower())
        kinds = [
            str(t.get("typeOfAction")) for t in action.get("types") or [] if t.get("typeOfAction")
        ]
        types_of_action.extend(kinds)
        model = (action.get("submissionProcedure") or {}).get("abbreviation")
        stages.append(
            {
                "type_of_action": "; ".join(kinds) or None,
                "opens": _iso(portal_date(action.get("plannedOpeningDate"))),
                "model": model,
                "deadlines": [_iso(portal_date(d)) for d in action.get("deadlineDates") or []],
            }
        )
    own = own_budget_actions(topic.get("budgetOverviewJSONItem"), identifier)
    for stage in stages:
        # The budget map states the deadline model where the action leaves it empty.
        if not stage["model"]:
            stage["model"] = next(
                (a.get("deadlineModel") for a in own if a.get("deadlineModel")), None
            )
    years: dict[str, float] = {}
    for action in own:
        for year, amount in (action.get("budgetYearMap") or {}).items():
            years[str(year)] = years.get(str(year), 0.0) + float(amount)
    minimum = [c for c in (_contribution(a.get("minContribution")) for a in own) if c]
    maximum = [c for c in (_contribution(a.get("maxContribution")) for a in own) if c]
    grants = [
        int(a["expectedGrants"])
        for a in own
        if isinstance(a.get("expectedGrants"), int) and a["expectedGrants"] > 0
    ]
    deadlines = sorted({d for s in stages for d in s["deadlines"] if d})
    openings = sorted({s["opens"] for s in stages if s["opens"]})
    return {
        "identifier": identifier,
        "title": title,
        "description": html_to_text(str(topic.get("description") or "")),
        "conditions": html_to_text(str(topic.get("conditions") or "")),
        "call_identifier": topic.get("callIdentifier"),
        "call_title": " ".join(str(topic.get("callTitle") or "").split()) or None,
        "programme": programme.get("description"),
        "programme_code": programme.get("abbreviation"),
        "programme_divisions": [
            d.get("description")
            for d in topic.get("programmeDivision") or []
            if d.get("description")
        ],
        "types_of_action": list(dict.fromkeys(types_of_action)),
        "stages": stages,
        "deadlines": deadlines,
        "opens_at": openings[0] if openings else None,
        "status": statuses[0] if len(set(statuses)) == 1 else None,
        "budget_years": years,
        "budget_total": sum(years.values()) if years else None,
        "amount_min": min(minimum) if minimum else None,
        "amount_max": max(maximum) if maximum else None,
        "expected_grants": sum(grants) if grants else None,
        "keywords": [str(k) for k in (topic.get("keywords") or topic.get("tags") or [])][:20],
        "sme": topic.get("sme"),
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def merge_details(fields: dict[str, Any], details: dict[str, Any]) -> dict[str, Any]:
    """A search hit's record fields completed and corrected by its topic details."""
    merged = dict(fields)
    extra = dict(fields.get("extra") or {})
    description = details["description"] or fields.get("description") or ""
    merged.update(
        {
            "title": details["title"],
            "description": description,
            "summary": summarise(description) if description else "",
            "url": TOPIC_URL.format(details["identifier"]),
        }
    )
    if details["deadlines"]:
        merged["deadlines"] = details["deadlines"]
    if details["opens_at"]:
        merged["opens_at"] = details["opens_at"]
    # The details are the topic's own statement: where they state no budget for this topic,
    # the search hit's (often cut off) budgetOverview is not used either.
    merged["amount_min"] = details["amount_min"]
    merged["amount_max"] = details["amount_max"]
    merged["budget_total"] = details["budget_total"]
    extra.update(
        {
            "programme": details["programme"] or extra.get("programme"),
            "programme_code": details["programme_code"] or extra.get("programme_code"),
            "programme_divisions": details["programme_divisions"],
            "call_identifier": details["call_identifier"] or extra.get("call_identifier"),
            "call_title": details["call_title"] or extra.get("call_title"),
            "types_of_action": details["types_of_action"] or extra.get("types_of_action", []),
            "deadlines_by_stage": details["stages"],
            "conditions": details["conditions"],
            "budget_years": details["budget_years"],
            "expected_grants": details["expected_grants"],
            "topic_details": "fetched",
        }
    )
    if details["status"]:
        extra["topic_status"] = details["status"]
        extra["source_status"] = details["status"]
    if details["keywords"]:
        extra["keywords"] = details["keywords"]
    extra.pop("budget_overview_truncated", None)
    merged["extra"] = extra
    return merged
