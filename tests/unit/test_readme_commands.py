"""Every command in the README's shell blocks, run as printed, in order, against a temporary
home (its own config and data directories), from a folder holding the protocol as a source
checkout does.

Not run here, and where each is run instead: setting up a virtualenv and installing into it
(`.ci/run` runs the README's test command exactly; `test_install.py` installs the wheel with
`uv tool install` and `pipx install`); the test command and the style and type checks (CI).
`.venv/bin/` and a bare `trafficking-triage` are this environment's installed command. A
command that opens a screen (the console, `train`) runs in a pseudo-terminal until its first
screen is drawn, then quits; `serve` until it listens. The example call id is a call recorded
first, in the temporary data directory."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import known
from tests.unit.test_install import in_a_terminal

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLE_ID = "261122-K7QM"

NOT_RUN = (
    re.compile(r"^python3 -m venv "),  # setting up: .ci/run and test_install.py
    re.compile(r"^(uv tool|pipx) install "),  # test_install.py, with the wheel
    re.compile(r"^\.venv/bin/(pytest|ruff|mypy|lint-imports)\b"),  # CI runs them
)

SCREENS = {None: b"Where is this happening", "train": b"TRAINING"}
"""What each command that opens a screen draws first."""


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", text, flags=re.S | re.M)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_the_readme_has_the_commands_this_test_knows_how_to_run() -> None:
    commands = readme_commands()
    assert len(commands) >= 25
    assert any("agency init" in c for c in commands) and any(EXAMPLE_ID in c for c in commands)


def test_every_readme_command_works_as_printed(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    data = home / ".local" / "share" / "trafficking-triage"
    work = tmp_path / "checkout"
    work.mkdir()
    shutil.copy(ROOT / "protocol.yaml", work)
    shutil.copytree(ROOT / "scenarios", work / "scenarios")
    (work / ".venv").symlink_to(BIN.parent)  # `.venv/bin/...` as printed
    env = {
        "HOME": str(home),
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "TZ": os.environ.get("TZ", "UTC"),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }

    # A call to show, export, replay and review, recorded where the commands look.
    from trafficking_triage.console import ConsoleOptions, open_session

    session = open_session(ConsoleOptions(data_dir=data))
    session.start()
    session.answer("Main St")
    session.answer("yes")
    session.escalate()
    assert session.recorder is not None
    call_id = session.recorder.call_id
    assert session.close_call() is None
    session.end_console()

    ran: list[str] = []
    for line in readme_commands():
        if any(rule.match(line) for rule in NOT_RUN):
            continue
        command = line.replace(EXAMPLE_ID, known(call_id))
        words = command.split("#")[0].split()
        ours = [i for i, w in enumerate(words) if w.endswith("trafficking-triage")]
        first = (
            next((w for w in words[ours[0] + 1 :] if not w.startswith("-")), None)
            if ours
            else "(another program)"
        )
        if first in SCREENS and not {"--help", "--version"} & set(words):
            argv = ["bash", "-c", f"exec {command.split('#')[0]}"]
            in_a_terminal(argv, {**env, "PWD": str(work)}, SCREENS[first], cwd=work)
        elif first == "serve":
            port = free_port()
            served = subprocess.Popen(
                ["bash", "-c", f"exec {command.split('#')[0]}".replace("8000", str(port))],
                cwd=work,
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            try:
                assert served.stdout is not None
                said = served.stdout.readline()
                assert f"serving training on http://127.0.0.1:{port}/" in said, said
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    with socket.socket() as s:
                        if s.connect_ex(("127.0.0.1", port)) == 0:
                            break
                    time.sleep(0.1)
                else:
                    pytest.fail(f"{line}: never listened")
            finally:
                served.terminate()
                served.wait(timeout=10)
        else:
            done = subprocess.run(
                ["bash", "-c", command], cwd=work, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        ran.append(first or "(options only)")
    assert len(ran) >= 20 and ran.count("train") == 3 and "serve" in ran
    assert (home / ".config" / "trafficking-triage" / "agency.yaml").is_file()
    assert (home / "triage-protocol" / "protocol.yaml").is_file()
    slides = sorted((work / "slides").glob("*.svg"))
    assert len(slides) >= 5 and "Quién llama" in " ".join(s.read_text() for s in slides)
    assert (work / "cards.pdf").read_bytes().startswith(b"%PDF")
