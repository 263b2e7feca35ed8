"""A two-node Elasticsearch cluster on loopback, from the install scripts/services.sh made.

Each node is its own process with its own config dir (ES_PATH_CONF), data, logs and ports;
node-1 is the only master-eligible node (two master-eligible nodes cannot outvote each other,
so production runs three), node-2 holds data only and is the one a test stops and restarts.

The nodes run in sessions of their own, so a test run that is killed leaves them running: each
cluster keeps a pid file in its directory, and the next cluster started in the same service
directory first stops the nodes of runs whose test process is gone and removes their data.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from tests.conftest import REPO

# The same small heap as the shared test node (scripts/services.sh): two nodes fit in ~1.5 GB.
HEAP = "512m"
# A loaded 2-core machine has taken up to ~4 min to start two nodes; a quiet one ~30 s.
START_TIMEOUT = 600
CLUSTER_PREFIX = "wijzer-cluster-"
PID_FILE = "pids.json"


def _stat(pid: int | str) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (which may hold spaces), or None
    when the process is gone or a zombie; [2] is its process group, [19] its start time."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()
    return None if fields[0] in ("Z", "X") else fields


def started_at(pid: int) -> str | None:
    """When a live process started (clock ticks since boot), which tells it apart from a later
    process given the same pid; None when it is gone."""
    fields = _stat(pid)
    return fields[19] if fields else None


def group_members(pgid: int) -> list[int]:
    """The live processes of a process group (a node's launcher, its shell and its JVM)."""
    members = []
    for entry in Path("/proc").iterdir():
        fields = _stat(entry.name) if entry.name.isdigit() else None
        if fields and int(fields[2]) == pgid:
            members.append(int(entry.name))
    return members


class PidFile:
    """The test process that owns a cluster and the process group of each of its nodes."""

    def __init__(self, cluster_dir: Path):
        self.path = cluster_dir / PID_FILE

    def write(self, groups: dict[str, int]) -> None:
        """Record this process as the owner and `groups` (node name: process group id, the pid
        of the node's first process)."""
        owner = os.getpid()
        data = {
            "owner": {"pid": owner, "started": started_at(owner)},
            "nodes": {
                name: {"pid": pgid, "started": started_at(pgid)} for name, pgid in groups.items()
            },
        }
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(data))
        temporary.replace(self.path)  # a reader never sees half a file

    def read(self) -> dict[str, Any]:
        return dict(json.loads(self.path.read_text()))


def _same_process(entry: dict[str, Any]) -> bool:
    """The recorded process still runs (not a later one that was given its pid)."""
    started = started_at(int(entry["pid"]))
    return started is not None and started == entry["started"]


def _names(pid: int, cluster_dir: Path) -> bool:
    """The process's command line names the cluster's directory (the JVM's temporary dir)."""
    try:
        return cluster_dir.name in Path(f"/proc/{pid}/cmdline").read_bytes().decode(
            errors="replace"
        )
    except OSError:
        return False


def _ours(node: dict[str, Any], cluster_dir: Path) -> bool:
    """The node's process group still runs: its first process is the one recorded (not a later
    one given the same pid), or, that one gone, a member names the cluster's directory."""
    if _same_process(node):
        return True
    return any(_names(pid, cluster_dir) for pid in group_members(int(node["pid"])))


def _stop_group(pgid: int, timeout: float = 30) -> None:
    """SIGTERM to a node's process group, SIGKILL to what is left after `timeout` seconds."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + timeout
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if not group_members(pgid):
            return


def stop_leftovers(service_dir: Path) -> list[Path]:
    """Stop the nodes of clusters whose test run is gone (killed before it could stop them) and
    remove their directories; clusters of runs still going are left alone. Returns the removed
    directories."""
    removed = []
    for pid_file in sorted(service_dir.glob(f"{CLUSTER_PREFIX}*/{PID_FILE}")):
        try:
            recorded = PidFile(pid_file.parent).read()
        except (OSError, ValueError):
            continue  # being written, or removed by another run just now
        if _same_process(recorded["owner"]):
            continue
        for node in recorded["nodes"].values():
            if _ours(node, pid_file.parent):
                _stop_group(int(node["pid"]))
        shutil.rmtree(pid_file.parent, ignore_errors=True)
        removed.append(pid_file.parent)
    return removed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def es_paths() -> dict[str, str]:
    """ES_HOME, ES_JAVA_HOME, ES_USER of the install; installed first if missing (a fresh
    machine runs `make test`, whose services-start installed it already)."""

    def read() -> dict[str, str]:
        out = subprocess.run(
            ["bash", str(REPO / "scripts/services.sh"), "es-paths"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        return dict(line.split("=", 1) for line in out.splitlines() if "=" in line)

    paths = read()
    if not os.access(Path(paths["ES_HOME"]) / "bin/elasticsearch", os.X_OK):
        subprocess.run(
            ["bash", str(REPO / "scripts/services.sh"), "install", "elasticsearch"],
            check=True,
            capture_output=True,
        )
    return paths


def http(url: str, method: str = "GET", timeout: float = 10) -> tuple[int, Any]:
    request = urllib.request.Request(url, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"null")


class Node:
    """One Elasticsearch process of the cluster."""

    def __init__(self, cluster: Cluster, name: str, roles: list[str]):
        self.cluster = cluster
        self.name = name
        self.roles = roles
        self.http_port = free_port()
        self.transport_port = free_port()
        self.dir = cluster.dir / name
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    def configure(self, seeds: list[str], home: Path) -> None:
        conf = self.dir / "config"
        shutil.copytree(home / "config", conf, ignore=shutil.ignore_patterns("*.keystore"))
        for sub in ("data", "logs", "tmp"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        security = ""
        if (home / "modules/x-pack-security").is_dir():
            security = "xpack.security.enabled: false"
        (conf / "elasticsearch.yml").write_text(
            f"""cluster.name: {self.cluster.name}
