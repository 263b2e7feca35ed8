"""Fresh within the hour: every source has a scheduled incremental crawl of at most 30 minutes;
one run of it finds a new page (searchable at once) without fetching unchanged pages again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from tests.crawler.conftest import Recordings
from wijzer.app import curating
from wijzer.app.job_registry import BY_NAME, JOBS
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.cli import main
from wijzer.crawler.replay import RECORDINGS, ReplayServer
from wijzer.crawler.sources import SOURCES, enabled

SITEMAP = "https://www.rvo.nl/sitemap.xml"
NEW = "https://www.rvo.nl/subsidies-financiering/waterstofopslag-proef"
NEW_TITLE = "Proefregeling waterstofopslag in de haven"
CHANGED = "https://www.rvo.nl/subsidies-financiering/vff"


def _gaps(cron: str) -> list[int]:
    """Minutes between the runs of an hourly cron ("7,37 * * * *" -> [30, 30])."""
    minute, hour, *_ = cron.split()
    assert hour == "*"
    marks = sorted(int(m) for m in minute.split(","))
    return [b - a for a, b in zip(marks, [*marks[1:], marks[0] + 60], strict=True)]


def test_every_source_is_refreshed_at_least_every_30_minutes(runner: CliRunner) -> None:
    refresh = {job.name: job for job in JOBS if job.name.startswith("refresh-")}
    assert set(refresh) == {f"refresh-{name}" for name in enabled()}
    for job in refresh.values():
        [step] = job.steps
        assert step.kind == "crawl" and step.incremental and len(step.sources) == 1
        assert job.schedule.cron and max(_gaps(job.schedule.cron)) <= 30
    # The full crawl stays nightly.
    assert BY_NAME["nightly-crawl"].schedule.cron == "0 2 * * *"
    listed = json.loads(runner.invoke(main, ["jobs", "list", "--format", "json"]).stdout)
    rows = {row["name"]: row for row in listed}
    assert rows["refresh-cvdr"]["steps"] == [
        {"kind": "crawl", "sources": ["cvdr"], "incremental": True}
    ]
    assert len(SOURCES) >= 25


def _invoke(runner: CliRunner, data_dir: Path, *args: str) -> dict | list:  # type: ignore[type-arg]
    result = runner.invoke(main, ["--data-dir", str(data_dir), *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_one_refresh_finds_a_new_page_without_refetching_unchanged_ones(
    runner: CliRunner, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recordings = Recordings(tmp_path / "recordings")
    shutil.copytree(RECORDINGS, recordings.root, ignore=shutil.ignore_patterns("*.py"))
    services = Services(Settings(data_dir=data_dir))
    try:
        # Staff let RVO's new pages go live without review, so search shows them at once.
        curating.set_source_policy(services, "rvo", True, "admin@wijzer.test")
    finally:
        services.close()
    with ReplayServer(recordings.root) as server:
        monkeypatch.setenv("WIJZER_CRAWL_REPLAY_URL", server.url)
        [full] = _invoke(runner, data_dir, "crawl", "rvo")  # type: ignore[misc]
        assert full["kind"] == "full" and full["new"] == 15

        # rvo.nl publishes a new scheme page and changes one page; its sitemap says so.
        template = recordings.body_path("rvo", CHANGED).read_text(encoding="utf-8")
        recordings.add(
            "rvo", NEW, template.replace("Vroegefasefinanciering (VFF)", NEW_TITLE).encode()
        )
        recordings.body_path("rvo", CHANGED).write_text(
            template.replace("Vroegefasefinanciering", "Vroege-fasefinanciering"), encoding="utf-8"
        )
        sitemap = recordings.body_path("rvo", SITEMAP)
        # Scheme pages the sitemap lists that did not change (the rest of RVO's pages are
        # found through a listing, which answers 304).
        unchanged = (
            sitemap.read_text(encoding="utf-8").count("<loc>https://www.rvo.nl/subsidie") - 1
        )
        sitemap.write_text(
            sitemap.read_text(encoding="utf-8")
            .replace(f"<loc>{CHANGED}</loc>", f"<loc>{CHANGED}</loc><lastmod>2026-06-01</lastmod>")
            .replace(
                "</urlset>", f"<url><loc>{NEW}</loc><lastmod>2026-06-01</lastmod></url></urlset>"
            ),
            encoding="utf-8",
        )
        server.reload()
        before = len(server.requests)
        report = _invoke(runner, data_dir, "jobs", "run", "refresh-rvo")
        requests = [url for _, url in server.requests[before:]]
        answers = server.responses[-len(requests) :]

    [step] = report["steps"]  # type: ignore[index]
    [run] = step["sources"]
    assert run["kind"] == "incremental" and run["status"] == "ok", (run["dropped"], run["errors"])
    assert (run["new"], run["changed"], run["withdrawn"]) == (1, 1, 0)
    # Fetched: the sitemap (changed), the listing (304 Not Modified), the new and the changed
    # page; the 14 unchanged scheme pages are not asked for at all.
    assert sorted(u for u in requests if not u.endswith("/robots.txt")) == sorted(
        [SITEMAP, "https://english.rvo.nl/en/subsidies-financing", NEW, CHANGED]
    )
    assert ("https://english.rvo.nl/en/subsidies-financing", 304) in answers
    assert run["fetched"] == 4 < full["fetched"] and run["details"]["skipped"] == unchanged
    found = _invoke(runner, data_dir, "search", NEW_TITLE)
    assert "rvo:rvo.nl/subsidies-financiering/waterstofopslag-proef" in [
        row["id"]
        for row in found["results"]  # type: ignore[call-overload]
    ]
