"""The site on a two-node Elasticsearch cluster: a node going down mid-run costs no request.

The contract suite runs against the same cluster (test_backend_contract.py); here the web app
searches without pause while node-2 stops and comes back, as in a rolling restart.
"""

from __future__ import annotations

import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import upgraded_data_dir
from tests.es_cluster import Cluster
from tests.search.test_backend_contract import seed_documents
from wijzer.app.settings import Settings
from wijzer.search.factory import make_backend
from wijzer.web import create_app
from wijzer.web import services as site_services

pytestmark = [pytest.mark.elasticsearch, pytest.mark.slow]

PAGES = ("/api/v1/instruments?q=subsidie", "/search?q=lening&lang=nl")


class Visitor(threading.Thread):
    """Requests the search page and the API in a loop, recording every answer."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        super().__init__(daemon=True)
        self.client = client
        self.answers: list[tuple[float, str, int, float]] = []
        self.running = True

    def run(self) -> None:
        while self.running:
            for page in PAGES:
                started = time.monotonic()
                status = self.client.get(page).status_code
                self.answers.append((started, page, status, time.monotonic() - started))
            time.sleep(0.05)


def test_searches_keep_answering_while_a_node_is_down_and_the_cluster_recovers(
    es_cluster: Cluster, tmp_path: Path, upgraded_sqlite_file: Path
) -> None:
    settings = Settings(
        data_dir=upgraded_data_dir(tmp_path / "data", upgraded_sqlite_file),
        search_backend="elasticsearch",
        elasticsearch_url=es_cluster.url,
        elasticsearch_index=f"wijzer-test-{uuid.uuid4().hex[:10]}",
    )
    backend = make_backend(
        "elasticsearch",
        index_dir=tmp_path / "index",
        elasticsearch_url=settings.elasticsearch_url,
        index_name=settings.elasticsearch_index,
    )
    # Setting up only: a loaded test machine may need longer than the site's short timeout
    # to write to both copies. The site below searches with its own, unchanged timeouts.
    backend.client = backend.client.options(request_timeout=120)  # type: ignore[attr-defined]
    backend.rebuild(seed_documents(), encoder=None, dimensions=None)
    es_cluster.wait_for("green", nodes=2)
    ours = f"{settings.elasticsearch_index}-*"
    assert es_cluster.health(ours)["active_shards"] == 2  # the primary and its replica
    app = create_app({"SETTINGS": settings, "TESTING": True, "API_RATE_LIMIT": 0})
    expected = app.test_client().get(PAGES[0]).get_json()["total"]
    assert expected > 0

    visitor = Visitor(app.test_client())
    visitor.start()
    try:
        time.sleep(2)
        down_at = time.monotonic()
        es_cluster.nodes[1].stop()
        to_yellow = es_cluster.wait_for("yellow", nodes=1)
        # One copy of every shard is left. auto_expand_replicas (0-1) then drops the replica
        # a single node cannot hold, so the health is yellow only until that happens.
        alone = es_cluster.health(ours)
        assert alone["number_of_nodes"] == 1 and alone["status"] in ("yellow", "green")
        during = app.test_client().get(PAGES[0]).get_json()
        assert during["total"] == expected
        time.sleep(3)  # searches while the cluster runs on one node
        up_at = time.monotonic()
        es_cluster.nodes[1].start()
        to_green = es_cluster.wait_for("green", nodes=2)
        assert es_cluster.health(ours)["active_shards"] == 2  # the replica is back on node-2
        time.sleep(1)
    finally:
        visitor.running = False
        visitor.join(30)
        site_services(app).close()
        backend.drop_all()  # type: ignore[attr-defined]
        backend.close()

    outage = [a for a in visitor.answers if down_at <= a[0] <= up_at]
    assert outage, "no request was made while the node was down"
    failed = [a for a in visitor.answers if a[2] != 200]
    assert not failed, failed[:5]
    slowest = max(a[3] for a in outage)
    print(
        f"\nfailover: node-2 stopped -> one node serving ({alone['status']}) in "
        f"{to_yellow:.1f} s; restarted -> green with the replica back in "
        f"{to_green:.1f} s; {len(visitor.answers)} requests, {len(outage)} during the outage, "
        f"none failed, slowest during the outage {slowest * 1000:.0f} ms"
    )
