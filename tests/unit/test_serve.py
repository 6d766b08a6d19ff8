"""`serve`: the training console's page, fetched over HTTP from localhost."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def stderr_so_far(server: subprocess.Popen[bytes]) -> bytes:
    """What the server has said on stderr so far, without waiting for more."""
    import io

    stream = server.stderr
    return stream.read1() if isinstance(stream, io.BufferedReader) else b""


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
        assert "textual-terminal" in page, stderr_so_far(server)
        assert "trafficking-triage training" in page
        assert "googleapis" not in page and "https://" not in page
    finally:
        server.terminate()
        server.wait(timeout=10)


def start_serving(tmp_path: Path, port: int, *extra: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "trafficking_triage", "--data-dir", str(tmp_path)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port), *extra],
        stdout=(tmp_path / "serve.log").open("wb"),  # the server's log
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
            no_origin = await status(session, {})  # a program, not a browser's page
            async with session.ws_connect(url, headers=own):  # the trainer's own tab
                second = await status(session, own)
            return [evil, rebound, no_origin, second]

    def twice_the_host() -> str:
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(
                f"GET /ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil:1\r\n\r\n".encode()
            )
            return raw.recv(200).decode(errors="replace").splitlines()[0]

    try:
        assert asyncio.run(attempts()) == [403, 403, 403, 503]
        assert " 400 " in twice_the_host()
    finally:
        server.terminate()
        server.wait(timeout=10)
    logged = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Duplicate 'Host' header" in logged and "Traceback" not in logged


@pytest.mark.parametrize(
    ("asked", "given"),
    [
        (("99999999999", "24"), (400, 24)),
        ((80, 99999999999), (80, 200)),
        (("-5", "0"), (2, 2)),
        (("wide", None), (80, 24)),
        ((120, 40), (120, 40)),
    ],
)
def test_a_tab_never_grows_a_console_past_a_screen(
    asked: tuple[object, object], given: tuple[int, int]
) -> None:
    from trafficking_triage.serve import _clamped

    assert _clamped(*asked) == given


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


def family(root: int) -> set[int]:
    """The processes `root` started, and theirs, as /proc shows them now."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while being read
        parents[int(stat.parent.name)] = int(fields[1])
    found, pending = set(), [root]
    while pending:
        pid = pending.pop()
        children = [child for child, parent in parents.items() if parent == pid]
        found.update(children)
        pending += children
    return found


def running(pid: int) -> bool:
    """Still running: not ended, and not a zombie nobody has reaped yet."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def two_tabs_with_a_call_each(port: int, until: float) -> None:
    """Two browser tabs on `serve`, each picking the first scenario and answering its first
    question, so each console holds a training call with a record."""
    import asyncio
    import re

    import aiohttp

    url = f"ws://127.0.0.1:{port}/ws?width=80&height=24"
    own = {"Origin": f"http://127.0.0.1:{port}"}

    async def tab(session: aiohttp.ClientSession) -> None:
        socket = await session.ws_connect(url, headers=own)
        seen: list[str] = []

        async def read() -> None:
            async for message in socket:
                if isinstance(message.data, bytes):
                    seen.append(message.data.decode("utf-8", "replace"))

        async def shows(words: str) -> None:
            while time.monotonic() < until:
                if words in re.sub(r"\x1b\[[0-9;?]*[a-zA-Z]", "", "".join(seen)):
                    return
                await asyncio.sleep(0.1)

        reading = asyncio.create_task(read())
        await shows("f1 Help")  # the scenario picker is up
        await socket.send_json(["stdin", "\r"])  # the first scenario
        await shows("question 1")
        await socket.send_json(["stdin", "Main St\r"])  # where: the call is recorded
        await reading  # the tab stays open until its console or the server ends it

    async def tabs() -> None:
        async with aiohttp.ClientSession() as session:
            await asyncio.gather(tab(session), tab(session))

    asyncio.run(tabs())


@pytest.mark.parametrize(
    "how", [signal.SIGTERM, signal.SIGHUP, signal.SIGKILL], ids=["term", "hup", "kill"]
)
def test_no_console_outlives_serve_and_their_calls_are_offered_again(
    tmp_path: Path, how: signal.Signals
) -> None:
    """However `serve` ends (a service manager's SIGTERM, a closed terminal's SIGHUP, or
    killed outright), every console it started ends within 5 seconds, and the training
    calls they held stay open, offered again as unfinished."""
    import threading

    from trafficking_triage.records import SqliteStore

    port = free_port()
    server = start_serving(tmp_path, port)
    training = tmp_path / "training"
    browser = threading.Thread(
        target=two_tabs_with_a_call_each, args=(port, time.monotonic() + 60), daemon=True
    )
    browser.start()
    try:
        deadline = time.monotonic() + 30
        consoles: set[int] = set()
        while time.monotonic() < deadline:
            consoles = {pid for pid in family(server.pid) if running(pid)}
            store = SqliteStore(training) if (training / "calls.sqlite3").exists() else None
            begun = len(store.rows(training=None)) if store is not None else 0
            if store is not None:
                store.close()
            if begun == 2:
                break
            time.sleep(0.2)
        assert begun == 2, stderr_so_far(server)
        consoles = {pid for pid in family(server.pid) if running(pid)}
        assert len(consoles) >= 2
        server.send_signal(how)
        server.wait(timeout=10)
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and any(running(pid) for pid in consoles):
            time.sleep(0.1)
        assert not any(running(pid) for pid in consoles)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    store = SqliteStore(training)
    assert len(store.unfinished(training=True)) == 2  # nobody holds them: offered again
    store.close()


PYTHON_M = [sys.executable, "-m", "trafficking_triage"]


def served_console(tmp_path: Path) -> subprocess.Popen[bytes]:
    """A console as `serve` starts one for a tab: Textual's web driver, two pipes."""
    import os

    return subprocess.Popen(
        [*PYTHON_M, "--data-dir", str(tmp_path), "train", "--fresh"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"},
    )


@pytest.mark.parametrize("gone", ["reader", "writer"])
def test_a_console_whose_tab_is_gone_ends_by_itself(tmp_path: Path, gone: str) -> None:
    """Its output's reader gone (the pipe closed), or its input at its end: within 5 s."""
    console = served_console(tmp_path)
    assert console.stdout is not None and console.stdin is not None
    try:
        assert console.stdout.readline() == b"__GANGLION__\n"  # the web driver is up
        (console.stdout if gone == "reader" else console.stdin).close()
        console.wait(timeout=5)
    finally:
        if console.poll() is None:
            console.kill()
            console.wait()


def test_a_console_nobody_reads_does_not_grow(tmp_path: Path) -> None:
    """Its reader there but reading nothing (the pipe full): the console waits to write, and
    its memory stays as it was, measured over 30 s."""
    console = served_console(tmp_path)
    assert console.stdout is not None

    def resident_kib() -> int:
        status = Path(f"/proc/{console.pid}/status").read_text()
        return int(
            next(line for line in status.splitlines() if line.startswith("VmRSS:")).split()[1]
        )

    try:
        assert console.stdout.readline() == b"__GANGLION__\n"
        time.sleep(3)  # started, and stopped at a full pipe
        first = resident_kib()
        samples = []
        for _ in range(6):
            time.sleep(5)
            assert console.poll() is None  # still waiting for its reader: not ended
            samples.append(resident_kib())
        assert max(samples) - first < 5 * 1024, (first, samples)  # under 5 MiB more
    finally:
        console.kill()
        console.wait()
