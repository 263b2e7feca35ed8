"""Item pipelines, one job each: normalise -> validate -> dedupe -> store; drops are counted."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError
from scrapy import signals
from scrapy.exceptions import DropItem

from wijzer.catalog.enrichment import infer_instrument_type, infer_stages
from wijzer.catalog.schema import InstrumentRecord
from wijzer.catalog.vocabulary.places import provinces_in
from wijzer.crawler.normalise.html import html_to_text, sanitise_html, summarise
from wijzer.crawler.normalise.language import detect_language
from wijzer.crawler.spiders.base import WijzerSpider

BENIGN_DROPS = frozenset({"duplicate", "robots_forbidden", "not_a_scheme"})


def _drop(spider: WijzerSpider, reason: str, detail: str) -> DropItem:
    spider.drop(reason, detail)
    return DropItem(f"{reason}: {detail}")


class _Stage:
    """A pipeline stage that knows its crawler (Scrapy no longer passes the spider)."""

    def __init__(self, crawler: Any):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> Any:
        return cls(crawler)

    @property
    def spider(self) -> WijzerSpider:
        spider: WijzerSpider = self.crawler.spider
        return spider


class NormalisePipeline(_Stage):
    """Fill what the source leaves implicit (language, type, stage, places).

    Facts with evidence (amounts, who may apply, themes, dates and status signals) are read
    by the catalog when the record is stored, the same way for crawls and imports.
    """

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        text = item.pop("_text", None) or ""
        title = str(item.get("title") or "")[:500]
        item["title"] = title
        description = str(item.get("description") or "")
        if "<" in description and ">" in description:
            # Crawled HTML is never stored as-is: safe tags only, then plain text.
            description = html_to_text(sanitise_html(description))
        item["description"] = description
        body = text or description
        if not item.get("summary") and body:
            item["summary"] = summarise(body)
        whole = f"{title}\n{item.get('summary', '')}\n{body}"
        if not item.get("language"):
            item["language"] = detect_language(whole)
        if not item.get("instrument_type"):
            item["instrument_type"] = infer_instrument_type(title, body)
        if not item.get("stages"):
            item["stages"] = infer_stages(whole)
        if item.get("level") == "regional" and not item.get("regions"):
            item["regions"] = sorted(provinces_in(whole))
        return item


class ValidatePipeline(_Stage):
    """The strict item model is the catalog's InstrumentRecord; invalid items name the field."""

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        data = {k: v for k, v in item.items() if not k.startswith("_")}
        try:
            record = InstrumentRecord.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "record"
            raise _drop(
                self.spider, f"invalid_{field}", f"{item.get('source_url')}: {first['msg']}"
            ) from None
        item["_record"] = record
        return item


def _url_key(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    host = parts.netloc.lower().rstrip(".").removeprefix("www.")
    return urlunsplit(("https", host, parts.path.rstrip("/") or "/", parts.query, ""))


class DedupePipeline(_Stage):
    """One record per id and per public URL within a crawl."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.ids: set[str] = set()
        self.urls: set[str] = set()

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        record: InstrumentRecord = item["_record"]
        key = _url_key(record.url)
        if record.id in self.ids or (key and key in self.urls):
            raise _drop(self.spider, "duplicate", record.id)
        self.ids.add(record.id)
        if key:
            self.urls.add(key)
        return item


class StorePipeline:
    """Collect the crawl's records and store them in one transaction when the spider closes.

    Withdrawal of records a source no longer lists happens only after a complete, clean crawl.
    """

    def __init__(self, crawler: Any):
        self.crawler = crawler
        self.records: list[InstrumentRecord] = []
        self.started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        self.records.append(item["_record"])
        return item

    def spider_closed(self, spider: WijzerSpider, reason: str) -> None:
        from wijzer.crawler.store import store_run

        stats = self.crawler.stats
        dropped = {
            key.removeprefix("wijzer/dropped/"): int(value)
            for key, value in stats.get_stats().items()
            if key.startswith("wijzer/dropped/")
        }
        problems = Counter({k: v for k, v in dropped.items() if k not in BENIGN_DROPS})
        discovery_errors = int(stats.get_value("wijzer/discovery_errors", 0))
        if reason != "finished" or (discovery_errors and not self.records):
            status = "failed"
        elif problems or discovery_errors:
            status = "partial"
        else:
            status = "ok"
        spider.wijzer_result = store_run(
            self.crawler.settings.get("WIJZER_CATALOG_URL"),
            source=spider.source,
            records=self.records,
            status=status,
            mode=self.crawler.settings.get("WIJZER_MODE", "online"),
            fetched=int(stats.get_value("wijzer/fetched", 0)),
            dropped=dropped,
            errors=spider.errors + ([f"finish reason: {reason}"] if reason != "finished" else []),
            started_at=self.started,
            now=spider.now,
            complete=spider.complete_listing,
        )
        from wijzer.crawler.runner import progress_line

        print(
            f"[{spider.source}] {progress_line(spider.wijzer_result.as_dict())}",
            file=sys.stderr,
            flush=True,
        )
        started = stats.get_value("start_time")
        if started is not None:
            now = dt.datetime.now(started.tzinfo)
            spider.wijzer_result.elapsed_s = round((now - started).total_seconds(), 3)
