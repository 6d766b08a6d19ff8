"""`trafficking-triage serve`: the training console in a web browser, through textual-serve,
with a page of our own. Called by `cli`.

Every browser tab's websocket starts a console process on the trainer's machine, so the
server takes them only from its own page (the Origin a browser sends, on the host and port it
serves) and only so many at once. A web page elsewhere that the trainer's browser visits is
refused, and so is a page reached through a name that points at this machine (DNS
rebinding): the Host must be the one served.

Each console is started in a process group of its own, and every one still running is ended
when `serve` ends, however it ends: ctrl+c, SIGTERM (a service manager), SIGHUP (its terminal
closed), or an error. A `serve` killed outright cannot; its consoles then find their pipes
closed and end by themselves (tui/web_link.py). Either way a console's call stays open in the
records, offered again as an unfinished training call."""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
import signal
import socket
import sys
import time
from asyncio.subprocess import PIPE, Process
from pathlib import Path
from typing import Any

import textual_serve.server
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "web"


CONSOLES: set[int] = set()
"""The process groups of the consoles started and not yet seen to end."""


class GroupedAppService(AppService):
    """textual-serve's own start of a console (its `_open_app_process`, whose shell command
    and environment it keeps), in a process group of its own so it can be ended as one."""

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        width, height = _clamped(width, height)
        process = await asyncio.create_subprocess_shell(
            self.command,
            stdin=PIPE,
            stdout=PIPE,
            stderr=PIPE,
            env=self._build_environment(width=width, height=height),
            start_new_session=True,
        )
        assert process.stdin is not None
        self._process, self._stdin = process, process.stdin
        CONSOLES.add(process.pid)
        return process

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*_clamped(width, height))


LARGEST = (400, 200)
"""Columns and rows a tab may ask for at most: a page asking for 99,999,999,999 columns
would have the console build a screen of that size."""


def _clamped(width: object, height: object) -> tuple[int, int]:
    """A size a browser sent, as a console can take it (2x2 to LARGEST)."""

    def number(value: object, default: int, most: int) -> int:
        try:
            given = int(str(value))
        except (TypeError, ValueError, OverflowError):
            return default
        return max(2, min(given, most))

    return number(width, 80, LARGEST[0]), number(height, 24, LARGEST[1])


textual_serve.server.AppService = GroupedAppService  # type: ignore[attr-defined]
"""The server makes each tab's service by this name (textual-serve <2 pins it)."""


async def end_consoles(grace: float = 3.0) -> None:
    """End every console still running: asked first (SIGTERM: it leaves, its records
    written, its tab told), then killed if it has not left within `grace` seconds."""
    for signal_number, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 0.0)):
        _signal_consoles(signal_number)
        deadline = time.monotonic() + wait
        while CONSOLES and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
            _signal_consoles(0)  # no signal: only whether the group is still there


def _signal_consoles(signal_number: int) -> None:
    for group in list(CONSOLES):
        try:
            os.killpg(group, signal_number)
        except (ProcessLookupError, PermissionError):
            CONSOLES.discard(group)  # ended


class GuardedServer(Server):
    def __init__(self, command: str, *, host: str, port: int, max_sessions: int) -> None:
        super().__init__(
            command, host=host, port=port, title="trafficking-triage training",
            templates_path=str(TEMPLATES),
        )  # fmt: skip
        self.max_sessions = max_sessions
        self.sessions = 0
        self.tabs: set[asyncio.Task[Any]] = set()
        """Each open tab's websocket handler, ended when the server stops."""
        names = {host, "localhost", "127.0.0.1", "[::1]"} if _local(host) else {host}
        self.hosts = {f"{name}:{port}" for name in names}

    def refusal(self, request: web.Request) -> web.Response | None:
        """Why this websocket is not taken (a response to send instead), or None."""
        if request.host not in self.hosts:
            return web.Response(status=403, text="not a host this server serves")
        if len(request.headers.getall("Host", [])) != 1:
            return web.Response(status=400, text="one Host header, please")
        # Every browser sends an Origin with a websocket; only a program leaves it out.
        if request.headers.get("Origin") not in {
            f"http://{request.host}",
            f"https://{request.host}",
        }:
            return web.Response(status=403, text="only this server's own page may connect")
        if self.sessions >= self.max_sessions:
            return web.Response(
                status=503, text=f"{self.max_sessions} training sessions are open already"
            )
        return None

    async def handle_websocket(self, request: web.Request) -> Any:
        refused = self.refusal(request)
        if refused is not None:
            return refused
        self.sessions += 1
        tab = asyncio.current_task()
        if tab is not None:
            self.tabs.add(tab)
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1
            self.tabs.discard(tab)

    async def on_shutdown(self, app: web.Application) -> None:
        """Stopping: end the consoles (their tabs are told), then any tab still open, so the
        server does not wait on a websocket that will never close."""
        await end_consoles()
        for tab in list(self.tabs):
            tab.cancel()


class _OneLine(logging.Filter):
    """A request the server could not read (a duplicate Host header, a malformed line) is
    one line in the log: never a traceback with what the request held in it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info:
            error = record.exc_info[1]
            said = getattr(error, "message", None) or type(error).__name__
            record.msg = f"{record.getMessage()}: {said}"
            record.args = ()
            record.exc_info = record.exc_text = None
        return True


logging.getLogger("aiohttp.server").addFilter(_OneLine())


def _local(host: str) -> bool:
    return host in {"127.0.0.1", "localhost", "::1", "[::1]"}


def serve(host: str, port: int, max_sessions: int, console: list[str], presenter: bool) -> int:
    """Serve until ctrl+c; 1, with a message, when the port cannot be had."""
    command = [sys.executable, "-m", "trafficking_triage", *console, "train", "--fresh"]
    if presenter:
        command.append("--presenter")
    try:  # the port first, so nothing is said to be served before it can be
        with socket.create_server((host, port)):
            pass
    except OSError as error:
        print(f"serve: cannot listen on {host}:{port} ({error.strerror or error})", file=sys.stderr)
        return 1
    print(
        f"serving training on http://{host}:{port}/ to {max_sessions} browser tabs at most "
        "(ctrl+c stops)"
    )
    server = GuardedServer(shlex.join(command), host=host, port=port, max_sessions=max_sessions)
    # A closed terminal (SIGHUP) stops the server as SIGTERM does, so its consoles end too.
    signal.signal(signal.SIGHUP, lambda *_: os.kill(os.getpid(), signal.SIGTERM))
    try:
        server.serve()
    except OSError as error:  # taken between the check and now
        print(f"serve: cannot listen on {host}:{port} ({error.strerror or error})", file=sys.stderr)
        return 1
    finally:
        asyncio.run(end_consoles())  # after an error too; none are left after a clean stop
    return 0
