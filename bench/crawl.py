"""Crawl throughput: pages/s through Scrapy from the replay server vs parsing the same files,
and what an incremental run fetches against a full run.

Run from the repository root: python bench/crawl.py [COPIES]
Every site page is served COPIES times under new URLs (listed in its sitemap or listing), so
the HTML sources weigh as they would with a few hundred pages. The crawl figure includes HTTP
over loopback, robots.txt, pipelines and storage (SQLite); "spiders running" counts from the
first spider's start to the last one's end (fetch and parse; process start-up and imports
excluded), "storage pass" is the one transaction that stores every source's crawl after the
spiders ran, and "spiders + storage" is both (what "spiders running" measured when each
spider stored its own crawl as it closed). The
parse-only figure runs the same parsers on the same bytes without the crawler. The load
average of the machine is printed before and after: the figures only compare within a run;
pages per CPU second of the crawl process depend least on what else the machine is doing, so
the CPU seconds of the spider phase and of the storage pass are printed apart too.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from wijzer.catalog.db import Catalog, upgrade_database
from wijzer.crawler.crawling import run_crawl
from wijzer.crawler.parsers import ParseError
from wijzer.crawler.parsers.page import parse_page
from wijzer.crawler.parsers.register_csv import read_register
from wijzer.crawler.parsers.regulation import parse_regulation, regulation_fields
from wijzer.crawler.parsers.sedia import parse_topic_details, read_page, topic_fields
from wijzer.crawler.parsers.sru import read_response
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice
from wijzer.crawler.parsers.tenderned import notice_fields
from wijzer.crawler.parsers.tenderned import read_page as tenderned_page
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.sources import SOURCES


def replicate(root: Path, copies: int) -> int:
    """Copy every site page `copies - 1` times under new URLs listed in its sitemaps/listings."""
    added = 0
    for manifest_path in root.glob("*/manifest.json"):
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        pages = [
            e
            for e in manifest["entries"]
            if e.get("origin", "").startswith("constructed around real text")
            and e["headers"].get("Content-Type", "").startswith("text/html")
        ]
        extra = [
            {**entry, "url": entry["url"].rstrip("/") + f"-copy{n}"}
            for entry in pages
            for n in range(1, copies)
        ]
        discovery = [
            e
            for e in manifest["entries"]
            if e.get("origin") == "constructed" and not e["url"].endswith("/robots.txt")
        ]
        for entry in discovery:
            path = manifest_path.parent / entry["file"]
            text = path.read_text(encoding="utf-8")
            for page in extra:
                if "</urlset>" in text:
                    loc = html.escape(page["url"])
                    text = text.replace("</urlset>", f"  <url><loc>{loc}</loc></url>\n</urlset>")
                else:
                    text = text.replace("</ul>", f'<li><a href="{page["url"]}">x</a></li></ul>', 1)
            path.write_text(text, encoding="utf-8")
        manifest["entries"].extend(extra)
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
        added += len(extra)
    return added


def _parser(source: str, entry: dict[str, Any]) -> Callable[[bytes], Any] | None:
    """The parser the crawl applies to this recorded response (None: not parsed alone)."""
    url, kind = entry["url"], entry["headers"].get("Content-Type", "")
    if url.endswith("/robots.txt") or not entry.get("file"):
        return None
    if "html" in kind and entry.get("origin", "").startswith("constructed around"):
        return lambda body: parse_page(body, url)
    if source == "sedia":
        if "/topicDetails/" in url:
            return parse_topic_details
        return lambda body: [topic_fields(r) for r in read_page(body)[0]]
    if source == "ted" and kind == "application/xml":
        return lambda body: notice_to_fields(parse_notice(body))
    if source == "tenderned":
        return lambda body: [notice_fields(n) for n in tenderned_page(body)[0]]
    if source in ("cvdr", "officielebekendmakingen"):
        if "/sru" in url:
            return read_response
        return lambda body: regulation_fields(parse_regulation(body))
    if source == "subsidieregister-amsterdam":
        return lambda body: read_register(body, kind)
    return None


def parse_only(root: Path) -> tuple[int, float]:
    jobs = []
    for manifest_path in sorted(root.glob("*/manifest.json")):
        source = manifest_path.parent.name
        for entry in json.loads(manifest_path.read_text(encoding="utf-8"))["entries"]:
            parser = _parser(source, entry)
            if parser is not None:
                jobs.append((parser, (manifest_path.parent / entry["file"]).read_bytes()))
    start = time.perf_counter()
    for parser, body in jobs:
        # A page that fails to parse counts like a parsed one: the crawl parses it too.
        with contextlib.suppress(ParseError):
            parser(body)
    return len(jobs), time.perf_counter() - start


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.2f} (1 min), {five:.2f} (5 min) on {os.cpu_count()} CPUs"


def _children_cpu() -> float:
    """CPU seconds of the finished child processes (the crawl runs in one)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    print(f"before: {_load()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "recordings"
        shutil.copytree(RECORDINGS, root)
        replicate(root, copies)
        url = f"sqlite:///{Path(tmp) / 'catalog.sqlite'}"
        upgrade_database(url)
        catalog = Catalog(url)
        with ReplayServer(root) as server:
            start, cpu_before = time.perf_counter(), _children_cpu()
            full = run_crawl(catalog, list(SOURCES), replay_url=server.url)
            crawl_s = time.perf_counter() - start
            crawl_cpu = _children_cpu() - cpu_before
            incremental = run_crawl(catalog, list(SOURCES), replay_url=server.url, incremental=True)
        catalog.dispose()
        fetched = sum(s.fetched for s in full)
        stored = sum(s.new for s in full)
        spider_s = max(s.elapsed_s for s in full)
        store_s = max(s.store_s for s in full)
        spiders_cpu = max(s.spiders_cpu_s for s in full)
        store_cpu = max(s.store_cpu_s for s in full)
        pages, parse_s = parse_only(root)
        print(
            f"sources: {len(full)}, pages fetched: {fetched}, records stored: {stored}"
            f" (site pages served {copies}x)"
        )
        print(
            f"crawl, child process incl. start-up: {crawl_s:.2f} s, {fetched / crawl_s:.1f} pages/s"
        )
        print(
            f"crawl, spiders running ({len(full)} in parallel): {spider_s:.2f} s,"
            f" {fetched / spider_s:.1f} pages/s"
        )
        print(
            f"  CPU of the crawl process while the spiders ran: {spiders_cpu:.2f} s,"
            f" {fetched / spiders_cpu:.1f} pages per CPU second"
        )
        print(
            f"storage pass (all sources, one transaction): {store_s:.2f} s, CPU {store_cpu:.2f} s"
        )
        print(
            f"crawl, spiders + storage: {spider_s + store_s:.2f} s,"
            f" {fetched / (spider_s + store_s):.1f} pages/s"
        )
        print(
            f"crawl process CPU time incl. start-up (user + system): {crawl_cpu:.2f} s,"
            f" {fetched / crawl_cpu:.1f} pages per CPU second"
        )
        print(
            f"parse only, same responses: {pages} in {parse_s:.2f} s, {pages / parse_s:.1f} pages/s"
        )
        print(
            f"ratio crawl/parse-only throughput: {(fetched / spider_s) / (pages / parse_s):.2f}"
            f" (incl. start-up: {(fetched / crawl_s) / (pages / parse_s):.2f})"
        )
        fetched_again = sum(s.fetched for s in incremental)
        print(
            f"incremental run after it (nothing changed): {fetched_again} fetches against"
            f" {fetched} for the full run ({fetched_again / fetched:.1%});"
            f" changed {sum(s.new + s.changed for s in incremental)}"
        )
    print(f"after: {_load()}")


if __name__ == "__main__":
    main()
