"""Scheduled jobs by name: the list is beat's schedule, `jobs run` runs what beat runs, and
bad names, failing sources and a missing Redis are reported clearly."""

from __future__ import annotations

import json
import shutil
import socket
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from tests.conftest import service_url
from tests.crawler.conftest import Recordings
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.models import Instrument
from wijzer.cli import main
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.sources import enabled

LIOF_SITEMAP = "https://liof.nl/sitemap.xml"


def invoke(runner: CliRunner, data_dir: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(main, ["--data-dir", str(data_dir), *args])


def sources_in(data_dir: Path) -> dict[str, int]:
    services = Services(Settings(data_dir=data_dir, database_url=None))
    try:
        with services.catalog.session() as session:
            rows = session.execute(
                select(Instrument.source, func.count()).group_by(Instrument.source)
            ).all()
        return dict(rows)  # type: ignore[arg-type]
    finally:
        services.close()


def test_jobs_list_is_the_beat_schedule(runner: CliRunner) -> None:
    from celery.schedules import crontab

    from wijzer.jobs.celery_app import make_app

    result = runner.invoke(main, ["jobs", "list", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    beat = make_app(Settings()).conf.beat_schedule
    assert [row["name"] for row in rows] == list(beat)
    assert {"nightly-crawl", "immediate-alerts", "daily-digests"} <= set(beat)
    for row in rows:
        assert {"name", "schedule", "task"} <= set(row)
        assert row["task"] == beat[row["name"]]["task"]
        assert tuple(row["args"]) == beat[row["name"]]["args"]
    nightly = next(row for row in rows if row["name"] == "nightly-crawl")
    assert nightly["schedule"] == "0 2 * * *"
    assert beat["nightly-crawl"]["schedule"] == crontab(minute="0", hour="2")
    assert [step["kind"] for step in nightly["steps"]] == ["crawl", "index", "detect", "alerts"]


def test_an_unknown_job_exits_2_naming_the_known_jobs(runner: CliRunner, data_dir: Path) -> None:
    for command in ("run", "queue"):
        result = invoke(runner, data_dir, "jobs", command, "nightly")
        assert result.exit_code == 2, result.output
        assert "unknown job 'nightly'" in result.stderr
        assert "nightly-crawl" in result.stderr and "weekly-digests" in result.stderr
        assert "Traceback" not in result.output


def test_nightly_crawl_offline_fills_an_empty_data_dir_from_every_source_and_the_index(
    runner: CliRunner, tmp_path: Path
) -> None:
    data_dir = tmp_path / "new"
    assert invoke(runner, data_dir, "db", "upgrade").exit_code == 0
    result = invoke(
        runner, data_dir, "jobs", "run", "nightly-crawl", "--offline", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [step["step"] for step in report["steps"]] == ["crawl", "index", "detect", "alerts"]
    crawl = report["steps"][0]
    assert [row["source"] for row in crawl["sources"]] == enabled()
    assert all(row["status"] == "ok" and row["new"] > 0 for row in crawl["sources"])
    assert set(sources_in(data_dir)) == set(enabled())
    exported = [json.loads(line) for line in invoke(runner, data_dir, "export").stdout.splitlines()]
    assert report["steps"][1]["indexed"] == len(exported) > 0
    info = json.loads(invoke(runner, data_dir, "index", "info", "--format", "json").stdout)
    assert info["count"] == len(exported) and info["encoder"]
    # Every source that publishes at once is searchable (HTML sites wait for staff review).
    for source in {r["source"] for r in exported}:
        record = next(r for r in exported if r["source"] == source)
        found = invoke(runner, data_dir, "search", record["title"], "--format", "json")
        assert record["id"] in [row["id"] for row in json.loads(found.stdout)["results"]]
    assert report["steps"][2]["detected"] >= len(exported)


def test_a_failing_source_is_reported_and_the_others_are_stored(
    runner: CliRunner, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recordings = Recordings(tmp_path / "recordings")
    shutil.copytree(RECORDINGS, recordings.root, ignore=shutil.ignore_patterns("*.py"))
    recordings.update("liof", LIOF_SITEMAP, status=503)
    with ReplayServer(recordings.root) as server:
        # The crawl fetches from the replay server in place of the web, as beat's would.
        monkeypatch.setenv("WIJZER_CRAWL_REPLAY_URL", server.url)
        result = invoke(runner, data_dir, "jobs", "run", "nightly-crawl", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = {row["source"]: row for row in json.loads(result.stdout)["steps"][0]["sources"]}
    assert rows["liof"]["status"] == "failed"
    assert any("503" in error for error in rows["liof"]["errors"])
    assert all(row["status"] == "ok" for name, row in rows.items() if name != "liof")
    assert "these sources failed: liof" in result.stderr
    stored = sources_in(data_dir)
    assert "liof" not in stored and set(stored) == set(enabled()) - {"liof"}


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.redis
def test_queueing_with_redis_down_says_so_and_queues_nothing(
    runner: CliRunner, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import redis

    url = service_url("WIJZER_REDIS_URL")
    queue = f"wijzer-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("WIJZER_CELERY_QUEUE", queue)
    client = redis.Redis.from_url(url)
    try:
        down = f"redis://127.0.0.1:{closed_port()}/0"
        monkeypatch.setenv("WIJZER_REDIS_URL", down)
        result = invoke(runner, data_dir, "jobs", "queue", "nightly-crawl")
        assert result.exit_code == 1, result.output
        assert down in result.stderr and "nothing was queued" in result.stderr
        assert "Traceback" not in result.output
        assert client.llen(queue) == 0

        # With Redis back the same command queues exactly what beat sends.
        monkeypatch.setenv("WIJZER_REDIS_URL", url)
        result = invoke(runner, data_dir, "jobs", "queue", "nightly-crawl")
        assert result.exit_code == 0, result.output
        (message,) = client.lrange(queue, 0, -1)
        headers = json.loads(message)["headers"]
        assert headers["task"] == "wijzer.jobs.tasks.run_job"
        assert headers["argsrepr"] == "('nightly-crawl',)"
    finally:
        client.delete(queue)
        client.close()
