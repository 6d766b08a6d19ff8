"""`trafficking-triage serve`: the training console in a web browser, through textual-serve,
with a page of our own. Called by `cli`.

Every browser tab's websocket starts a console process on the trainer's machine, so the
server takes them only from its own page (the Origin a browser sends, on the host and port it
serves) and only so many at once. A web page elsewhere that the trainer's browser visits is
refused, and so is a page reached through a name that points at this machine (DNS
rebinding): the Host must be the one served."""

from __future__ import annotations

import shlex
import socket
import sys
from pathlib import Path
from typing import Any

from aiohttp import web
from textual_serve.server import Server

TEMPLATES = Path(__file__).parent / "web"


class GuardedServer(Server):
    def __init__(self, command: str, *, host: str, port: int, max_sessions: int) -> None:
        super().__init__(
            command, host=host, port=port, title="trafficking-triage training",
            templates_path=str(TEMPLATES),
        )  # fmt: skip
        self.max_sessions = max_sessions
        self.sessions = 0
        names = {host, "localhost", "127.0.0.1", "[::1]"} if _local(host) else {host}
        self.hosts = {f"{name}:{port}" for name in names}

    def refusal(self, request: web.Request) -> web.Response | None:
        """Why this websocket is not taken (a response to send instead), or None."""
        if request.host not in self.hosts:
            return web.Response(status=403, text="not a host this server serves")
        origin = request.headers.get("Origin")
        if origin is not None and origin not in {
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
        try:
            return await super().handle_websocket(request)
        finally:
            self.sessions -= 1


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
    try:
        server.serve()
    except OSError as error:  # taken between the check and now
        print(f"serve: cannot listen on {host}:{port} ({error.strerror or error})", file=sys.stderr)
        return 1
    return 0
