"""Installed as an agency installs it: the wheel built from this tree, put in place by `pipx
install` and by `uv tool install` (the README's commands, given the wheel instead of `.`), and
the installed command run: validate, decide, records list, and the console in a terminal.

The installers fetch the program's dependencies from the package index, as they do for an
agency; nothing of this is needed at run time."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _index_reachable() -> bool:
    import socket

    try:
        socket.create_connection(("pypi.org", 443), timeout=5).close()
    except OSError:
        return False
    return True


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not _index_reachable():  # an offline machine: said, as any skip is (CI is online)
        pytest.skip("the package index cannot be reached: the installers fetch dependencies")
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
    )
    [built] = out.glob("trafficking_triage-*.whl")
    return built


def test_the_wheel_holds_the_license_the_protocols_and_the_scenarios(wheel: Path) -> None:
    from trafficking_triage import __version__

    assert wheel.name.startswith(f"trafficking_triage-{__version__}-py3-none-any")
    names = zipfile.ZipFile(wheel).namelist()
    assert "trafficking_triage/protocol.yaml" in names
    assert "trafficking_triage/scenarios/rubric.yaml" in names
    # Protocol 2 as it shipped, so its calls' records replay after the upgrade.
    assert "trafficking_triage/earlier/labor-trafficking-dispatch-2.0.0.yaml" in names
    assert sum(n.startswith("trafficking_triage/scenarios/") for n in names) == 25
    assert any(n.endswith(".dist-info/licenses/LICENSE") for n in names)
    meta = next(n for n in names if n.endswith(".dist-info/METADATA"))
    metadata = zipfile.ZipFile(wheel).read(meta).decode()
    assert "License-Expression: MIT" in metadata
    assert "Classifier: Environment :: Console" in metadata
    assert "Keywords: " in metadata and "Author: " in metadata
    assert "Project-URL: National Human Trafficking Hotline" in metadata


def install(installer: str, wheel: Path, home: Path) -> Path:
    """Install the wheel with `installer` into `home`; the folder holding the command."""
    bin_dir = home / "bin"
    env = {**os.environ, "HOME": str(home)}
    if installer == "pipx":
        env |= {"PIPX_HOME": str(home / "pipx"), "PIPX_BIN_DIR": str(bin_dir)}
        command = [sys.executable, "-m", "pipx", "install", str(wheel)]
    else:
        env |= {
            "UV_TOOL_DIR": str(home / "uv-tools"),
            "UV_TOOL_BIN_DIR": str(bin_dir),
            "UV_CACHE_DIR": str(home / "uv-cache"),
            "UV_PYTHON": sys.executable,
            "UV_PYTHON_DOWNLOADS": "never",
        }
        uv = shutil.which("uv") or str(Path(sys.executable).parent / "uv")
        command = [uv, "tool", "install", str(wheel)]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return bin_dir


def in_a_terminal(
    command: list[str], env: dict[str, str], wait_for: bytes, cwd: Path | None = None
) -> bytes:
    """Run `command` in a pseudo-terminal of 80x24 until `wait_for` is drawn, then ctrl+q."""
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    process = subprocess.Popen(
        command, stdin=child, stdout=child, stderr=child, env=env, cwd=cwd, start_new_session=True
    )
    os.close(child)
    seen = b""

    def read_until(done: object, seconds: float) -> None:
        nonlocal seen
        deadline = time.monotonic() + seconds
        while not done() and time.monotonic() < deadline:  # type: ignore[operator]
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(main, 65536)  # read on, or the program blocks writing
                except OSError:
                    return  # the terminal is closed: the program is gone

    try:
        read_until(lambda: wait_for in seen, 30)
        assert wait_for in seen, seen[-2000:]
        os.write(main, b"\x11")  # ctrl+q: quit with nothing said, so nothing to ask
        read_until(lambda: process.poll() is not None, 15)
        assert process.wait(timeout=1) == 0
    finally:
        if process.poll() is None:
            process.kill()
        os.close(main)
    return seen


@pytest.mark.parametrize("installer", ["pipx", "uv"])
def test_the_installed_command_works(installer: str, wheel: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    bin_dir = install(installer, wheel, home)
    command = str(bin_dir / "trafficking-triage")
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {
        "HOME": str(home),
        "PATH": os.environ.get("PATH", ""),
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "TZ": os.environ.get("TZ", "UTC"),
        "TRAFFICKING_TRIAGE_DATA": str(data),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([command, *args], env=env, capture_output=True, text=True)

    from trafficking_triage import __version__

    assert run("--version").stdout.strip() == f"trafficking-triage {__version__}"
    checked = run("validate")
    assert checked.returncode == 0, checked.stderr
    assert "protocol.yaml: ok:" in checked.stdout and "24 scenarios reach their routes" in (
        checked.stdout
    )
    decided = run("decide", "{location: Main St, can_speak_freely: 'yes', danger_now: 'yes'}")
    assert decided.returncode == 0 and json.loads(decided.stdout)["route"]["outcome"] == "officer"
    assert run("records", "list").returncode == 1  # no call yet: said, not a traceback
    drawn = in_a_terminal([command], env, b"Where is this happening")
    assert b"TRAFFICKING TRIAGE" in drawn
    listed = run("records", "list")
    assert listed.returncode == 0 and listed.stdout == "no calls recorded\n", listed.stderr
    exported = run("protocol", "export", str(tmp_path / "mine"))
    assert exported.returncode == 0 and (tmp_path / "mine" / "protocol.yaml").is_file()
