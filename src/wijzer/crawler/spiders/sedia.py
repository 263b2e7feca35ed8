"""EU Funding & Tenders portal: the SEDIA search API, page by page, one record per topic."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response

from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.sedia import SEARCH_URL, read_page, topic_fields
from wijzer.crawler.spiders.base import WijzerSpider

# Grants (type 1, 2, 8) that are forthcoming or open, as the portal's own search asks.
QUERY = {
    "bool": {
        "must": [
            {"terms": {"type": ["1", "2", "8"]}},
            {"terms": {"status": ["31094501", "31094502"]}},
        ]
    }
}


class SediaSpider(WijzerSpider):
    name = "sedia"
    source = "sedia"
    funder = "European Commission"
    level = "eu"
    description = "EU Funding & Tenders portal (SEDIA search API)"
    allowed_domains = ["ec.europa.eu"]
    page_size = 100

    def page_request(self, page: int) -> scrapy.Request:
        params = {"apiKey": "SEDIA", "text": "***", "pageSize": self.page_size, "pageNumber": page}
        return self.request(
            f"{SEARCH_URL}?{urlencode(params, safe='*')}",
            self.parse,
            discovery=True,
            method="POST",
            body=urlencode({"query": json.dumps(QUERY), "languages": '["en"]'}),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            cb_kwargs={"page": page},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield self.page_request(1)

    def parse(self, response: Response, page: int = 1) -> Iterator[Any]:
        try:
            results, total, number, size = read_page(response.body)
        except ParseError as exc:
            self.crawler.stats.inc_value("wijzer/discovery_errors")
            self.drop(exc.code, f"{response.url}: {exc.reason}")
            return
        for result in results:
            try:
                fields = topic_fields(result)
            except ParseError as exc:
                self.drop(exc.code, f"{response.url}: {exc.reason}")
                continue
            yield self.make_item(fields["source_id"], fields, response)
        if results and number * size < total:
            yield self.page_request(page + 1)
