"""A throwaway PostgreSQL server for the center store's tests: made with `initdb` in a
temporary directory, listening on a Unix socket only, stopped and removed at the end.

The server binaries come from PATH or the distribution's folder (/usr/lib/postgresql/N/bin;
Debian's `postgresql` package, which `.ci/run` installs). As root, the server runs as the
`postgres` user, since PostgreSQL refuses to run as root. A run where the server cannot start
fails: set TRAFFICKING_TRIAGE_TESTS_WITHOUT_POSTGRES=1 to skip those tests, said as skipped."""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

WITHOUT = "TRAFFICKING_TRIAGE_TESTS_WITHOUT_POSTGRES"


def _bin_dir() -> Path | None:
    found = shutil.which("initdb")
    if found:
        return Path(os.path.realpath(found)).parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: p.split("/"))
    return Path(versions[-1]).parent if versions else None


class Server:
    def __init__(self) -> None:
        bin_dir = _bin_dir()
        if bin_dir is None:
            raise RuntimeError(
                "PostgreSQL's server programs (initdb, pg_ctl) are not installed: on Debian, "
                f"apt install postgresql; or set {WITHOUT}=1 to skip the center store's tests"
            )
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="triage-pg-"))
        self.data = self.root / "data"
        self.socket = self.root
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
        os.chmod(self.root, 0o755)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "triage", "--no-sync")
        self.start()
        self.url = f"postgresql://triage@/postgres?host={self.socket}"

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.root)
        if done.returncode != 0:
            raise RuntimeError(f"{program} failed: {done.stderr.strip() or done.stdout.strip()}")

    def start(self) -> None:
        # Durability is the server's own business, tested by PostgreSQL: a test server that
        # loses its files in a crash loses nothing (it is made again for the next run).
        options = (
            f"-k {self.socket} -c listen_addresses='' -c max_connections=200"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-o",
            options,
            "-l",
            str(self.root / "log"),
            "-w",
            "start",
        )

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def processes(self) -> list[int]:
        """The server's processes: the postmaster first, then every one it started."""
        main = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    if int(fields[1]) == main:
                        children.append(int(entry.name))
        return [main, *children]

    def pause(self) -> None:
        """Stop every process of the server (SIGSTOP): connections stay open, nothing answers."""
        for pid in self.processes():
            os.kill(pid, signal.SIGSTOP)

    def resume(self) -> None:
        for pid in self.processes():
            os.kill(pid, signal.SIGCONT)

    def database(self, name: str, template: str | None = None) -> str:
        """A new database on the server (empty, or a copy of `template`), and its address."""
        import time

        import psycopg

        like = f' TEMPLATE "{template}"' if template else ""
        with psycopg.connect(self.url, autocommit=True) as db:
            for _attempt in range(100):
                try:
                    db.execute(f'CREATE DATABASE "{name}"{like}')
                    break
                except psycopg.errors.ObjectInUse:  # the template's last session still ending
                    time.sleep(0.05)
        return f"postgresql://triage@/{name}?host={self.socket}"

    def remove(self) -> None:
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class HalfOpenProxy:
    """Between consoles and the server, on a Unix socket of its own; `drop()` cuts the
    consoles' side of every connection and keeps the server's side open, as a Wi-Fi or VPN
    drop does: the server's sessions live on until it notices."""

    def __init__(self, server_socket: str) -> None:
        import socket
        import threading

        self.dir = tempfile.mkdtemp(prefix="triage-proxy-")
        self.upstream = os.path.join(server_socket, ".s.PGSQL.5432")
        self.listener = socket.socket(socket.AF_UNIX)
        self.listener.bind(os.path.join(self.dir, ".s.PGSQL.5432"))
        self.listener.listen()
        self.near: list[socket.socket] = []
        self.far: list[socket.socket] = []
        self.flowing = threading.Event()
        self.flowing.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def address(self, url: str) -> str:
        """The same database, through the proxy."""
        return url.split("?host=")[0] + f"?host={self.dir}"

    def _accept(self) -> None:
        import socket
        import threading

        while True:
            try:
                near, _ = self.listener.accept()
            except OSError:
                return
            far = socket.socket(socket.AF_UNIX)
            far.connect(self.upstream)
            self.near.append(near)
            self.far.append(far)
            for a, b in ((near, far), (far, near)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    def _pump(self, source: object, sink: object) -> None:
        while True:
            try:
                data = source.recv(65536)  # type: ignore[attr-defined]
                if not data:
                    return
                self.flowing.wait()  # a network that swallows packets: held, not sent
                sink.sendall(data)  # type: ignore[attr-defined]
            except OSError:
                return

    def stall(self) -> None:
        """Stop forwarding (both ways), every connection left open: a network that swallows
        what is sent, or a server that stopped answering."""
        self.flowing.clear()

    def flow(self) -> None:
        self.flowing.set()

    def drop(self) -> None:
        import socket

        for near in self.near:
            with contextlib.suppress(OSError):
                near.shutdown(socket.SHUT_RDWR)
            near.close()
        self.near.clear()

    def close(self) -> None:
        self.flow()
        self.drop()
        for far in self.far:
            far.close()
        self.listener.close()
        shutil.rmtree(self.dir, ignore_errors=True)
