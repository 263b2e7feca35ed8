"""EU Funding & Tenders topic details: the five real files parse into the facts the search API
leaves out, and a detail page that fails never costs a topic what an earlier crawl read."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.conftest import SHARED
from tests.crawler.conftest import Recordings, by_source
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.sedia import TOPIC_DETAILS_URL, parse_topic_details, portal_date
from wijzer.crawler.replay import RECORDINGS
from wijzer.crawler.store import RunStats

PORTAL = SHARED / "data" / "eu_ft_portal"
FILES = sorted(PORTAL.glob("topicDetails_*.json"))


def test_the_real_files_are_recorded_byte_for_byte() -> None:
    manifest = json.loads((RECORDINGS / "sedia" / "manifest.json").read_text(encoding="utf-8"))
    recorded = {
        (RECORDINGS / "sedia" / e["file"]).read_bytes()
        for e in manifest["entries"]
        if "/topicDetails/" in e["url"]
    }
    assert len(FILES) == 5 and {f.read_bytes() for f in FILES} == recorded


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "HORIZON-WIDERA-2025-ACCESS-01-01-two-stage",
            {
                "title": "Teaming for Excellence",
                "call_identifier": "HORIZON-WIDERA-2025-ACCESS-01",
                "programme": "Horizon Europe (HORIZON)",
                "status": "forthcoming",
                "deadlines": ["2025-04-10", "2026-01-20"],
                "budget_total": 270_000_000,
                "amount_min": 8_000_000,
                "amount_max": 15_000_000,
                "expected_grants": 18,
            },
        ),
        (
            "CEF-T-2024-SAFEMOBGEN-EXTBORDER-WORKS",
            {
                "programme": "Connecting Europe Facility (CEF)",
                "status": "open",
                "deadlines": ["2025-01-21"],
                "opens_at": "2024-09-24",
                # Only the call's PARKINGS topic has a budget line: this topic's is unknown.
                "budget_total": None,
                "amount_max": None,
                "types_of_action": ["CEF-INFRA CEF Infrastructure Projects"],
            },
        ),
        (
            "PPPA-2024-SKILL-FOR-TOURISM",
            {"budget_total": 1_000_000, "amount_min": None, "amount_max": 995_000},
        ),
        (
            "ERASMUS-EDU-2025-PI-ALL-INNO-EDU-ENTERP",
            {
                "title": "Alliances for Education and Enterprises",
                "programme": "Erasmus+ (ERASMUS+)",
                "deadlines": ["2025-03-06"],
                "budget_total": None,
            },
        ),
        (
            "H2020_MIGRATION-05-2018-2020",
            {
                "identifier": "MIGRATION-05-2018-2020",
                "programme": "Horizon 2020 Framework Programme",
                "status": "closed",
                # Two actions, each with its own opening and deadline ("13 March 2018").
                "deadlines": ["2018-03-13", "2020-03-19"],
                "opens_at": "2017-11-07",
                "budget_total": 15_000_000,
                "types_of_action": ["RIA Research and Innovation action", "IA Innovation action"],
            },
        ),
    ],
)
def test_topic_details_facts(name: str, expected: dict[str, object]) -> None:
    details = parse_topic_details((PORTAL / f"topicDetails_{name}.json").read_bytes())
    for key, value in expected.items():
        assert details[key] == value, key
    assert details["description"] and "<" not in details["description"]
    assert details["conditions"] and "<" not in details["conditions"]
    assert all(stage["deadlines"] for stage in details["stages"])


def test_portal_dates_are_days_in_brussels() -> None:
    # The search API says "2025-03-06T00:00:00.000+0100" for the same deadline.
    assert portal_date("1741215600000").isoformat() == "2025-03-06"  # type: ignore[union-attr]
    assert portal_date("13 March 2018").isoformat() == "2018-03-13"  # type: ignore[union-attr]
    assert portal_date("") is None and portal_date("soon") is None


def test_not_topic_details_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        parse_topic_details(b'{"TopicDetails": {"identifier": "X"')
    assert info.value.code == "malformed_json"
    with pytest.raises(ParseError, match="without TopicDetails"):
        parse_topic_details(b'{"results": []}')


WIDERA = TOPIC_DETAILS_URL.format("HORIZON-WIDERA-2025-ACCESS-01-01-two-stage")
PPPA = TOPIC_DETAILS_URL.format("PPPA-2024-SKILL-FOR-TOURISM")


def test_failing_details_keep_what_an_earlier_crawl_read(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    crawl(sqlite_catalog, ["sedia"])
    with sqlite_catalog.session() as session:
        before = InstrumentStore(session).get("sedia:HORIZON-WIDERA-2025-ACCESS-01-01-two-stage")
        assert before is not None and before.amount_max == 15_000_000
        digest = before.content_hash
    recordings.remove("sedia", WIDERA)  # the portal answers 404
    recordings.body_path("sedia", PPPA).write_bytes(b'{"TopicDetails": {"identifier": ')
    run = by_source(crawl(sqlite_catalog, ["sedia"]))["sedia"]
    assert run.dropped["topic_details_http_404"] == 9
    assert run.dropped["topic_details_malformed_json"] == 1
    assert run.status == "partial" and run.changed == 0 and run.withdrawn == 0
    with sqlite_catalog.session() as session:
        store = InstrumentStore(session)
        kept = store.get("sedia:HORIZON-WIDERA-2025-ACCESS-01-01-two-stage")
        assert kept is not None and kept.content_hash == digest
        assert kept.extra["topic_details"] == "fetched"
