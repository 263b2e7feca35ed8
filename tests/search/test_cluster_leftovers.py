"""A test run killed while its two-node cluster runs leaves the nodes running; the next cluster
started in the same service directory stops them and removes their data first, and leaves the
cluster of a run that is still going alone."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from tests.es_cluster import CLUSTER_PREFIX, PidFile, started_at, stop_leftovers

# A killed test run: it starts a node as Node.start does (a session of its own, the cluster's
# directory on its command line), records it as Cluster.record_pids does, and dies without
# stopping it.
KILLED_RUN = """
import os, subprocess, sys
from pathlib import Path
from tests.es_cluster import PidFile
cluster = Path(sys.argv[1])
node = subprocess.Popen(
    [sys.executable, "-c", "import time; time.sleep(600)", str(cluster / "node-1" / "tmp")],
    stdout=subprocess.DEVNULL,
    stderr=subprocess.DEVNULL,
    start_new_session=True,
)
PidFile(cluster).write({"node-1": node.pid})
print(node.pid, flush=True)
os._exit(9)
"""


def _gone(pid: int, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while started_at(pid) is not None and time.monotonic() < deadline:
        time.sleep(0.1)
    return started_at(pid) is None


def test_the_next_start_stops_the_nodes_a_killed_run_left(tmp_path: Path) -> None:
    cluster = tmp_path / f"{CLUSTER_PREFIX}killed"
    (cluster / "node-1" / "data").mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "-c", KILLED_RUN, str(cluster)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 9, run.stderr
    node = int(run.stdout)
    assert started_at(node) is not None  # the run is gone, its node runs on

    assert stop_leftovers(tmp_path) == [cluster]
    assert _gone(node)
    assert not cluster.exists()


def test_the_cluster_of_a_run_still_going_is_left_alone(tmp_path: Path) -> None:
    cluster = tmp_path / f"{CLUSTER_PREFIX}running"
    cluster.mkdir()
    node = subprocess.Popen(
        [sys.executable, "-c", "import time; time.sleep(600)", str(cluster)],
        start_new_session=True,
    )
    try:
        PidFile(cluster).write({"node-1": node.pid})  # owned by this process, which runs
        assert stop_leftovers(tmp_path) == []
        assert node.poll() is None
        assert (cluster / "pids.json").exists()
    finally:
        node.kill()
        node.wait(10)
