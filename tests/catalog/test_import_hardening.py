"""`wijzer import` under attack and bad luck: hostile lines refused by line on SQLite and
PostgreSQL, concurrent imports of the same ids, the search backend down, a killed index build."""

from __future__ import annotations

import json
import os
import signal
import socket
import string
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import REPO, SEED, SEED_INSTRUMENTS, service_url
from wijzer.catalog.db import Catalog
from wijzer.catalog.exchange import import_records, parse_jsonl
from wijzer.catalog.identity import identifiers
from wijzer.catalog.repository import InstrumentStore
from wijzer.cli import main

RECORD = {"id": "hostile-1", "title": "Regeling", "level": "national", "instrument_type": "subsidy"}


def line(**changes: Any) -> str:
    return json.dumps({**RECORD, **changes})


HOSTILE = {
    "deeply nested": '{"id": "n", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "lone surrogate": line(title="\ud800 Regeling"),
    "5,000-digit number": line()[:-1] + ', "amount_max": 1' + "0" * 5000 + "}",
    "Infinity": line()[:-1] + ', "amount_max": Infinity}',
    "NaN": line()[:-1] + ', "amount_min": NaN}',
    "1e309": line()[:-1] + ', "budget_total": 1e309}',
    "NUL in a title": line(title="Regeling\u0000 met NUL"),
    "NUL in extra": line(extra={"note": "a\u0000b"}),
    "dot segments in the id": line(id="a/../../x"),
    "more euros than exist": line(amount_max=1e14),
}
SAYS = {
    "deeply nested": "(json): not valid JSON",
    "lone surrogate": "(json): not valid JSON",
    "5,000-digit number": "(json): not valid JSON",
    "Infinity": "(json): not valid JSON",
    "NaN": "(json): not valid JSON",
    "1e309": "(json): not valid JSON",
    "NUL in a title": "title: contains a NUL character",
    "NUL in extra": "extra: contains a NUL character",
    "dot segments in the id": "id: id must not contain . or ..",
    "more euros than exist": "amount_max: Input should be less than or equal to",
}


def cli_env(catalog: Catalog, data_dir: Path) -> dict[str, str]:
    env = {"WIJZER_DATA_DIR": str(data_dir)}
    if not catalog.url.startswith("sqlite"):
        env["WIJZER_DATABASE_URL"] = catalog.url
    return env


def instrument_count(catalog: Catalog) -> int:
    with catalog.session() as session:
        return InstrumentStore(session).count()


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_lines_are_refused_by_line_and_store_nothing(
    catalog: Catalog, data_dir: Path, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "hostile.jsonl"
    # A good record first: all or nothing means it is not stored either.
    good = json.dumps({**RECORD, "id": "good-1"})
    path.write_text(good + "\n" + HOSTILE[case] + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", str(path), "--no-index"], env=cli_env(catalog, data_dir)
    )
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)  # an exit, not a crash
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines), lines
    assert f"line 2: {SAYS[case]}" in lines[0]
    assert "nothing was imported" in lines[-1]
    assert instrument_count(catalog) == 0


