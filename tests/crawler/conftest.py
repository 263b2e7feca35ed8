"""Crawler fixtures: one replay harness over a private copy of the recordings, a frozen clock."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from wijzer.catalog.db import Catalog
from wijzer.crawler.crawling import run_crawl
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.store import RunStats

# The crawl clock: records are stamped with this time, whatever the wall clock says.
NOW = dt.datetime(2026, 6, 1, 9, 0, 0)
# Fast fault handling for tests: short timeouts, one quick retry.
FAST = {"DOWNLOAD_TIMEOUT": 1.5, "RETRY_TIMES": 1, "WIJZER_RETRY_BACKOFF": 0.05}


class Recordings:
    """A writable copy of crawler/recordings that a test may break or change."""

    def __init__(self, root: Path):
        self.root = root

    def manifest(self, source: str) -> dict[str, Any]:
        return json.loads((self.root / source / "manifest.json").read_text(encoding="utf-8"))

    def save(self, source: str, manifest: dict[str, Any]) -> None:
        (self.root / source / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")

    def entry(self, source: str, url: str) -> dict[str, Any]:
        return next(e for e in self.manifest(source)["entries"] if e["url"] == url)

    def update(self, source: str, url: str, **changes: Any) -> None:
        manifest = self.manifest(source)
        for entry in manifest["entries"]:
            if entry["url"] == url:
                entry.update(changes)
        self.save(source, manifest)

    def remove(self, source: str, url: str) -> None:
        manifest = self.manifest(source)
        manifest["entries"] = [e for e in manifest["entries"] if e["url"] != url]
        self.save(source, manifest)

    def add(self, source: str, url: str, body: bytes | None, **fields: Any) -> None:
        manifest = self.manifest(source)
        entry: dict[str, Any] = {"url": url, "headers": {"Content-Type": "text/html"}, **fields}
        if body is not None:
            name = f"test-{len(manifest['entries'])}.bin"
            (self.root / source / name).write_bytes(body)
            entry["file"] = name
        manifest["entries"].append(entry)
        self.save(source, manifest)

    def body_path(self, source: str, url: str) -> Path:
        return self.root / source / self.entry(source, url)["file"]


@pytest.fixture
def recordings(tmp_path: Path) -> Recordings:
    root = tmp_path / "recordings"
    shutil.copytree(RECORDINGS, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return Recordings(root)


@pytest.fixture
def crawl(recordings: Recordings) -> Iterator[Callable[..., list[RunStats]]]:
    """crawl(catalog, [sources]) over a fresh replay server of the current recordings."""

    def run(catalog: Catalog, sources: list[str], now: dt.datetime = NOW) -> list[RunStats]:
        with ReplayServer(recordings.root) as server:
            return run_crawl(catalog, sources, replay_url=server.url, settings=FAST, now=now)

    yield run


def by_source(stats: list[RunStats]) -> dict[str, RunStats]:
    return {run.source: run for run in stats}
