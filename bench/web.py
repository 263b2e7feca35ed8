"""Load the web API at a fixed request rate from a second process: p50/p95 and error rate.

Usage: python bench/web.py [--rate 100] [--duration 60] [--backend embedded|elasticsearch|all]

Builds a temporary data dir with the seed corpus (imported and indexed with the default
encoder), starts `wijzer serve` in a subprocess on a free loopback port, and drives
`GET /api/v1/instruments?q=...` and `POST /api/v1/match` from a separate load process:
"match" cycles the six dev profiles (as refining a profile or "not relevant" clicks repeat a
description, the encoder cache answers), "match-cold" makes every description unique.
The load is open-loop: request i is due at start + i/rate, and its latency is counted from
when it was due, so a slow server cannot hide queueing (no coordinated omission).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SEED = REPO.parent / "shared" / "data" / "instruments_seed.jsonl"
PROFILES = REPO.parent / "shared" / "eval" / "profiles_dev.jsonl"

QUERIES = [
    "q=innovatie",
    "q=subsidie&level=regional",
    "q=lening+startup",
    "q=energy+transition",
    "q=haalbaarheid&type=subsidy",
    "q=export&sort=deadline",
    "q=circulaire+economie",
    "q=digitalisering&status=open",
    "q=equity+scale-up",
    "q=MIT+Utrecht&region=Utrecht",
    "q=procurement&level=eu",
    "q=innovatiekrediet",
]


# -- load process ----------------------------------------------------------------------------


def drive(base: str, kind: str, rate: float, duration: float) -> dict[str, float]:
    """Send requests at a fixed rate for duration seconds; return latency figures (ms)."""
    parsed = urllib.parse.urlsplit(base)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or 80
    bodies: list[bytes] = []
    if kind != "search":
        with PROFILES.open(encoding="utf-8") as handle:
            for line in handle:
                data = json.loads(line)
                bodies.append(
                    json.dumps(
                        {
                            k: data[k]
                            for k in ("description", "language", "region", "size", "stage", "wants")
                            if data.get(k)
                        }
                    ).encode()
                )
    local = threading.local()

    def connection() -> http.client.HTTPConnection:
        conn = getattr(local, "conn", None)
        if conn is None:
            conn = local.conn = http.client.HTTPConnection(host, port, timeout=30)
        return conn

    def one(i: int, due: float) -> tuple[float, bool]:
        delay = due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            conn = connection()
            if kind == "search":
                conn.request("GET", f"/api/v1/instruments?{QUERIES[i % len(QUERIES)]}")
            else:
                body = bodies[i % len(bodies)]
                if kind == "match-cold":
                    # A description never seen before: the encoder runs for every request.
                    data = json.loads(body)
                    data["description"] += f" Referentie {i}."
                    body = json.dumps(data).encode()
                conn.request(
                    "POST", "/api/v1/match", body=body, headers={"Content-Type": "application/json"}
                )
            response = conn.getresponse()
            response.read()
            ok = response.status == 200
        except (OSError, http.client.HTTPException):
            local.conn = None
            ok = False
        return (time.perf_counter() - due) * 1000.0, ok

    total = int(rate * duration)
    start = time.perf_counter() + 0.2
    # Enough workers that a request never waits for a free worker at this rate.
    with ThreadPoolExecutor(max_workers=64) as pool:
        futures = []
        for i in range(total):
            due = start + i / rate
            # Submit just in time so the queue stays short.
            wait = due - time.perf_counter() - 0.05
            if wait > 0:
                time.sleep(wait)
            futures.append(pool.submit(one, i, due))
        results = [f.result() for f in futures]
    elapsed = time.perf_counter() - start
    latencies = sorted(ms for ms, _ in results)
    errors = sum(1 for _, ok in results if not ok)
    cuts = statistics.quantiles(latencies, n=100)
    return {
        "requests": len(results),
        "achieved_rps": len(results) / elapsed,
        "p50_ms": cuts[49],
        "p95_ms": cuts[94],
        "p99_ms": cuts[98],
        "max_ms": latencies[-1],
        "errors": errors,
        "error_rate": errors / len(results),
    }


# -- orchestration ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prepare(data_dir: Path, backend: str, env: dict[str, str]) -> None:
    base = [sys.executable, "-m", "wijzer", "--data-dir", str(data_dir)]
    subprocess.run(
        [*base, "db", "upgrade"], check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [*base, "import", str(SEED)], check=True, env=env, cwd=REPO, stdout=subprocess.DEVNULL
    )
    subprocess.run(
        [*base, "index", "rebuild"],
        check=True,
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_ready(base: str, server: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("wijzer serve exited early")
        try:
            conn = http.client.HTTPConnection(urllib.parse.urlsplit(base).netloc, timeout=2)
            conn.request("GET", "/api/v1/overview")
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{base} did not answer within {timeout} s")


def run_backend(
    backend: str, rate: float, duration: float, endpoints: list[str]
) -> list[dict[str, object]]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "WIJZER_SEARCH_BACKEND": backend,
        # The courtesy rate limit (600/min per client) would refuse a one-client load test.
        "WIJZER_API_RATE_LIMIT": "0",
        "PYTHONPATH": str(REPO / "src"),
    }
    if backend == "elasticsearch":
        env["WIJZER_ELASTICSEARCH_INDEX"] = f"wijzer-bench-{os.getpid()}"
    rows = []
    with tempfile.TemporaryDirectory(prefix="wijzer-bench-") as tmp:
        data_dir = Path(tmp) / "data"
        prepare(data_dir, backend, env)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "wijzer",
                "--data-dir",
                str(data_dir),
                "serve",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_ready(base, server)
            for kind in endpoints:
                # The load comes from a second process, as a real client would.
                out = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--drive",
                        base,
                        "--kind",
                        kind,
                        "--rate",
                        str(rate),
                        "--duration",
                        str(duration),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                    env=env,
                    cwd=REPO,
                )
                rows.append({"backend": backend, "endpoint": kind, **json.loads(out.stdout)})
        finally:
            server.terminate()
            server.wait(timeout=30)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100.0, help="requests per second")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per endpoint")
    parser.add_argument(
        "--backend", default="embedded", choices=["embedded", "elasticsearch", "all"]
    )
    parser.add_argument(
        "--endpoints",
        default="search,match,match-cold",
        help="comma list of search, match, match-cold",
    )
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--kind", choices=["search", "match", "match-cold"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(drive(args.drive, args.kind, args.rate, args.duration)))
        return
    backends = ["embedded", "elasticsearch"] if args.backend == "all" else [args.backend]
    print(
        f"rate {args.rate:.0f} req/s, {args.duration:.0f} s per endpoint, seed corpus, "
        f"{os.cpu_count()} cores; goal p95 <= 100 ms, 0 errors"
    )
    print(
        f"{'backend':<14}{'endpoint':<12}{'requests':>9}{'rps':>8}{'p50 ms':>9}{'p95 ms':>9}"
        f"{'p99 ms':>9}{'max ms':>9}{'errors':>8}  goal"
    )
    for backend in backends:
        try:
            rows = run_backend(backend, args.rate, args.duration, args.endpoints.split(","))
        except (subprocess.CalledProcessError, RuntimeError) as exc:
            print(f"{backend:<14}skipped: {exc}")
            continue
        for row in rows:
            met = row["p95_ms"] <= 100 and row["errors"] == 0  # type: ignore[operator]
            print(
                f"{row['backend']:<14}{row['endpoint']:<12}{row['requests']:>9}"
                f"{row['achieved_rps']:>8.1f}{row['p50_ms']:>9.1f}{row['p95_ms']:>9.1f}"
                f"{row['p99_ms']:>9.1f}{row['max_ms']:>9.1f}{row['errors']:>8}"
                f"  {'met' if met else 'MISSED'}"
            )


if __name__ == "__main__":
    main()
