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


def start_serving(tmp_path: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "trafficking_triage", "--data-dir", str(tmp_path)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), *extra],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise AssertionError("serve never answered")


def test_serve_takes_websockets_only_from_its_own_page_and_only_so_many(tmp_path: Path) -> None:
    import asyncio

    import aiohttp

    port = free_port()
    server = start_serving(tmp_path, port, "--max-sessions", "1")
    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    own = {"Origin": f"http://127.0.0.1:{port}"}

    async def status(session: aiohttp.ClientSession, headers: dict[str, str]) -> int:
        try:
            async with session.ws_connect(url, headers=headers):
                return 101
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status

    async def attempts() -> list[int]:
        async with aiohttp.ClientSession() as session:
            evil = await status(session, {"Origin": "http://evil.example"})
            rebound = await status(
                session, {"Origin": "http://evil.example", "Host": "evil.example"}
            )
            async with session.ws_connect(url, headers=own):  # the trainer's own tab
                second = await status(session, own)
            return [evil, rebound, second]

    try:
        assert asyncio.run(attempts()) == [403, 403, 503]
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_serve_on_a_port_in_use_says_so_and_serves_nothing(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        command = [sys.executable, "-m", "trafficking_triage", "--data-dir", str(tmp_path)]
        done = subprocess.run(
            [*command, "serve", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert done.returncode == 1
    assert done.stderr.startswith(f"serve: cannot listen on 127.0.0.1:{port}")
    assert "Traceback" not in done.stderr and "serving" not in done.stdout
