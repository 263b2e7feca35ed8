"""Run crawls for the CLI and the jobs: offline replays, bulk TED imports, source listings."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, deque
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from wijzer.catalog.crawl_runs import item_counts, last_runs
from wijzer.catalog.db import Catalog
from wijzer.catalog.schema import InstrumentRecord
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.sources import SOURCES, resolve
from wijzer.crawler.store import RunStats, store_run


class CrawlError(RuntimeError):
    """The crawl process itself failed (not a source: those are reported in RunStats)."""


def run_crawl(
    catalog: Catalog,
    sources: list[str],
    offline: bool = False,
    *,
    recordings: Path | None = None,
    replay_url: str | None = None,
    settings: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
    timeout: float = 900,
    incremental: bool = False,
) -> list[RunStats]:
    """Crawl the named sources into the catalog; one RunStats per source.

    offline=True replays the recordings shipped in crawler/recordings (or `recordings`) over
    a local HTTP server; `replay_url` points at a replay server the caller already runs.
    incremental=True asks each source only for what changed since its last good crawl and
    never withdraws anything (see crawler/README.md).
    """
    names = [s.name for s in resolve(sources)]
    server = None
    if offline and replay_url is None:
        server = ReplayServer(recordings or RECORDINGS).start()
        replay_url = server.url
    job = {
        "catalog_url": catalog.url,
        "sources": names,
        "replay_url": replay_url,
        "settings": settings or {},
        "now": now.isoformat() if now else None,
        "mode": "offline" if replay_url else "online",
        "incremental": incremental,
    }
    handle, result_path = tempfile.mkstemp(suffix=".json", prefix="wijzer-crawl-")
    os.close(handle)
    job["result_path"] = result_path
    env = dict(os.environ)
    # The crawl process imports what this one imports (as multiprocessing's spawn does),
    # whether Wijzer is installed, installed editable or put on sys.path by a test runner.
    env["PYTHONPATH"] = os.pathsep.join(entry for entry in sys.path if entry)
    tail: deque[str] = deque(maxlen=5)
    try:
        with subprocess.Popen(
            [sys.executable, "-m", "wijzer.crawler.runner"],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        ) as proc:
            assert proc.stdin is not None and proc.stderr is not None
            proc.stdin.write(json.dumps(job))
            proc.stdin.close()
            # Progress lines ("[rvo] ok: fetched 17, new 15, ...") are passed on as they come.
            for line in proc.stderr:
                sys.stderr.write(line)
                tail.append(line.strip())
            returncode = proc.wait(timeout=timeout)
        text = Path(result_path).read_text(encoding="utf-8")
    finally:
        if server is not None:
            server.stop()
        Path(result_path).unlink(missing_ok=True)
    if returncode != 0 or not text:
        raise CrawlError(f"crawl process exited with {returncode}: {' | '.join(tail)}")
    return [RunStats.from_dict(_complete(d)) for d in json.loads(text)]


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    return {"status": "failed", **data}


def list_sources(catalog: Catalog) -> list[dict[str, Any]]:
    """Every source with its last run and how many listed instruments it has."""
    with catalog.session() as session:
        runs = last_runs(session)
        counts = item_counts(session)
        rows = []
        for name, source in SOURCES.items():
            run = runs.get(name)
            rows.append(
                {
                    "source": name,
                    "kind": source.kind,
                    "description": source.description,
                    "items": counts.get(name, 0),
                    "refresh_minutes": source.refresh_minutes,
                    "incremental": source.incremental,
                    "last_run": run.as_dict() if run else None,
                }
            )
    return rows


# --- TED bulk packages ------------------------------------------------------------------


def iter_bulk(path: Path) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every XML notice in a directory tree or a (gzipped) tarball."""
    if path.is_dir():
        for file in sorted(path.rglob("*.xml")):
            yield str(file.relative_to(path)), file.read_bytes()
        return
    if tarfile.is_tarfile(path):
        with tarfile.open(path) as archive:
            for member in archive:
                if member.isfile() and member.name.lower().endswith(".xml"):
                    handle = archive.extractfile(member)
                    if handle is not None:
                        yield member.name, handle.read()
        return
    raise CrawlError(f"{path}: not a directory or a tar archive of notices")


def import_bulk(catalog: Catalog, path: Path, *, now: dt.datetime | None = None) -> RunStats:
    """Import a TED bulk package; bad notices are dropped with a reason, the rest stored.

    A bulk package is not a full listing of TED, so nothing is withdrawn.
    """
    from wijzer.crawler.parsers import ParseError
    from wijzer.crawler.parsers.ted_xml import notice_to_fields, parse_notice, publication_number
    from wijzer.crawler.spiders.base import native_id

    started = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    records: list[InstrumentRecord] = []
    dropped: Counter[str] = Counter()
    errors: list[str] = []
    seen: set[str] = set()
    fetched = 0
    for name, data in iter_bulk(path):
        fetched += 1
        try:
            fields = notice_to_fields(parse_notice(data))
        except ParseError as exc:
            dropped[exc.code] += 1
            errors.append(f"{exc.code}: {name}: {exc.reason}")
            continue
        extra = fields["extra"]
        # Bulk files are named after the publication number (e.g. 00123456_2024.xml).
        stem = Path(name).stem.replace("_", "-")
        number = extra.get("publication_number") or publication_number(stem)
        if number and not fields.get("url"):
            extra["publication_number"] = number
            fields["url"] = f"https://ted.europa.eu/en/notice/-/detail/{number}"
        native = number or extra.get("notice_id") or stem
        record_id = f"ted:{native_id(native)}"
        if record_id in seen:
            dropped["duplicate"] += 1
            continue
        try:
            record = InstrumentRecord.model_validate(
                {
                    **fields,
                    "id": record_id,
                    "source": "ted",
                    "source_id": native,
                    "source_url": fields.get("url"),
                    "fetched_at": started,
                    "extra": extra,
                }
            )
        except ValueError as exc:
            dropped["invalid"] += 1
            errors.append(f"invalid: {name}: {str(exc).splitlines()[0]}")
            continue
        seen.add(record_id)
        records.append(record)
    status = "partial" if dropped.keys() - {"duplicate"} else "ok"
    return store_run(
        catalog,
        source="ted",
        records=records,
        status=status,
        mode="bulk",
        fetched=fetched,
        dropped=dict(dropped),
        errors=errors,
        started_at=started,
        now=now,
        complete=False,
    )
