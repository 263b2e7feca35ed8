"""TED: the search API v3 for notices with Dutch buyers or place of performance, then each XML.

Contract notices and prior information notices become records of their own kind (see
parsers.ted_xml.notice_category); award notices are results, attached to their procedure's
notice by the store (crawler.results). Newest notices come first, so an incremental crawl
stops at the first page that holds only notices it already has.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any

import scrapy
from scrapy.http import Response

from wijzer.catalog import json_input
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice
from wijzer.crawler.spiders.base import WijzerSpider

SEARCH_URL = "https://api.ted.europa.eu/v3/notices/search"
XML_URL = "https://ted.europa.eu/en/notice/{}/xml"
QUERY = (
    "(buyer-country IN (NLD) OR place-of-performance IN (NLD)) "
    "AND notice-type IN (cn-standard cn-social cn-desg pin-cfc-standard pin-cfc-social qu-sy "
    "pin-only can-standard can-social can-desg veat) SORT BY publication-number DESC"
)


class TedSpider(WijzerSpider):
    name = "ted"
    source = "ted"
    funder = ""
    level = "eu"
    default_type = "procurement"
    description = "TED (EU public procurement): search API v3 and notice XML"
    allowed_domains = ["ted.europa.eu"]
    page_size = 50

    def page_request(self, page: int) -> scrapy.Request:
        body = {
            "query": QUERY,
            "fields": ["publication-number", "notice-title", "buyer-name", "links"],
            "page": page,
            "limit": self.page_size,
            "paginationMode": "PAGE_NUMBER",
        }
        return self.request(
            SEARCH_URL,
            self.parse,
            discovery=True,
            method="POST",
            body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            cb_kwargs={"page": page},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1)

    def parse(self, response: Response, page: int = 1) -> Iterator[Any]:
        try:
            data = json_input.loads(response.body)
            notices = data["notices"]
            total = int(data.get("totalNoticeCount") or 0)
        except (ValueError, KeyError, TypeError) as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop("malformed_json", f"{response.url}: {exc}")
            return
        new = 0
        for notice in notices:
            number = notice.get("publication-number") if isinstance(notice, dict) else None
            if not number:
                self.drop("missing_publication_number", response.url)
                continue
            links = (notice.get("links") or {}).get("xml") or {}
            url = links.get("MUL") or next(iter(links.values()), None) or XML_URL.format(number)
            if self.incremental and self.known(url):
                self.skipped()  # a published notice never changes; a change is a new notice
                continue
            new += 1
            yield self.request(url, self.parse_notice, cb_kwargs={"number": number})
        if self.incremental and notices and not new:
            return  # newest first: a page of known notices means the rest is known too
        if notices and page * self.page_size < total:
            yield self.page_request(page + 1)

    def parse_notice(self, response: Response, number: str) -> Iterator[Any]:
        try:
            fields = notice_to_fields(parse_notice(response.body))
        except ParseError as exc:
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        native = fields["extra"].get("publication_number") or number
        item = self.make_item(native, fields, response)
        self.remember(response.url, response, item_id=item["id"])
        yield item
