"""`serve`: the training console's page, fetched over HTTP from localhost."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_serve_answers_on_localhost_with_a_page_that_fetches_nothing_outside(
    tmp_path: Path,
) -> None:
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "trafficking_triage",
            "--data-dir",
            str(tmp_path),
            "serve",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        page = ""
        deadline = time.monotonic() + 20  # bounded: a few tries at most, then the test fails
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    assert reply.status == 200
                    page = reply.read().decode()
            except OSError:
                time.sleep(0.2)
        assert "textual-terminal" in page, server.stderr.read1() if server.stderr else ""
        assert "trafficking-triage training" in page
        assert "googleapis" not in page and "https://" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)
