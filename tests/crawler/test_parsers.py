"""Parsers on the real responses (TED XML both schemas, SEDIA JSON) and on variants of them."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.page import parse_page
from wijzer.crawler.parsers.sedia import parse_budget, read_page, topic_fields
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice, publication_number
from wijzer.crawler.replay import RECORDINGS

TED = SHARED / "data" / "ted"
EFORMS_NL = TED / "ted_xml_data_converter" / "eforms-xml" / "21-064844-001-EXP.xml"
LEGACY_NL = TED / "ted_xml_data_converter" / "ted-xml-R2.0.9" / "21-064844-001-EXP.xml"
LEGACY_WUR = TED / "ted_xml_data_converter" / "ted-xml-R2.0.9" / "20-377805-001-EXP.xml"
SEDIA = SHARED / "data" / "eu_sedia" / "sedia_search_response_AarhusAI_portal_search_page.json"


def test_eforms_dutch_notice_fields() -> None:
    fields = notice_to_fields(parse_notice(EFORMS_NL.read_bytes()))
    assert fields["title"] == (
        "Raamovereenkomst onderhoud openbare verlichting gemeenten Bloemendaal en Heemstede"
    )
    assert fields["funder"].startswith("Stichting Regionaal Inkoopbureau IJmond & Kennemerland")
    assert "Gemeente Heemstede" in fields["funder"]
    assert fields["deadlines"] == ["2021-03-18"]
    assert fields["extra"]["cpv_codes"] == ["50232100"]
    assert fields["regions"] == ["Noord-Holland"]
    assert fields["language"] == "nl"
    assert fields["instrument_type"] == "procurement" and fields["level"] == "eu"
    assert fields["url"] == "https://ted.europa.eu/en/notice/-/detail/67028-2021"
    assert fields["extra"]["publication_date"] == "2021-02-09"


def test_legacy_and_eforms_versions_of_a_notice_agree() -> None:
    legacy = notice_to_fields(parse_notice(LEGACY_NL.read_bytes()))
    eforms = notice_to_fields(parse_notice(EFORMS_NL.read_bytes()))
    for key in ("title", "deadlines", "url", "language", "regions"):
        assert legacy[key] == eforms[key], key
    assert legacy["extra"]["cpv_codes"] == eforms["extra"]["cpv_codes"]
    assert legacy["extra"]["notice_schema"] == "ted-xml"


def test_legacy_notice_with_estimated_value_and_english_language() -> None:
    fields = notice_to_fields(parse_notice(LEGACY_WUR.read_bytes()))
    assert fields["title"] == "Dynamic Purchasing System (DPS) Sequencing"
    assert fields["funder"] == "Wageningen University and Research"
    assert fields["budget_total"] == 15_000_000
    assert fields["deadlines"] == ["2020-09-18"]
    assert fields["language"] == "en"
    assert fields["regions"] == ["Gelderland"]
    assert fields["url"] == "https://ted.europa.eu/en/notice/-/detail/365590-2020"


@pytest.mark.parametrize("path", sorted((TED / "eforms_sdk_examples").glob("*.xml")), ids=str)
def test_every_eforms_example_parses_with_title_buyer_and_cpv(path) -> None:  # type: ignore[no-untyped-def]
    fields = notice_to_fields(parse_notice(path.read_bytes()))
    assert fields["title"] and fields["funder"]
    assert all(re.fullmatch(r"\d{8}", c) for c in fields["extra"]["cpv_codes"])
    assert fields["extra"]["cpv_codes"]


def test_eforms_parsing_uses_namespace_uris_not_prefixes() -> None:
    text = EFORMS_NL.read_text(encoding="utf-8")
    renamed = re.sub(
        r"\b(cbc|cac)(:|=)", lambda m: {"cbc": "b", "cac": "a"}[m.group(1)] + m.group(2), text
    )
    renamed = renamed.replace("xmlns:cbc=", "xmlns:b=").replace("xmlns:cac=", "xmlns:a=")
    fields = notice_to_fields(parse_notice(renamed.encode()))
    assert fields["title"].startswith("Raamovereenkomst") and fields["deadlines"] == ["2021-03-18"]


def test_eforms_notice_with_missing_parts_is_tolerated() -> None:
    text = EFORMS_NL.read_text(encoding="utf-8")
    text = re.sub(
        r"<cac:TenderSubmissionDeadlinePeriod>.*?</cac:TenderSubmissionDeadlinePeriod>",
        "",
        text,
        flags=re.S,
    )
    text = re.sub(r"<efac:Publication>.*?</efac:Publication>", "", text, flags=re.S)
    fields = notice_to_fields(parse_notice(text.encode()))
    assert fields["deadlines"] == [] and fields["url"] is None
    assert fields["title"].startswith("Raamovereenkomst")


@pytest.mark.parametrize(
    ("data", "reason"),
    [(b"<ContractNotice", "malformed_xml"), (b"<html><body/></html>", "not_a_ted_notice")],
)
def test_bad_xml_is_a_parse_error_with_a_reason(data: bytes, reason: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_notice(data)
    assert info.value.code == reason


def test_publication_numbers() -> None:
    assert publication_number("067028-2021") == "67028-2021"
    assert publication_number("2020/S 149-365590") == "365590-2020"
    assert publication_number("nonsense") is None


def test_sedia_topics_have_programme_call_deadlines_and_status() -> None:
    results, total, page, size = read_page(SEDIA.read_bytes())
    assert (total, page, size, len(results)) == (9, 1, 100, 9)
    topics = {f["source_id"]: f for f in map(topic_fields, results)}
    soil = topics["HORIZON-MISS-2027-05-SOIL-01-two-stage"]
    assert soil["extra"]["programme"] == "Horizon Europe (HORIZON)"
    assert soil["extra"]["call_identifier"] == "HORIZON-MISS-2027-05-two-stage"
    assert soil["deadlines"] == ["2027-04-08", "2027-09-14"]
    assert soil["extra"]["topic_status"] == "forthcoming"
    assert soil["opens_at"].isoformat() == "2027-02-04"
    assert "<" not in soil["description"] and soil["description"].startswith("Expected Outcome")
    cyber = topics["HORIZON-CL3-2026-02-CS-ECCC-01"]
    assert cyber["extra"]["topic_status"] == "open"
    assert (cyber["amount_min"], cyber["amount_max"]) == (3_000_000, 4_000_000)
    assert cyber["budget_total"] == 20_000_000
    assert cyber["url"].endswith("/topic-details/HORIZON-CL3-2026-02-CS-ECCC-01")


def test_truncated_budget_overview_is_read_as_far_as_it_goes() -> None:
    raw = (
        '{"budgetTopicActionMap":{"1":[{"action":"T-1 - RIA","minContribution":2000000,'
        '"maxContribution":3000000,"budgetYearMap":{"2026":"9000000"},"deadl'
    )
    budget = parse_budget(raw, "T-1")
    assert budget["truncated"] is True
    assert (budget["min_contribution"], budget["max_contribution"]) == (2_000_000, 3_000_000)
    assert budget["budget_years"] == {"2026": "9000000"}
    assert (
        parse_budget('{"budgetTopicActionMap":{"1":[{"action":"OTHER', "T-1")["max_contribution"]
        is None
    )


def test_sedia_malformed_json_is_a_parse_error() -> None:
    with pytest.raises(ParseError) as info:
        read_page(b'{"results": [')
    assert info.value.code == "malformed_json"


def test_constructed_page_yields_title_and_main_text_without_boilerplate() -> None:
    manifest = (RECORDINGS / "rvo" / "manifest.json").read_text()
    url = "https://www.rvo.nl/subsidies-financiering/vff"
    import json

    entry = next(e for e in json.loads(manifest)["entries"] if e["url"] == url)
    page = parse_page((RECORDINGS / "rvo" / entry["file"]).read_bytes(), url)
    assert page.title == "Vroegefasefinanciering (VFF)"
    assert "Vroegefasefinanciering" in page.text
    assert "cookies" not in page.text.lower() and "Toegankelijkheid" not in page.text
    assert page.language == "nl"


def test_page_without_text_is_rejected() -> None:
    with pytest.raises(ParseError) as info:
        parse_page(
            b"<html><head><title>Leeg</title></head><body><nav>Home</nav></body></html>",
            "https://example.nl/",
        )
    assert info.value.code == "page_without_main_text"


def test_xhtml_page_with_an_xml_declaration_is_read() -> None:
    # lxml refuses an encoding declaration in decoded text; such pages were dropped as
    # malformed before the page was parsed once with trafilatura's loader.
    body = (
        b'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0'
        b' Strict//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd">\n'
        b'<html xmlns="http://www.w3.org/1999/xhtml" lang="nl"><head><title>Subsidie'
        b" innovatie | Gemeente</title></head><body><main><h1>Subsidie innovatie</h1><p>De"
        b" gemeente verleent ondernemers een subsidie van ten hoogste \xe2\x82\xac 20.000 voor"
        b" een innovatieproject.</p></main></body></html>"
    )
    page = parse_page(body, "https://example.nl/subsidie")
    assert page.title == "Subsidie innovatie"
    assert "ten hoogste € 20.000" in page.text
    assert page.language == "nl"
