"""`wijzer serve` runs the app under waitress on the given host and port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from tests.conftest import REPO


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_on_the_port(site):
    port = _free_port()
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(REPO / "src")}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "wijzer",
            "--data-dir",
            str(site.settings.data_dir),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/search?q=lening&lang=en", timeout=5
                ) as response:
                    body = response.read().decode()
                    headers = response.headers
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
                assert time.monotonic() < deadline, "wijzer serve did not answer within 60 s"
                time.sleep(0.3)
        assert "instruments found" in body
        assert headers["Server"] == "wijzer"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    finally:
        server.terminate()
        server.wait(timeout=30)
        if server.stderr:
            server.stderr.close()
