"""Crawl throughput: pages/s through Scrapy from the replay server vs parsing the same files.

Run from the repository root: python bench/crawl.py [ROUNDS]
The crawl figure includes HTTP over loopback, robots.txt, pipelines and storage (SQLite);
the parse figure is the same parsers on the same bytes without the crawler.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from wijzer.catalog.db import Catalog, upgrade_database
from wijzer.crawler.crawling import run_crawl
from wijzer.crawler.parsers.page import parse_page
from wijzer.crawler.parsers.sedia import read_page, topic_fields
from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.sources import SOURCES


def replicate(root: Path, copies: int) -> int:
    """Copy every site page `copies` times under new URLs listed in the sitemaps/listings."""
    pages = 0
    for manifest_path in root.glob("*/manifest.json"):
        manifest = json.loads(manifest_path.read_text())
        html = [
            e
            for e in manifest["entries"]
            if e["headers"].get("Content-Type", "").startswith("text/html")
            and "listing" not in e.get("origin", "")
            and e.get("origin", "").startswith("constructed around")
        ]
        extra = []
        for entry in html:
            for n in range(1, copies):
                extra.append({**entry, "url": entry["url"].rstrip("/") + f"-copy{n}"})
        listing_urls = [
            e
            for e in manifest["entries"]
            if e.get("origin") == "constructed"
            and e["url"].endswith((".xml", "/", "subsidies", "financing", "financiering"))
        ]
        for listing in listing_urls:
            path = manifest_path.parent / listing["file"]
            text = path.read_text()
            for entry in extra:
                if listing["url"].endswith(".xml"):
                    text = text.replace(
                        "</urlset>", f"  <url><loc>{entry['url']}</loc></url>\n</urlset>"
                    )
                else:
                    text = text.replace("</ul>", f'<li><a href="{entry["url"]}">x</a></li></ul>', 1)
            path.write_text(text)
        manifest["entries"].extend(extra)
        manifest_path.write_text(json.dumps(manifest))
        pages += len(html) * copies
    return pages


def parse_only(root: Path) -> tuple[int, float]:
    count = 0
    start = time.perf_counter()
    for manifest_path in root.glob("*/manifest.json"):
        for entry in json.loads(manifest_path.read_text())["entries"]:
            if not entry.get("file"):
                continue
            body = (manifest_path.parent / entry["file"]).read_bytes()
            kind = entry["headers"].get("Content-Type", "")
            if "html" in kind and entry.get("origin", "").startswith("constructed around"):
                parse_page(body, entry["url"])
            elif manifest_path.parent.name == "sedia":
                [topic_fields(r) for r in read_page(body)[0]]
            elif kind == "application/xml" and manifest_path.parent.name == "ted":
                notice_to_fields(parse_notice(body))
            else:
                continue
            count += 1
    return count, time.perf_counter() - start


def main() -> None:
    copies = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    import shutil

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "recordings"
        shutil.copytree(RECORDINGS, root)
        replicate(root, copies)
        url = f"sqlite:///{Path(tmp) / 'catalog.sqlite'}"
        upgrade_database(url)
        catalog = Catalog(url)
        with ReplayServer(root) as server:
            start = time.perf_counter()
            stats = run_crawl(catalog, list(SOURCES), replay_url=server.url)
            crawl_s = time.perf_counter() - start
        fetched = sum(s.fetched for s in stats)
        stored = sum(s.new for s in stats)
        pages, parse_s = parse_only(root)
        print(f"sources: {len(stats)}, pages fetched: {fetched}, records stored: {stored}")
        spider_s = max(s.elapsed_s for s in stats)
        print(
            f"crawl (child process incl. start-up): {crawl_s:.2f} s, "
            f"{fetched / crawl_s:.1f} pages/s"
        )
        print(
            f"crawl (spiders running, 15 in parallel): {spider_s:.2f} s, "
            f"{fetched / spider_s:.1f} pages/s"
        )
        print(
            f"parse only, same responses: {pages} pages in {parse_s:.2f} s, "
            f"{pages / parse_s:.1f} pages/s"
        )
        print(
            f"ratio crawl/parse-only throughput: {(fetched / spider_s) / (pages / parse_s):.2f}"
            f" (incl. start-up: {(fetched / crawl_s) / (pages / parse_s):.2f})"
        )
        catalog.dispose()


if __name__ == "__main__":
    main()
