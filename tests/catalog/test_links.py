"""Official or not, and the identity of a record: rules over hosts, funders and titles."""

from __future__ import annotations

import pytest

from wijzer.catalog.identity import fingerprint, funder, funder_relation, identifiers, page_key
from wijzer.catalog.links import judge

THIRD_PARTY_NOTE = {"source_file": "thirdparty/thirdparty_notes.jsonl"}


@pytest.mark.parametrize(
    ("url", "funder_text", "kwargs", "official", "rule"),
    [
        # The funder's own site, also under another spelling of the host.
        ("https://www.rvo.nl/subsidies/x", "RVO / Ministerie van EZK", {}, True, "funder_site"),
        (
            "https://business.gov.nl./subsidy/x",
            "Netherlands Enterprise Agency",
            {},
            True,
            "public_portal",
        ),
        (
            "https://jaarverslag2016.nom.nl/x",
            "NOM (Noordelijke Ontwikkelingsmaatschappij)",
            {},
            True,
            "funder_site",
        ),
        # A province's site for a scheme of that province; a ROM acting for it.
        (
            "https://www.zeeland.nl/subsidie",
            "EFRO / programmapartners (o.a. provincie Zeeland)",
            {},
            True,
            "funder_site",
        ),
        ("http://www.oostnv.nl/page/x", "Provincie Gelderland", {}, True, "public_portal"),
        # An official publication: official for a Dutch public scheme, not for an EU-only one.
        (
            "https://zoek.officielebekendmakingen.nl/stcrt-1.html",
            "Ministerie van EZK",
            {},
            True,
            "public_portal",
        ),
        (
            "https://zoek.officielebekendmakingen.nl/stcrt-1.html",
            "European Union (Interreg, ERDF)",
            {"level": "eu"},
            False,
            "not_for_this_scheme",
        ),
        # EU instruments: the Commission's portal yes, contact points and other countries no.
        (
            "https://ec.europa.eu/info/funding-tenders/x",
            "European Commission (Horizon Europe)",
            {},
            True,
            "funder_site",
        ),
        ("https://ncp.brussels/eic", "European Innovation Council", {}, False, "third_party"),
        (
            "https://www.fundingprogrammesportal.gov.cy/en/call/x",
            "European Union",
            {},
            False,
            "third_party",
        ),
        (
            "https://advisory.eib.org/eic-transition",
            "European Innovation Council",
            {},
            False,
            "not_for_this_scheme",
        ),
        (
            "https://www.rekenkamer.nl/publicaties/x",
            "Minister voor BHO",
            {},
            False,
            "not_for_this_scheme",
        ),
        # News, regional media and consultancies are never official.
        (
            "https://nos.nl/artikel/1",
            "Rijksoverheid / banken",
            THIRD_PARTY_NOTE,
            False,
            "third_party",
        ),
        ("https://nlsi.nl/mit", "RVO / provincies", THIRD_PARTY_NOTE, False, "third_party"),
        # An unlisted host: official only when it is the named funder's own name.
        (
            "https://www.brightmove.nl/werkwijze",
            "Bright Move / Provincie Noord-Brabant",
            THIRD_PARTY_NOTE,
            True,
            "funder_site",
        ),
        ("https://www.acme-groeifonds.nl/", "Acme Groeifonds", {}, True, "funder_domain"),
        (
            "https://www.gennep.nl/nieuws/interreg",
            "Interreg Deutschland-Nederland (EFRO)",
            THIRD_PARTY_NOTE,
            False,
            "unknown_host",
        ),
        (
            "https://www.rtvdrenthe.nl/nieuws/1",
            "Provincie Drenthe / NOM",
            THIRD_PARTY_NOTE,
            False,
            "third_party",
        ),
    ],
)
def test_official_or_not_by_host_funder_and_source(
    url: str, funder_text: str, kwargs: dict, official: bool, rule: str
) -> None:
    extra = kwargs if "source_file" in kwargs else {}
    level = kwargs.get("level", "national")
    verdict = judge(url, funder_text, level=level, extra=extra)
    assert (verdict.official, verdict.rule) == (official, rule), verdict


