"""Fixtures for alerts: a real SMTP server, settings on a temp data dir, a Celery worker."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from tests.conftest import REPO, SEED, service_url
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.db import Catalog
from wijzer.crawler.replay import RECORDINGS, ReplayServer

SECRET = "alerts-test-secret"
BASE_URL = "http://wijzer.test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Inbox:
    """aiosmtpd handler collecting messages; `slow_rcpt` delays the envelope (crash tests)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.raw: list[bytes] = []
        self.slow_rcpt = 0.0

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.slow_rcpt:
            await asyncio.sleep(self.slow_rcpt)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append(message)  # type: ignore[arg-type]
        self.raw.append(envelope.original_content)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 30.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.1)
        return list(self.messages)


class SmtpServer:
    """A real SMTP server on loopback that can be stopped and started on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self._controller: Controller | None = None

    def start(self) -> None:
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def alerts_env(data_dir: Path, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """WIJZER_* variables for the CLI and workers: temp data dir, the test SMTP port."""
    env = {
        "WIJZER_DATA_DIR": str(data_dir),
        "WIJZER_SMTP_HOST": "127.0.0.1",
        "WIJZER_SMTP_PORT": str(smtp.port),
        "WIJZER_SECRET_KEY": SECRET,
        "WIJZER_BASE_URL": BASE_URL,
        "HF_HUB_OFFLINE": "1",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("WIJZER_DATABASE_URL", raising=False)
    return env


@pytest.fixture
def services(alerts_env: dict[str, str]) -> Iterator[Services]:
    svc = Services(Settings.from_env())
    yield svc
    svc.close()


@pytest.fixture
def app(services: Services):  # type: ignore[no-untyped-def]
    from wijzer.web import create_app

    return create_app({"SETTINGS": services.settings, "TESTING": True})


def seed_lines(count: int | None = None) -> list[dict[str, Any]]:
    lines = [json.loads(line) for line in SEED.read_text(encoding="utf-8").splitlines() if line]
    return lines[:count] if count else lines


def new_record(instrument_id: str, title: str, summary: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": instrument_id,
        "title": title,
        "summary": summary,
        "funder": "Provincie Utrecht",
        "level": "regional",
        "regions": ["Utrecht"],
        "instrument_type": "subsidy",
        "language": "nl",
        "deadlines": ["2099-06-30"],
        **fields,
    }


def import_records(catalog: Catalog, records: list[dict[str, Any]]) -> None:
    from wijzer.catalog.exchange import import_records as store
    from wijzer.catalog.schema import parse_record

    store(catalog, [parse_record(r) for r in records], changed_by="test")


def link(message: EmailMessage, prefix: str) -> str:
    """The path of the first link in the text part that starts with BASE_URL + prefix."""
    body = message.get_body(("plain",))
    assert body is not None
    for word in body.get_content().split():
        if word.startswith(BASE_URL + prefix):
            return word.removeprefix(BASE_URL)
    raise AssertionError(f"no {prefix} link in:\n{body.get_content()}")


def form_token(client: Any, page: str = "/alerts/subscribe") -> str:
    """The CSRF token a page of the site gives this browser (every form posts it back)."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert found, f"{page} has no CSRF token"
    return found.group(1)


def post_form(client: Any, path: str, data: dict[str, Any] | None = None) -> Any:
    """Submit a form of the site as a browser does: with the token of the page it came from."""
    return client.post(path, data={**(data or {}), "csrf_token": form_token(client)})


def text_of(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    assert body is not None
    return str(body.get_content())


class Worker:
    """A real `celery worker` process on a queue of its own."""

    def __init__(self, env: dict[str, str], queue: str, log: Path, name: str = ""):
        self.env = env
        self.queue = queue
        self.log = log
        # Workers on one queue need names of their own, as on separate machines.
        self.name = name or queue
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        handle = self.log.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "wijzer.jobs.celery_app",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
            ],
            cwd=REPO,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        handle.close()
        # Start-up imports the encoder stack: 60 s leaves room for a loaded machine.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if "ready." in self.log.read_text(errors="replace"):
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        # A worker that never got ready must not live on: with its short visibility timeout
        # it would keep re-queueing other tests' messages on the shared Redis.
        self.kill()
        raise AssertionError(f"celery worker did not start:\n{self.log.read_text()[-3000:]}")

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def worker_factory(alerts_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start workers on a unique queue (parallel runs never share one); stopped afterwards."""
    redis_url = service_url("WIJZER_REDIS_URL")
    queue = f"wijzer-test-{uuid.uuid4().hex[:10]}"
    env = {
        **os.environ,
        **alerts_env,
        "WIJZER_REDIS_URL": redis_url,
        "WIJZER_CELERY_QUEUE": queue,
        "WIJZER_CELERY_VISIBILITY_TIMEOUT": "4",
        "WIJZER_ALERTS_LEASE_SECONDS": "3",
        "PYTHONPATH": str(REPO / "src"),
    }
    workers: list[Worker] = []

    def start(**extra_env: str) -> Worker:
        """A worker with the fixture's environment plus `extra_env` (e.g. another catalog)."""
        number = len(workers)
        worker = Worker(
            {**env, **extra_env}, queue, tmp_path / f"worker-{number}.log", f"{queue}-{number}"
        )
        worker.start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
    import redis

    client = redis.Redis.from_url(redis_url)
    client.delete(queue)
    client.close()


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll until the condition holds; fail naming what did not happen in time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.3)
    raise AssertionError(f"not within {timeout:.0f}s: {what}")


@pytest.fixture
def replay() -> Iterator[str]:
    """The recorded responses of every source, served where the crawlers would fetch the web."""
    with ReplayServer(RECORDINGS) as server:
        yield server.url
