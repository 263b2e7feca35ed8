"""Decentral regulations: the real CVDR and gazette XML parse, what grants nothing is dropped
with its reason, a subsidy regulation becomes a regional instrument, SRU faults are named."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest

from tests.conftest import SHARED
from tests.crawler.conftest import Recordings, by_source
from wijzer.catalog.db import Catalog
from wijzer.catalog.repository import InstrumentStore
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.regulation import (
    amount_statements,
    funding_verdict,
    in_force_verdict,
    parse_regulation,
    regulation_fields,
)
from wijzer.crawler.parsers.sru import read_response
from wijzer.crawler.replay import RECORDINGS
from wijzer.crawler.store import RunStats

OVERHEID = SHARED / "data" / "overheid"
TODAY = dt.date(2026, 6, 1)


def _read(path: str) -> bytes:
    return (OVERHEID / path).read_bytes()


@pytest.mark.parametrize(
    ("path", "identifier", "title", "issuer", "kind"),
    [
        (
            "cvdr/cvdr_example1.xml",
            "112779_1",
            "Lijst van binnengemeentelijke afnemers met een raadpleegmogelijkheid",
            "Spijkenisse",
            "gemeente",
        ),
        (
            "cvdr/cvdr_example2.xml",
            "CVDR100394_2",
            "Beleidsregels verkeersveiligheid en parkeren",
            "Kampen",
            "gemeente",
        ),
        ("cvdr/cvdr_example3.xml", "CVDR680781_1", "Beleidsregel Wet Bibob", "Someren", "gemeente"),
        (
            "officiele_publicaties/gmb.xml",
            "gmb-2017-100002",
            "Ingediende aanvraag omgevingsvergunning",
            "Oldambt",
            "gemeente",
        ),
        (
            "officiele_publicaties/prb.xml",
            "prb-2017-1003",
            "Provincie Utrecht Wet luchtvaart",
            "Utrecht",
            "provincie",
        ),
        (
            "officiele_publicaties/bgr.xml",
            "bgr-2024-715",
            "Regeling mandatering bevoegdheden",
            "Regio Achterhoek",
            "gemeenschappelijke regeling",
        ),
        # Starts with a UTF-8 byte order mark.
        (
            "officiele_publicaties/stcrt.xml",
            "stcrt-2015-47076",
            "Ter inzage: omgevingsvergunning",
            "Rijksoverheid",
            "koninkrijk",
        ),
    ],
)
def test_real_regulations_parse_and_grant_nothing(
    path: str, identifier: str, title: str, issuer: str, kind: str
) -> None:
    regulation = parse_regulation(_read(path))
    assert regulation.identifier == identifier
    assert regulation.title.startswith(title)
    assert (regulation.issuer, regulation.issuer_kind) == (issuer, kind)
    assert regulation.text
    assert funding_verdict(regulation) == "not_about_subsidies"


def test_cvdr_metadata_and_articles() -> None:
    spijkenisse = parse_regulation(_read("cvdr/cvdr_example1.xml"))
    assert spijkenisse.in_force_from == dt.date(2011, 9, 14)
    assert spijkenisse.in_force_until == dt.date(2012, 4, 25)
    assert in_force_verdict(spijkenisse, TODAY) == "no_longer_in_force"
    bibob = parse_regulation(_read("cvdr/cvdr_example3.xml"))
    # It names "Subsidies" among the decisions a Bibob check covers; it grants none.
    assert "Subsidies;" in bibob.text
    assert bibob.subject == "openbare orde en veiligheid" and len(bibob.articles) == 6
    assert in_force_verdict(bibob, TODAY) is None
    kampen = parse_regulation(_read("cvdr/cvdr_example2.xml"))
    assert kampen.publication == "https://zoek.officielebekendmakingen.nl/gmb-2016-146361"
    # Articles marked up only in bold in a gazette are split at "Artikel N" too.
    achterhoek = parse_regulation(_read("officiele_publicaties/bgr.xml"))
    assert achterhoek.articles[0].heading == "Artikel 1. Begripsbepalingen"


def test_metadata_files_and_truncated_xml_are_refused_with_a_reason() -> None:
    for name in ("opmeta1.xml", "opmeta2.xml", "searchrec.xml"):
        with pytest.raises(ParseError, match="not a regulation"):
            parse_regulation(_read(f"officiele_publicaties/{name}"))
    truncated = _read("cvdr/cvdr_example3.xml")[:3000]
    with pytest.raises(ParseError) as info:
        parse_regulation(truncated)
    assert info.value.code == "malformed_xml"


def _recorded(source: str, url_part: str) -> bytes:
    manifest = json.loads((RECORDINGS / source / "manifest.json").read_text(encoding="utf-8"))
    entry = next(e for e in manifest["entries"] if url_part in e["url"])
    return (RECORDINGS / source / entry["file"]).read_bytes()


def test_a_subsidy_regulation_becomes_a_regional_instrument() -> None:
    """The positive path, on CVDR656685 constructed in the real format around its real text."""
    regulation = parse_regulation(_recorded("cvdr", "CVDR656685_2.xml"))
    assert funding_verdict(regulation) is None
    fields = regulation_fields(regulation, {"today": TODAY})
    assert fields["title"] == "Subsidieregeling MKB-Deals Zuid-Holland"
    assert fields["funder"] == "Provincie Zuid-Holland"
    assert (fields["level"], fields["regions"]) == ("regional", ["Zuid-Holland"])
    assert fields["extra"]["in_force_from"] == "2023-01-27"
    assert fields["url"] == "https://lokaleregelgeving.overheid.nl/CVDR656685/2"
    # The excerpt states no amounts and no applicants: none are made up.
    assert fields["amount_max"] is None and fields["extra"]["amount_articles"] == []
    assert fields["extra"]["target_group"] == []


def test_amounts_are_read_per_article_with_the_money_reader() -> None:
    """Article 2 of the DTIF decision (real text, wetten.overheid.nl) in the CVDR format."""
    article = (
        "Voor de toepassing van dit besluit geldt voor de periode van 1 september 2016 t/m 31 "
        "december 2021 een subsidieplafond van in totaal € 79.017.000. Dit bedrag is "
        "uitgesplitst naar een deelplafond voor de op grond van de beleidsregels te verstrekken "
        "leningen ter hoogte van € 45.717.000,– en een deelplafond voor de op grond van de "
        "beleidsregels te verstrekken aanspraken op garantstelling ter hoogte van € 33.300.000."
    )
    document = (
        '<?xml version="1.0" encoding="utf-8"?><cvdr xmlns="http://standaarden.overheid.nl/cvdr/'
        'terms/" xmlns:dcterms="http://purl.org/dc/terms/"><meta><owmskern>'
        "<dcterms:identifier>CVDR1_1</dcterms:identifier><dcterms:title>Beleidsregels "
        'verstrekken subsidie</dcterms:title><dcterms:creator scheme="overheid:Gemeente">'
        "Someren</dcterms:creator></owmskern></meta><body><regeling><regeling-tekst><artikel>"
        f"<kop><label>Artikel</label><nr>2</nr></kop><al>{article}</al></artikel>"
        "</regeling-tekst></regeling></body></cvdr>"
    ).encode()
    regulation = parse_regulation(document)
    total, parts = amount_statements(regulation)
    assert (total.kind, total.article, total.amounts) == ("ceiling", "Artikel 2", [79_017_000])
    assert (parts.kind, parts.amounts) == ("ceiling", [45_717_000, 33_300_000])
    fields = regulation_fields(regulation, {"today": TODAY})
    assert fields["budget_total"] == 79_017_000 and fields["amount_max"] is None
    # A municipality's region comes from the catalog's places vocabulary.
    assert fields["funder"] == "Gemeente Someren" and fields["municipality"] == "Someren"
    assert fields["regions"] == ["Noord-Brabant"]


def test_sru_responses_and_diagnostics() -> None:
    page = read_response(_recorded("cvdr", "sru/Search"))
    assert page.total == 4 and [r.first("identifier") for r in page.records][-1] == "CVDR656685_2"
    gazette = read_response(_recorded("officielebekendmakingen", "repository.overheid.nl/sru"))
    # The first record is the real search record, namespaces stripped as it was collected.
    assert gazette.records[0].first("identifier") == "gmb-2023-174296"
    assert gazette.records[0].enriched["preferredUrl"].endswith("gmb-2023-174296.html")
    diagnostic = (
        b'<sru:searchRetrieveResponse xmlns:sru="http://docs.oasis-open.org/ns/search-ws/'
        b'sruResponse"><sru:numberOfRecords>0</sru:numberOfRecords><sru:diagnostics>'
        b'<diag:diagnostic xmlns:diag="http://docs.oasis-open.org/ns/search-ws/diagnostic">'
        b"<diag:uri>info:srw/diagnostic/1/10</diag:uri><diag:details>dcterms.titel</diag:details>"
        b"<diag:message>Query syntax error</diag:message></diag:diagnostic></sru:diagnostics>"
        b"</sru:searchRetrieveResponse>"
    )
    with pytest.raises(ParseError) as info:
        read_response(diagnostic)
    assert info.value.code == "sru_diagnostic" and "Query syntax error" in info.value.reason


CVDR_SEARCH_PART = "zoekservice.overheid.nl/sru/Search"
DEALS_XML = "CVDR656685_2.xml"


def _url(recordings: Recordings, source: str, part: str) -> str:
    return next(e["url"] for e in recordings.manifest(source)["entries"] if part in e["url"])


def test_bad_regulation_input_is_dropped_counted_and_loses_nothing(
    crawl: Callable[..., list[RunStats]], recordings: Recordings, sqlite_catalog: Catalog
) -> None:
    first = by_source(crawl(sqlite_catalog, ["cvdr", "officielebekendmakingen"]))
    assert first["cvdr"].new == 1 and first["officielebekendmakingen"].new == 1
    # A truncated regulation: dropped, counted; the run is partial, nothing withdrawn.
    deals = recordings.body_path("cvdr", _url(recordings, "cvdr", DEALS_XML))
    deals.write_bytes(deals.read_bytes()[:1500])
    # A diagnostic instead of records: the search fails, the source's records stay.
    search = recordings.body_path(
        "officielebekendmakingen", _url(recordings, "officielebekendmakingen", "/sru?")
    )
    search.write_bytes(
        b'<?xml version="1.0"?><searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/">'
        b"<numberOfRecords>0</numberOfRecords><diagnostics><diagnostic xmlns="
        b'"http://www.loc.gov/zing/srw/diagnostic/"><uri>info:srw/diagnostic/1/3</uri>'
        b"<message>Unsupported operation</message></diagnostic></diagnostics>"
        b"</searchRetrieveResponse>"
    )
    second = by_source(crawl(sqlite_catalog, ["cvdr", "officielebekendmakingen"]))
    cvdr, gazettes = second["cvdr"], second["officielebekendmakingen"]
    assert cvdr.status == "partial" and cvdr.withdrawn == 0
    assert cvdr.dropped == {"malformed_xml": 1, "not_about_subsidies": 3}
    assert gazettes.status == "failed" and gazettes.dropped == {"sru_diagnostic": 1}
    assert any("Unsupported operation" in e for e in gazettes.errors)
    with sqlite_catalog.session() as session:
        store = InstrumentStore(session)
        for record_id in ("cvdr:CVDR656685", "officielebekendmakingen:prb-2025-4732"):
            kept = store.get(record_id)
            assert kept is not None and kept.withdrawn_at is None and kept.version == 1