def test_tender_platforms_are_official_for_tenders_only() -> None:
    url = "https://platform.negometrix.com/PublishedTenders.aspx?tenderid=1"
    assert judge(url, "Wageningen University", instrument_type="procurement").official is True
    assert judge(url, "Wageningen University", instrument_type="subsidy").official is False
    tender = judge(
        "https://www.tenderned.nl/aankondigingen/x", "Gemeente X", instrument_type="procurement"
    )
    assert tender.official is True and tender.organisation == "TenderNed"


def test_no_link_is_neither_official_nor_third_party() -> None:
    verdict = judge(None, "RVO")
    assert verdict.official is None and verdict.rule == "no_url"
    assert judge("https://example.org", "", extra=THIRD_PARTY_NOTE).evidence() == {
        "rule": "unknown_host",
        "host": "example.org",
        "source_kind": "third_party_note",
    }


def test_identifiers_of_topics_and_notices_in_any_spelling() -> None:
    portal = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"
    data = "https://ec.europa.eu/info/funding-tenders/opportunities/data/topicDetails/HORIZON-CL4-2027-04-DIGITAL-EMERGING-10.json"
    assert (
        identifiers({"url": portal})
        == identifiers({"url": data})
        == {"topic:HORIZON-CL4-2027-04-DIGITAL-EMERGING-10"}
    )
    # The call a topic belongs to is not the topic.
    text = "Horizon Europe topic HORIZON-CL2-2024-X-01-08 under call 'HORIZON-CL2-2024-X-01'"
    assert identifiers({"summary": text}) == {"topic:HORIZON-CL2-2024-X-01-08"}
    assert identifiers({"summary": "TED contract notice 2021/S 027-067028 (gepubliceerd)"}) == {
        "ted:67028-2021"
    }
    assert identifiers({"source": "ted", "extra": {"publication_number": "067028-2021"}}) == {
        "ted:67028-2021"
    }
    listing = identifiers(
        {
            "source": "tenderned",
            "source_id": "54C78E8BB850DB2546FCFD71B862B86A",
            "extra": {"ted_publication_number": "67028-2021"},
        }
    )
    assert listing == {"ted:67028-2021", "tenderned:54c78e8bb850db2546fcfd71b862b86a"}


def test_one_page_under_several_spellings() -> None:
    assert page_key("https://business.gov.nl./subsidy/bmkb") == page_key(
        "http://www.business.gov.nl/subsidy/bmkb/"
    )
    assert page_key("https://x.nl/a?id=1") != page_key("https://x.nl/a?id=2")


def test_titles_and_funders_in_comparable_form() -> None:
    conditions = fingerprint({"id": "a", "title": "Innovatiekrediet: Voorwaarden"})
    after = fingerprint({"id": "b", "title": "Innovatiekrediet: Na uw aanvraag"})
    assert conditions.core == after.core == "innovatiekrediet"
    second = fingerprint({"id": "c", "title": "Dutch Future Fund II"})
    assert second.numerals == {"II"} and "name:dutchfuturefonds" in second.scheme
    assert (
        "name:innovatiekrediet"
        in fingerprint({"id": "d", "title": "Innovation Credit (2025)"}).scheme
    )
    # A ROM acts for its provinces; a portal names no funder; two cities are two funders.
    assert funder_relation([funder("Oost NL")], [funder("Provincie Gelderland")]) == "shared"
    assert funder_relation([funder("KVK / Ondernemersplein")], [funder("Qredits")]) == "unknown"
    assert (
        funder_relation([funder("Gemeente Utrecht")], [funder("Gemeente Groningen")]) == "different"
    )
    assert (
        funder_relation([funder("Provincie Zuid-Holland")], [funder("Provincie Noord-Holland")])
        == "different"
    )
