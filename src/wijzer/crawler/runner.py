"""The crawl child process: runs the requested spiders in one Twisted reactor, prints stats.

Twisted's reactor starts once per process, so crawler.crawling runs this module in a fresh
interpreter for every crawl (`python -m crawler.runner` with a JSON job on stdin).
"""

from __future__ import annotations

import json
import logging
import sys
import time
from typing import Any

from scrapy.crawler import CrawlerProcess

from wijzer.crawler.settings import REPLAY_SETTINGS, SETTINGS
from wijzer.crawler.sources import SOURCES
from wijzer.crawler.store import crawl_state, store_runs


def run(job: dict[str, Any]) -> list[dict[str, Any]]:
    settings: dict[str, Any] = dict(SETTINGS)
    if job.get("replay_url"):
        settings.update(REPLAY_SETTINGS)
        settings["WIJZER_REPLAY_URL"] = job["replay_url"]
    settings.update(job.get("settings") or {})
    settings["WIJZER_CATALOG_URL"] = job["catalog_url"]
    settings["WIJZER_MODE"] = job.get("mode", "online")
    incremental = bool(job.get("incremental"))
    settings["WIJZER_INCREMENTAL"] = incremental
    # What earlier crawls stored about each source's pages, read once for all spiders.
    state = crawl_state(job["catalog_url"], job["sources"])
    process = CrawlerProcess(settings)
    # Scrapy drops records below LOG_LEVEL at its handler, after making them: ~1,300 records
    # (every "Crawled (200)" and "Scraped from") made for nothing in a crawl of 481 pages.
    # Its loggers at that level never make them; what is printed stays the same.
    logging.getLogger("scrapy").setLevel(process.settings.get("LOG_LEVEL"))
    crawlers = []
    for name in job["sources"]:
        source = SOURCES[name]
        crawler = process.create_crawler(source.spider_class())
        crawlers.append((name, crawler))
        pages, since = state.get(name, ({}, None))
        process.crawl(
            crawler,
            now=job.get("now"),
            incremental=incremental,
            pages=pages,
            since=since,
            **source.kwargs,
        )
    cpu = time.process_time()
    process.start()
    spiders_cpu_s = round(time.process_time() - cpu, 3)
    results: dict[str, dict[str, Any]] = {}
    crawls = []
    for name, crawler in crawlers:
        crawl = getattr(crawler.spider, "wijzer_crawl", None)
        if crawl is None:
            results[name] = {"source": name, "status": "failed", "errors": ["crawl did not run"]}
        else:
            crawls.append(crawl)
    if crawls:
        started, cpu = time.perf_counter(), time.process_time()
        stored = store_runs(job["catalog_url"], crawls)
        store_s = round(time.perf_counter() - started, 3)
        store_cpu_s = round(time.process_time() - cpu, 3)
        for stats in stored:
            spider = dict(crawlers)[stats.source].spider
            stats.elapsed_s = getattr(spider, "wijzer_elapsed_s", 0.0)
            stats.store_s = store_s
            stats.spiders_cpu_s = spiders_cpu_s
            stats.store_cpu_s = store_cpu_s
            results[stats.source] = stats.as_dict()
            print(f"[{stats.source}] {progress_line(results[stats.source])}", file=sys.stderr)
    return [results[name] for name in job["sources"]]


def progress_line(result: dict[str, Any]) -> str:
    dropped = sum((result.get("dropped") or {}).values())
    kind = "incremental " if result.get("kind") == "incremental" else ""
    return (
        f"{kind}{result.get('status')}: fetched {result.get('fetched', 0)},"
        f" new {result.get('new', 0)}, changed {result.get('changed', 0)},"
        f" unchanged {result.get('unchanged', 0)},"
        f" withdrawn {result.get('withdrawn', 0)}, dropped {dropped}"
    )


def main() -> None:
    job = json.loads(sys.stdin.read())
    results = run(job)
    # A file, not stdout: the parent reads progress from stderr while the crawl runs.
    with open(job["result_path"], "w", encoding="utf-8") as handle:
        json.dump(results, handle)


if __name__ == "__main__":
    main()
