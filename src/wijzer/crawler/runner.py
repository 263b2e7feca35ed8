"""The crawl child process: runs the requested spiders in one Twisted reactor, prints stats.

Twisted's reactor starts once per process, so crawler.crawling runs this module in a fresh
interpreter for every crawl (`python -m crawler.runner` with a JSON job on stdin).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from scrapy.crawler import CrawlerProcess

from wijzer.crawler.settings import REPLAY_SETTINGS, SETTINGS
from wijzer.crawler.sources import SOURCES
from wijzer.crawler.store import crawl_state


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
    process.start()
    results = []
    for name, crawler in crawlers:
        result = getattr(crawler.spider, "wijzer_result", None)
        if result is None:
            results.append({"source": name, "status": "failed", "errors": ["crawl did not run"]})
        else:
            results.append(result.as_dict())
    return results


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
