"""Subsidy regulations of municipalities, provinces and water boards, from KOOP's SRU services.

CVDR (lokaleregelgeving.overheid.nl) holds the consolidated regulations of every municipality,
province and water board; officielebekendmakingen.nl holds what their gazettes publish. Both
are searched with SRU for subsidy words, newest change first; each hit's XML is fetched and
read (parsers.regulation). What does not grant money, or is no longer in force, is dropped
with its reason. A regulation is one record per work (CVDR123), its newest version winning.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from typing import Any, ClassVar
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.regulation import (
    funding_verdict,
    in_force_verdict,
    parse_regulation,
    regulation_fields,
)
from wijzer.crawler.parsers.sru import Record, read_response
from wijzer.crawler.spiders.base import WijzerSpider

PAGE_SIZE = 50
# Gazette notices that are permits and announcements, never regulations: dropped on the search
# record's own rubric, without fetching them.
_NOTICE_RUBRICS = re.compile(r"vergunning|melding|ontheffing|kennisgeving|verkeersbesluit", re.I)


class RegulationSpider(WijzerSpider):
    """One SRU search, page by page; every hit's XML read into an instrument or dropped."""

    search_url: ClassVar[str] = ""
    search_params: ClassVar[dict[str, str]] = {}
    level = "regional"
    default_type = "subsidy"

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.requested: dict[str, int] = {}

    def search_request(self, start: int) -> scrapy.Request:
        params = {**self.search_params, "startRecord": str(start), "maximumRecords": str(PAGE_SIZE)}
        return self.request(
            f"{self.search_url}?{urlencode(params)}",
            self.parse_search,
            discovery=True,
            headers={"Accept": "application/xml"},
            cb_kwargs={"start": start},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.search_request(1)

    # --- per service ----------------------------------------------------------------------
    def work(self, record: Record) -> tuple[str, int] | None:
        """(work id, version number) of a hit; None when the hit has no identifier."""
        raise NotImplementedError

    def document_url(self, record: Record) -> str | None:
        raise NotImplementedError

    def metadata(self, record: Record) -> dict[str, Any]:
        raise NotImplementedError

    def skip_reason(self, record: Record) -> str | None:
        """A reason to drop the hit on its search record alone (no fetch)."""
        return None

    # --- crawling -------------------------------------------------------------------------
    def parse_search(self, response: Response, start: int = 1) -> Iterator[Any]:
        try:
            page = read_response(response.body)
        except ParseError as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        newest: dict[str, tuple[int, Record]] = {}
        for record in page.records:
            found = self.work(record)
            if found is None:
                self.drop("record_without_identifier", response.url)
                continue
            work, version = found
            if work in newest and newest[work][0] >= version:
                continue
            newest[work] = (version, record)
        new = 0
        for work, (version, record) in newest.items():
            if self.requested.get(work, -1) >= version:
                continue
            self.requested[work] = version
            reason = self.skip_reason(record)
            if reason:
                self.drop(reason, f"{work}: {record.first('title')}")
                continue
            url = self.document_url(record)
            if not url:
                self.drop("record_without_document", work)
                continue
            known = self.known(url)
            if self.incremental and known and known.get("version") == str(version):
                self.skipped()
                continue
            new += 1
            yield self.request(
                url,
                self.parse_document,
                cb_kwargs={"work": work, "version": version, "metadata": self.metadata(record)},
            )
        # Newest change first: an incremental crawl stops at a page without changes.
        if self.incremental and page.records and not new:
            return
        following = page.next_position or start + len(page.records)
        if page.records and following <= page.total and following > start:
            yield self.search_request(following)

    def parse_document(
        self, response: Response, work: str, version: int, metadata: dict[str, Any]
    ) -> Iterator[Any]:
        try:
            regulation = parse_regulation(response.body)
        except ParseError as exc:
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        # Read but not listed still counts as seen: an incremental crawl does not fetch it
        # again until the source changes it.
        self.remember(response.url, response, version=str(version))
        today = self.fetched_now().date()
        reason = funding_verdict(regulation) or in_force_verdict(regulation, today)
        if reason:
            self.drop(reason, f"{work}: {regulation.title}")
            return
        fields = regulation_fields(regulation, {**metadata, "today": today})
        fields["source_id"] = work
        item = self.make_item(work, fields, response)
        self.remember(response.url, response, version=str(version), item_id=item["id"])
        yield item


def _cvdr_work(identifier: str) -> tuple[str, int] | None:
    match = re.match(r"^(?:CVDR)?(\d+)(?:_(\d+))?$", identifier.strip())
    if not match:
        return None
    return f"CVDR{match.group(1)}", int(match.group(2) or 1)


class CvdrSpider(RegulationSpider):
    name = "cvdr"
    source = "cvdr"
    funder = ""
    description = "Local and provincial subsidy regulations (CVDR, lokaleregelgeving.overheid.nl)"
    allowed_domains = [
        "zoekservice.overheid.nl",
        "repository.officiele-overheidspublicaties.nl",
        "lokaleregelgeving.overheid.nl",
    ]
    search_url = "https://zoekservice.overheid.nl/sru/Search"
    search_params = {
        "version": "2.0",
        "operation": "searchRetrieve",
        "x-connection": "cvdr",
        "query": (
            '(dcterms.title any "subsidieregeling subsidieverordening subsidie subsidies" '
            'or cql.textAndIndexes="nadere regels subsidie") '
            "sortBy dcterms.modified/sort.descending"
        ),
    }

    def work(self, record: Record) -> tuple[str, int] | None:
        return _cvdr_work(record.first("identifier") or "")

    def document_url(self, record: Record) -> str | None:
        return record.enriched.get("publicatieurl_xml")

    def metadata(self, record: Record) -> dict[str, Any]:
        return {
            "issuer": record.first("creator"),
            "issuer_kind": record.enriched.get("organisatietype")
            or (record.attribute("creator", "scheme") or "").split(":")[-1],
            "preferred_url": record.enriched.get("preferred_url"),
            "in_force_from": record.first("inwerkingtredingDatum"),
        }


class OfficialPublicationsSpider(RegulationSpider):
    name = "officielebekendmakingen"
    source = "officielebekendmakingen"
    funder = ""
    description = "Subsidy regulations in decentral gazettes (officielebekendmakingen.nl)"
    allowed_domains = [
        "repository.overheid.nl",
        "zoek.officielebekendmakingen.nl",
        "officielebekendmakingen.nl",
    ]
    search_url = "https://repository.overheid.nl/sru"
    search_params = {
        "version": "2.0",
        "operation": "searchRetrieve",
        "recordSchema": "gzd",
        "query": (
            'c.product-area=="officielepublicaties" and (w.publicatienaam=="Gemeenteblad" '
            'or w.publicatienaam=="Provinciaal blad" or w.publicatienaam=="Waterschapsblad" '
            'or w.publicatienaam=="Blad gemeenschappelijke regeling") '
            'and dt.title any "subsidieregeling subsidieverordening subsidie subsidies" '
            "sortBy dt.modified/sort.descending"
        ),
    }

    def work(self, record: Record) -> tuple[str, int] | None:
        identifier = record.first("identifier")
        if not identifier:
            return None
        # A gazette publication never changes; its modification date stands for its version.
        modified = re.sub(r"\D", "", record.first("modified") or "")
        return identifier, int(modified or 0)

    def document_url(self, record: Record) -> str | None:
        return record.enriched.get("itemUrl:xml") or record.enriched.get("url")

    def metadata(self, record: Record) -> dict[str, Any]:
        return {
            "issuer": record.first("creator") or record.first("authority"),
            "issuer_kind": record.first("organisatietype")
            or (record.attribute("creator", "scheme") or "").split(".")[-1],
            "preferred_url": record.enriched.get("preferredUrl"),
            "publication_id": record.first("identifier"),
        }

    def skip_reason(self, record: Record) -> str | None:
        title = record.first("title") or ""
        rubric = record.first("type") or ""
        if "subsidie" not in title.lower() and _NOTICE_RUBRICS.search(rubric):
            return "not_about_subsidies"
        return None