node.name: {self.name}
node.roles: {json.dumps(self.roles)}
network.host: 127.0.0.1
http.port: {self.http_port}
transport.port: {self.transport_port}
discovery.seed_hosts: {json.dumps(seeds)}
cluster.initial_master_nodes: ["node-1"]
path.data: {self.dir / "data"}
path.logs: {self.dir / "logs"}
{security}
action.destructive_requires_name: false
cluster.routing.allocation.disk.watermark.low: 2gb
cluster.routing.allocation.disk.watermark.high: 1gb
cluster.routing.allocation.disk.watermark.flood_stage: 500mb
indices.analysis.hunspell.dictionary.lazy: true
"""
        )
        (conf / "jvm.options.d").mkdir(exist_ok=True)
        (conf / "jvm.options.d/wijzer-heap.options").write_text(f"-Xms{HEAP}\n-Xmx{HEAP}\n")

    def start(self) -> None:
        paths = self.cluster.paths
        log = (self.cluster.dir / f"{self.name}.out").open("ab")
        # Its own process group, so stop() reaches the launcher and the server it spawns.
        self.process = subprocess.Popen(
            [
                "runuser",
                "-u",
                paths["ES_USER"],
                "--",
                "env",
                "-i",
                "PATH=/usr/bin:/bin",
                f"HOME={self.dir / 'tmp'}",
                f"ES_JAVA_HOME={paths['ES_JAVA_HOME']}",
                f"ES_TMPDIR={self.dir / 'tmp'}",
                f"ES_PATH_CONF={self.dir / 'config'}",
                f"{paths['ES_HOME']}/bin/elasticsearch",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        self.cluster.record_pids()

    def stop(self, timeout: float = 60) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def tail(self) -> str:
        out = self.cluster.dir / f"{self.name}.out"
        return out.read_text(errors="replace")[-3000:] if out.exists() else ""


class Cluster:
    """node-1 (master and data) and node-2 (data); `url` lists both, as the app is configured."""

    def __init__(self) -> None:
        self.paths = es_paths()
        home = Path(self.paths["ES_HOME"])
        # Under the install's own directory: the ES user can reach it (tmp dirs may be private).
        stop_leftovers(home.parent)
        self.name = f"{CLUSTER_PREFIX}{uuid.uuid4().hex[:8]}"
        self.dir = home.parent / self.name
        self.dir.mkdir()
        self.pid_file = PidFile(self.dir)
        self.pid_file.write({})
        self.nodes = [Node(self, "node-1", ["master", "data", "ingest"])]
        self.nodes.append(Node(self, "node-2", ["data", "ingest"]))
        seeds = [f"127.0.0.1:{n.transport_port}" for n in self.nodes]
        for node in self.nodes:
            node.configure(seeds, home)
        subprocess.run(
            ["chown", "-R", f"{self.paths['ES_USER']}:{self.paths['ES_USER']}", str(self.dir)],
            check=True,
        )

    @property
    def url(self) -> str:
        return ",".join(node.url for node in self.nodes)

    def record_pids(self) -> None:
        """Keep the process group of every node started, for a run after a killed one."""
        self.pid_file.write({n.name: n.process.pid for n in self.nodes if n.process is not None})

    def start(self) -> None:
        for node in self.nodes:
            node.start()
        self.wait_for(status="green", nodes=2)

    def health(self, indices: str = "") -> dict[str, Any]:
        """Cluster health (of these indices) as node-1, the master, sees it."""
        return http(f"{self.nodes[0].url}/_cluster/health/{indices}", timeout=5)[1]

    def wait_for(self, status: str, nodes: int, timeout: float = START_TIMEOUT) -> float:
        """Seconds until the cluster has `nodes` nodes and at least `status`."""
        started = time.monotonic()
        url = (
            f"{self.nodes[0].url}/_cluster/health?wait_for_status={status}"
            f"&wait_for_nodes={nodes}&wait_for_no_initializing_shards=true&timeout=5s"
        )
        while time.monotonic() - started < timeout:
            try:
                code, body = http(url, timeout=10)
                if code == 200 and not body.get("timed_out"):
                    return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(1)
            for node in self.nodes:
                if node.process is not None and node.process.poll() is not None:
                    raise AssertionError(f"{node.name} exited:\n{node.tail()}")
        tails = "\n".join(f"--- {n.name}\n{n.tail()}" for n in self.nodes)
        raise AssertionError(f"cluster not {status} with {nodes} nodes in {timeout}s\n{tails}")

    def close(self) -> None:
        for node in self.nodes:
            node.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
