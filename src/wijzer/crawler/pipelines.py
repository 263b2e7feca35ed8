"""Item pipelines, one job each: normalise -> validate -> dedupe -> store; drops are counted."""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from pydantic import ValidationError
from scrapy import signals
from scrapy.exceptions import DropItem

from wijzer.catalog.crawl_pages import PageState
from wijzer.catalog.enrichment import infer_instrument_type, infer_stages
from wijzer.catalog.registers import RegisterEntryRecord
from wijzer.catalog.schema import InstrumentRecord
from wijzer.catalog.vocabulary.places import provinces_in
from wijzer.crawler.normalise.html import html_to_text, sanitise_html, summarise
from wijzer.crawler.normalise.language import detect_language
from wijzer.crawler.spiders.base import WijzerSpider

# Drops that say something about the source's content, not that the crawl went wrong.
BENIGN_DROPS = frozenset(
    {
        "duplicate",
        "robots_forbidden",
        "not_a_scheme",
        "not_about_subsidies",
        "subsidy_framework_only",
        "no_longer_in_force",
        "not_yet_in_force",
        "topic_details_http_404",
    }
)
# A register's rows travel as one item: thousands of items through Scrapy's machinery cost
# more than reading the register itself.
REGISTER_ROWS = "register_rows"


def is_register_rows(item: dict[str, Any]) -> bool:
    return item.get("_kind") == REGISTER_ROWS


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
        if is_register_rows(item):
            return item
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
        if is_register_rows(item):
            item["_entries"] = list(self._register_entries(item["rows"]))
            return item
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

    def _register_entries(self, rows: list[dict[str, Any]]) -> Iterator[RegisterEntryRecord]:
        """Each row validated on its own: an invalid one is dropped, the others stay."""
        for row in rows:
            try:
                yield RegisterEntryRecord.model_validate(row)
            except ValidationError as exc:
                first = exc.errors()[0]
                field = ".".join(str(p) for p in first["loc"]) or "row"
                self.spider.drop(
                    f"invalid_register_{field}", f"{row.get('dossier')}: {first['msg']}"
                )


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
        self.dossiers: set[tuple[str, str]] = set()

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if is_register_rows(item):
            unique = []
            for entry in item["_entries"]:
                if (entry.source, entry.dossier) in self.dossiers:
                    self.spider.drop("duplicate", f"register row {entry.dossier}")
                    continue
                self.dossiers.add((entry.source, entry.dossier))
                unique.append(entry)
            item["_entries"] = unique
            return item
        record: InstrumentRecord = item["_record"]
        key = _url_key(record.url)
        if record.id in self.ids or (key and key in self.urls):
            raise _drop(self.spider, "duplicate", record.id)
        self.ids.add(record.id)
        if key:
            self.urls.add(key)
        return item


class StorePipeline:
    """Collect the crawl's records; the runner stores them when every spider has closed.

    Withdrawal of records a source no longer lists happens only after a complete, clean crawl.
    """

    def __init__(self, crawler: Any):
        from wijzer.crawler.store import Batch

        self.crawler = crawler
        self.batch = Batch()
        self.started = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(self.item_error, signal=signals.item_error)

    @classmethod
    def from_crawler(cls, crawler: Any) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        if is_register_rows(item):
            self.batch.register_entries.extend(item["_entries"])
            return item
        record: InstrumentRecord = item["_record"]
        self.batch.records.append(record)
        if item.get("_provisional"):
            self.batch.provisional.add(record.id)
        return item

    def item_error(self, item: Any, response: Any, spider: WijzerSpider, failure: Any) -> None:
        """A pipeline that failed on an item (a bug, not bad input) is counted, never silent:
        the run is partial, so nothing is withdrawn for it."""
        spider.drop("item_error", f"{type(failure.value).__name__}: {failure.value}")

    def spider_closed(self, spider: WijzerSpider, reason: str) -> None:
        """Leave the crawl with the spider; the runner stores every source's crawl in one pass
        after the last spider closed (storing here blocked every other spider meanwhile)."""
        from wijzer.crawler.store import SourceCrawl

        stats = self.crawler.stats
        dropped = {
            key.removeprefix("wijzer/dropped/"): int(value)
            for key, value in stats.get_stats().items()
            if key.startswith("wijzer/dropped/")
        }
        problems = Counter({k: v for k, v in dropped.items() if k not in BENIGN_DROPS})
        discovery_errors = int(stats.get_value("wijzer/discovery_errors", 0))
        yielded = self.batch.records or self.batch.register_entries
        if reason != "finished" or (discovery_errors and not yielded):
            status = "failed"
        elif problems or discovery_errors:
            status = "partial"
        else:
            status = "ok"
        self.batch.pages = [PageState(**state) for state in spider.seen_pages.values()]
        details = {
            key: int(stats.get_value(f"wijzer/{key}", 0))
            for key in ("skipped", "not_modified")
            if stats.get_value(f"wijzer/{key}")
        }
        spider.wijzer_crawl = SourceCrawl(
            source=spider.source,
            records=self.batch.records,
            status=status,
            mode=self.crawler.settings.get("WIJZER_MODE", "online"),
            fetched=int(stats.get_value("wijzer/fetched", 0)),
            dropped=dropped,
            errors=spider.errors + ([f"finish reason: {reason}"] if reason != "finished" else []),
            started_at=self.started,
            now=spider.now,
            complete=spider.complete_listing,
            batch=self.batch,
            kind="incremental" if spider.incremental else "full",
            details=details,
        )
        started = stats.get_value("start_time")
        if started is not None:
            now = dt.datetime.now(started.tzinfo)
            spider.wijzer_elapsed_s = round((now - started).total_seconds(), 3)
        kind = "incremental " if spider.incremental else ""
        print(
            f"[{spider.source}] {kind}crawled: fetched {spider.wijzer_crawl.fetched},"
            f" records {len(self.batch.records)}, dropped {sum(dropped.values())}",
            file=sys.stderr,
            flush=True,
        )
