"""TenderNed (Dutch procurement): the public publicaties API, page by page."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from wijzer.catalog.vocabulary.places import provinces_in
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.tenderned import API_URL, notice_fields, read_page
from wijzer.crawler.spiders.base import WijzerSpider


def notice_key(native: str) -> str:
    """The page state key of a notice listed inline by the API (it has no page of its own)."""
    return f"tenderned:notice:{native}"


class TenderNedSpider(WijzerSpider):
    name = "tenderned"
    source = "tenderned"
    level = "national"
    default_type = "procurement"
    description = "TenderNed public notices (publicaties API)"
    allowed_domains = ["tenderned.nl"]
    page_size = 1

    def page_request(self, page: int) -> scrapy.Request:
        params = {"page": page, "size": self.page_size}
        return self.request(
            f"{API_URL}?{urlencode(params)}",
            self.parse,
            discovery=True,
            headers={"Accept": "application/json"},
            cb_kwargs={"page": page},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(0)

    def parse(self, response: Response, page: int = 0) -> Iterator[Any]:
        try:
            notices, number, total_pages = read_page(response.body)
        except ParseError as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        new = 0
        for notice in notices:
            try:
                fields = notice_fields(notice)
            except ParseError as exc:
                self.drop(exc.code, f"{response.url}: {exc.reason}")
                continue
            place = fields["extra"].get("place_of_performance") or ""
            fields["regions"] = sorted(provinces_in(place))
            key = notice_key(fields["source_id"])
            if self.incremental and self.known(key):
                self.skipped()
                continue
            new += 1
            item = self.make_item(fields["source_id"], fields, response)
            self.remember(key, version=fields["extra"].get("publication_date"), item_id=item["id"])
            yield item
        # Newest first: in an incremental crawl a page without new notices ends the listing.
        if self.incremental and notices and not new:
            return
        if notices and number + 1 < total_pages:
            yield self.page_request(page + 1)
