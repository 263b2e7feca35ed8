"""Chaos: Elasticsearch goes away during a search load and comes back. Nothing answers 500;
during the outage every search is a 503 with Retry-After; afterwards full service returns.

The outage is a TCP proxy in front of the shared node that is cut and restored: to the app it
is a real network failure (refused connects, reset connections), while the node others use
keeps running.
"""

from __future__ import annotations

import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import SEED, service_url, upgraded_data_dir
from tests.tcp_proxy import TcpProxy
from wijzer.app.indexing import rebuild_index
from wijzer.app.services import Services
from wijzer.app.settings import Settings
from wijzer.catalog.exchange import import_records, read_jsonl
from wijzer.web import create_app

PATHS = [
    "/search?q=innovatie",
    "/api/v1/instruments?q=subsidie",
    "/search?q=energie&level=national",
]
WORKERS = 3
# Bounded in time and count: loopback only, it stops by itself.
MAX_REQUESTS = 3000


@dataclass
class Answer:
    started: float
    ended: float
    status: int
    retry_after: str | None


@pytest.fixture
def proxied_site(tmp_path: Path, upgraded_sqlite_file: Path) -> Iterator[tuple[str, TcpProxy]]:
    """The app over HTTP, its Elasticsearch reached through a proxy we can cut."""
    target = urlsplit(service_url("WIJZER_ELASTICSEARCH_URL"))
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 9200).start()
    settings = Settings(
        data_dir=upgraded_data_dir(tmp_path / "data", upgraded_sqlite_file),
        search_backend="elasticsearch",
        elasticsearch_url=proxy.url,
        elasticsearch_index=f"wijzer-test-{uuid.uuid4().hex[:10]}",
    )
    services = Services(settings)
    import_records(services.catalog, read_jsonl(SEED).records)
    rebuild_index(services.catalog, services.backend)  # lexical: the load is searches
    app = create_app({"SETTINGS": settings, "TESTING": True, "RATELIMIT_ENABLED": False})
    app.extensions["wijzer"] = services
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        # Warm up first: the first search loads the Dutch word list and the query encoder,
        # which is start-up, not the outage this test measures.
        for path in PATHS:
            with urllib.request.urlopen(base + path, timeout=120) as response:
                response.read()
        yield base, proxy
    finally:
        server.shutdown()
        thread.join(10)
        proxy.restore()
        services.backend.drop_all()  # type: ignore[attr-defined]
        services.close()
        proxy.stop()


def _load(base: str, answers: list[Answer], stop: threading.Event, number: int) -> None:
    count = 0
    while not stop.is_set() and len(answers) < MAX_REQUESTS:
        path = PATHS[(number + count) % len(PATHS)]
        count += 1
        started = time.monotonic()
        try:
            with urllib.request.urlopen(base + path, timeout=30) as response:
                response.read()
                status, retry = response.status, response.headers.get("Retry-After")
        except urllib.error.HTTPError as error:
            status, retry = error.code, error.headers.get("Retry-After")
        answers.append(Answer(started, time.monotonic(), status, retry))
        time.sleep(0.02)


@pytest.mark.elasticsearch
@pytest.mark.slow
def test_search_load_through_an_elasticsearch_outage(proxied_site: tuple[str, TcpProxy]) -> None:
    base, proxy = proxied_site
    answers: list[Answer] = []
    stop = threading.Event()
    workers = [
        threading.Thread(target=_load, args=(base, answers, stop, n), daemon=True)
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    time.sleep(2)
    cut_at = time.monotonic()
    proxy.cut()
    time.sleep(4)
    restored_at = time.monotonic()
    proxy.restore()
    time.sleep(6)
    stop.set()
    for worker in workers:
        worker.join(60)

    back = [a.ended for a in answers if a.started > restored_at and a.status == 200]
    counts = sorted(Counter(a.status for a in answers).items())
    first = round(min(back) - restored_at, 2) if back else None
    # Shown with `pytest -s`: the figures of this run.
    print(f"chaos: {len(answers)} requests, statuses {counts}, first 200 after restore {first} s")
    statuses = sorted({a.status for a in answers})
    assert 500 not in statuses and set(statuses) <= {200, 503}, statuses
    before = [a for a in answers if a.ended < cut_at]
    during = [a for a in answers if a.started > cut_at + 0.1 and a.ended < restored_at]
    after = [a for a in answers if a.started > restored_at + 3]
    assert before and during and after, (len(before), len(during), len(after))
    assert {a.status for a in before} == {200}
    assert {a.status for a in during} == {503}
    assert all(a.retry_after and int(a.retry_after) > 0 for a in during)
    # Full service within 3 s of the network coming back, and from then on.
    assert {a.status for a in after} == {200}
