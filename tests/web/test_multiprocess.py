"""The site behind gunicorn with two worker processes, rate limits counted in Redis.

A limit counted in one process's memory would let each worker grant the full budget; here
the requests are spread over both workers and the limit still holds, with the refusal worded
in the visitor's language. A service behind the site being down answers 503, never 500.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import requests

from tests.alerts.conftest import free_port
from tests.conftest import REPO, service_url, upgraded_data_dir

pytestmark = [pytest.mark.redis, pytest.mark.slow]

API_LIMIT = 20
WORKERS = 2


class Site:
    """`gunicorn -w 2` serving wijzer.web:create_app(); its access log names the worker pid."""

    def __init__(self, env: dict[str, str], directory: Path, prefix: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.access_log = directory / "access.log"
        self.error_log = directory / "gunicorn.log"
        app = f"wijzer.web:create_app({{'RATELIMIT_KEY_PREFIX': '{prefix}'}})"
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                f"--workers={WORKERS}",
                f"--bind=127.0.0.1:{self.port}",
                f"--access-logfile={self.access_log}",
                "--access-logformat=%(p)s %(s)s %(m)s %(U)s",
                f"--error-logfile={self.error_log}",
                app,
            ],
            cwd=REPO,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            booted = self.error_log.exists() and self.error_log.read_text().count("Booting worker")
            if booted == WORKERS and self._answers():
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"gunicorn did not start:\n{self.log_tail()}")

    def _answers(self) -> bool:
        # Each worker loads the app after the fork; the first answer may take seconds. Until
        # every worker has answered, one process could take a whole burst alone, and a test of
        # a limit shared across processes would show nothing.
        probe = "/static/does-not-exist"
        try:
            with ThreadPoolExecutor(8) as pool:
                list(pool.map(lambda _: requests.get(self.url + probe, timeout=30), range(8)))
        except requests.ConnectionError:
            return False
        return len(self.pids(probe, 404)) == WORKERS

    def pids(self, path: str, status: int) -> set[str]:
        """The worker processes that answered `path` with `status`."""
        lines = self.access_log.read_text().splitlines()
        return {
            pid
            for pid, code, _m, p in (line.split() for line in lines)
            if (p, code) == (path, str(status))
        }

    def log_tail(self) -> str:
        return self.error_log.read_text()[-3000:] if self.error_log.exists() else ""

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


@pytest.fixture
def site_factory(tmp_path: Path, upgraded_sqlite_file: Path) -> Iterator[Callable[..., Site]]:
    """Start the site with the deployment's settings plus `overrides`; stopped afterwards,
    its rate-limit counters removed from the shared Redis."""
    redis_url = service_url("WIJZER_REDIS_URL")
    prefix = f"wijzer-test-{uuid.uuid4().hex[:10]}"
    data = upgraded_data_dir(tmp_path / "data", upgraded_sqlite_file)
    sites: list[Site] = []

    def start(**overrides: str) -> Site:
        env = {
            **os.environ,
            "WIJZER_DATA_DIR": str(data),
            "WIJZER_RATE_LIMIT_STORAGE": "redis",
            "WIJZER_REDIS_URL": redis_url,
            "WIJZER_API_RATE_LIMIT": str(API_LIMIT),
            "HF_HUB_OFFLINE": "1",
            "PYTHONPATH": str(REPO / "src"),
            **overrides,
        }
        env.pop("WIJZER_DATABASE_URL", None)
        site = Site(env, tmp_path / f"site-{len(sites)}", prefix)
        sites.append(site)
        return site

    for n in range(3):
        (tmp_path / f"site-{n}").mkdir()
    yield start
    for site in sites:
        site.stop()
    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter(f"*{prefix}*"):
        client.delete(key)
    client.close()


def spread(calls: list[Callable[[], requests.Response]]) -> list[requests.Response]:
    """Run the calls six at a time, so both workers are busy and each takes its share."""
    with ThreadPoolExecutor(6) as pool:
        return list(pool.map(lambda call: call(), calls))


def test_the_api_limit_holds_across_worker_processes(site_factory: Callable[..., Site]) -> None:
    site = site_factory()
    path = "/api/v1/openapi.json"
    answers = spread([lambda: requests.get(site.url + path, timeout=30)] * (API_LIMIT + 10))
    assert Counter(r.status_code for r in answers) == {200: API_LIMIT, 429: 10}
    assert len(site.pids(path, 200)) == WORKERS  # both processes granted part of one budget
    refused = next(r for r in answers if r.status_code == 429)
    assert int(refused.headers["Retry-After"]) > 0
    assert refused.json()["detail"].startswith(f"Rate limit of {API_LIMIT} per 1 minute reached")


def test_the_login_throttles_hold_across_worker_processes_in_the_visitors_language(
    site_factory: Callable[..., Site],
) -> None:
    site = site_factory()
    browser = requests.Session()
    page = browser.get(f"{site.url}/admin/login?lang=nl", timeout=30).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found
    token = found.group(1)

    def attempt(email: str) -> requests.Response:
        data = {"email": email, "password": "niet-het-wachtwoord", "csrf_token": token}
        return browser.post(f"{site.url}/admin/login", data=data, timeout=30)

    # One account guessed at: after three failures the next is not even heard (the
    # catalog counts them, whichever process answered).
    same = [attempt("redacteur@wijzer.test") for _ in range(4)]
    assert [r.status_code for r in same] == [401, 401, 401, 429]
    assert "Te veel mislukte inlogpogingen" in same[-1].text
    # Many accounts guessed at: ten logins a minute from one address, counted in Redis.
    many = spread([lambda n=n: attempt(f"gast{n}@wijzer.test") for n in range(7)])
    assert sorted(r.status_code for r in many) == [401] * 6 + [429]
    refused = next(r for r in many if r.status_code == 429)
    assert "Te veel verzoeken" in refused.text and int(refused.headers["Retry-After"]) > 0
    assert len(site.pids("/admin/login", 401)) == WORKERS


def test_a_service_down_answers_503_from_every_worker(site_factory: Callable[..., Site]) -> None:
    # Elasticsearch and the limiter's Redis both unreachable.
    site = site_factory(
        WIJZER_SEARCH_BACKEND="elasticsearch",
        WIJZER_ELASTICSEARCH_URL=f"http://127.0.0.1:{free_port()}",
        WIJZER_REDIS_URL=f"redis://127.0.0.1:{free_port()}/0",
    )
    pages = ["/api/v1/instruments?q=subsidie", "/search?q=subsidie&lang=nl"] * 4
    answers = spread([lambda p=p: requests.get(site.url + p, timeout=60) for p in pages])
    assert [r.status_code for r in answers] == [503] * len(pages)
    assert all(int(r.headers["Retry-After"]) > 0 for r in answers)
    assert "Tijdelijk niet beschikbaar" in answers[1].text
    # The limiter counts in memory meanwhile: pages that need no search still answer.
    assert requests.get(f"{site.url}/api/v1/openapi.json", timeout=30).status_code == 200
