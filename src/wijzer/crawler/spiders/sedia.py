"""EU Funding & Tenders portal: the SEDIA search API, page by page, then each topic's details.

The search hit gives identifier, call, status and a budget overview the API often cuts off;
the topic's own details JSON gives the full description, the conditions, the budget per
grant and in total, the type of action and the deadline of every stage. A topic whose details
cannot be fetched is stored from its search hit only when it is new (never overwriting what
an earlier crawl read from its details); the failure is counted under `topic_details_<why>`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import urlencode

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.sedia import (
    SEARCH_URL,
    merge_details,
    parse_topic_details,
    read_page,
    search_checksum,
    topic_details_url,
    topic_fields,
)
from wijzer.crawler.spiders.base import WijzerSpider, classify_failure

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
    description = "EU Funding & Tenders portal (SEDIA search API and topic details)"
    # The search API (api.tech.ec.europa.eu) and the topic details both sit under it.
    allowed_domains = ["ec.europa.eu"]
    page_size = 100

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.topics: set[str] = set()

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
            identifier = fields["source_id"]
            if identifier in self.topics:
                self.drop("duplicate", f"{response.url}: {identifier}")
                continue
            self.topics.add(identifier)
            item = self.make_item(identifier, fields, response)
            url = topic_details_url(result, identifier)
            checksum = search_checksum(result)
            known = self.known(url)
            if self.incremental and known and known.get("version") == checksum:
                self.skipped()  # the search index says the topic did not change
                continue
            yield self.request(
                url,
                self.parse_details,
                errback=self.details_failed,
                cb_kwargs={"item": item, "checksum": checksum},
            )
        if results and number * size < total:
            yield self.page_request(page + 1)

    def parse_details(
        self, response: Response, item: dict[str, Any], checksum: str
    ) -> Iterator[Any]:
        try:
            details = parse_topic_details(response.body)
        except ParseError as exc:
            yield from self._without_details(item, f"topic_details_{exc.code}", response.url)
            return
        if details["identifier"] != item["source_id"]:
            reason = f"identifier {details['identifier']} for {item['source_id']}"
            yield from self._without_details(item, "topic_details_mismatch", reason)
            return
        merged = merge_details(item, details)
        merged["source_url"] = response.url
        self.remember(response.url, response, version=checksum, item_id=item["id"])
        yield merged

    def details_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request  # type: ignore[attr-defined]
        why = classify_failure(failure)
        if why == "http_404":
            # The portal publishes no details for this topic: not asked again until the
            # search hit changes.
            self.remember(request.url, version=request.cb_kwargs["checksum"])
        yield from self._without_details(
            request.cb_kwargs["item"], f"topic_details_{why}", request.url
        )

    def _without_details(self, item: dict[str, Any], reason: str, detail: str) -> Iterator[Any]:
        self.drop(reason, detail)
        item = {**item, "extra": {**item.get("extra", {}), "topic_details": "unavailable"}}
        item["_provisional"] = True
        yield item