def test_two_concurrent_imports_of_the_same_new_ids_both_succeed(catalog: Catalog) -> None:
    records = parse_jsonl(SEED.read_text().splitlines()).records[:40]
    # Both transactions hold their first new row before either writes it (a real race).
    barrier = threading.Barrier(2, timeout=30)
    outcomes: dict[str, Any] = {}

    def run(name: str) -> None:
        waited = [False]

        def progress(_: int) -> None:
            if not waited[0]:
                waited[0] = True
                barrier.wait()

        try:
            outcomes[name] = import_records(catalog, records, f"import:{name}", progress)
        except Exception as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    reports = list(outcomes.values())
    assert all(not isinstance(r, Exception) for r in reports), reports
    created = sorted(r.counts["created"] for r in reports)
    assert created == [0, 40]  # one stored them, the other found them stored
    assert sorted(r.counts["unchanged"] for r in reports) == [0, 40]
    with catalog.session() as session:
        store = InstrumentStore(session)
        assert store.count() == 40
        # Each record was written by one import only: its first version, plus a second when
        # that import's entity resolution merged it with another record of the same instrument.
        for record in records:
            versions = store.history(record.id)
            assert len({v.changed_by for v in versions}) == 1, record.id
            assert len(versions) <= 2, record.id


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_import_with_the_search_backend_down_says_what_was_committed_and_how_to_resume(
    data_dir: Path, tmp_path: Path
) -> None:
    from wijzer.search.elasticsearch_backend import ElasticsearchBackend

    rows = [json.loads(r) for r in SEED.read_text().splitlines()[:3]]
    path = tmp_path / "three.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    index = f"wijzer-test-{uuid.uuid4().hex[:10]}"
    env = {
        "WIJZER_DATA_DIR": str(data_dir),
        "WIJZER_SEARCH_BACKEND": "elasticsearch",
        "WIJZER_ELASTICSEARCH_URL": f"http://127.0.0.1:{closed_port()}",
        "WIJZER_ELASTICSEARCH_INDEX": index,
        "WIJZER_ENCODER": "none",  # no encoder here: a lexical index, this test is about the outage
    }
    down = CliRunner().invoke(main, ["import", str(path)], env=env)
    assert down.exit_code == 1, down.output
    assert isinstance(down.exception, SystemExit)
    assert f"Imported {path}: 3 new, 0 changed, 0 unchanged, 0 skipped." in down.stdout
    error = down.stderr.splitlines()[-1]
    assert error.startswith("Error: the catalog holds this import, but the search index was not")
    assert "is unreachable" in error and "wijzer index check --repair" in error

    # The backend is back: the same import finds nothing new in the catalog and fills the index.
    env["WIJZER_ELASTICSEARCH_URL"] = service_url("WIJZER_ELASTICSEARCH_URL")
    backend = ElasticsearchBackend(env["WIJZER_ELASTICSEARCH_URL"], index)
    try:
        again = CliRunner().invoke(main, ["import", str(path)], env=env)
        assert again.exit_code == 0, again.output
        assert "0 new, 0 changed, 3 unchanged" in again.stdout
        assert "Search index: rebuilt the search index (3 instruments)" in again.stdout
        assert backend.info().count == 3
        check = CliRunner().invoke(main, ["index", "check"], env=env)
        assert check.exit_code == 0 and "holds all 3 listed instruments" in check.stdout
    finally:
        backend.drop_all()
        backend.close()


def _letters(number: int) -> str:
    word = ""
    for _ in range(4):
        number, rest = divmod(number, 26)
        word += string.ascii_lowercase[rest]
    return word


def _many_records(count: int) -> str:
    """`count` records with seed content, each its own title and page and no notice or topic
    number: distinct instruments to entity resolution (copies would be merged in bulk)."""
    seed = (json.loads(line) for line in SEED.read_text().splitlines())
    rows = [r for r in seed if not identifiers({**r, "url": ""})]
    out = []
    for number in range(count):
        row = dict(rows[number % len(rows)])
        row["id"] = f"bulk-{number:05d}"
        row["title"] = f"Proefregeling {_letters(number)}"
        row["url"] = f"https://example.org/bulk/{number}"
        out.append(json.dumps(row, ensure_ascii=False))
    return "\n".join(out) + "\n"


def _wijzer(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wijzer", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=REPO,
    )


@pytest.mark.slow
def test_an_import_killed_during_the_index_build_is_repaired_by_the_next_one(
    data_dir: Path, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "WIJZER_DATA_DIR": str(data_dir),
        "WIJZER_SEARCH_BACKEND": "embedded",
        # No encoder: a lexical index builds in seconds, and the kill lands in it all the same.
        "WIJZER_ENCODER": "none",
        "PYTHONPATH": str(REPO / "src"),
    }
    env.pop("WIJZER_DATABASE_URL", None)
    first = _wijzer(env, "import", str(SEED))
    assert first.returncode == 0, first.stderr
    index_dir = data_dir / "index"
    (live,) = {p.name for p in index_dir.glob("index-*.sqlite")}

    big = tmp_path / "big.jsonl"
    big.write_text(_many_records(3000), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "wijzer", "import", str(big)],
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed as soon as the new index generation is being written: the catalog committed.
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and process.poll() is None:
        if {p.name for p in index_dir.glob("index-*.sqlite")} - {live}:
            break
        time.sleep(0.005)
    assert process.poll() is None, "the import ended before its index build could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(30)
    orphans = {p.name for p in index_dir.glob("index-*.sqlite")} - {live}
    assert orphans, "the killed build left no file (nothing to clean up was tested)"

    check = _wijzer(env, "index", "check")
    assert check.returncode == 1
    assert "lacks 3000 listed instrument(s)" in check.stdout

    again = _wijzer(env, "import", str(big))
    assert again.returncode == 0, again.stderr
    assert "0 new, 0 changed, 3000 unchanged" in again.stdout
    assert f"rebuilt the search index ({3000 + SEED_INSTRUMENTS} instruments)" in again.stdout
    assert "removed" in again.stdout and "leftover file" in again.stdout
    files = {p.name for p in index_dir.glob("index-*.sqlite")}
    assert len(files) == 1 and not files & orphans
    info = _wijzer(env, "index", "check")
    assert info.returncode == 0
    assert f"holds all {3000 + SEED_INSTRUMENTS} listed instruments" in info.stdout
