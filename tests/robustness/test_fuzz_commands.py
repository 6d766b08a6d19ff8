"""Over a thousand generated files and command lines through the program's own entry point:
every one ends with an exit status and, where it failed, a message, never a traceback, never a
hang. Seeded, so a failure names the case that makes it again.

Files: protocols, settings, scenarios, rubrics and CAD context files, each edited as a person or
a bad copy makes it (characters dropped or doubled, YAML punctuation, lines lost or repeated),
or holding numbers of every base longer than any a setting needs, nesting thousands deep, bytes
that are not UTF-8. Records: a store's rows and events damaged (unknown kinds, extra fields,
broken JSON, a bad time, ESC sequences in ids). Command lines: words from the program's own
options with values a CAD or a script gets wrong (a port of 99999, a path of 5,000 characters,
a FIFO, /dev/zero, bytes that are not UTF-8)."""

from __future__ import annotations

import contextlib
import io
import os
import random
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from trafficking_triage.cli import main

DATA = Path(__file__).parent.parent / "data"
PROTOCOL = (DATA / "minimal.yaml").read_text()
SETTINGS = (DATA / "agency" / "good.yaml").read_text()
RUBRIC = (
    "route: 40\nindicators: 20\nsafety_first: 10\nas_said: 10\nsteps: 10\n"
    "time_to_route: 5\ntime_to_dispatch: 5\n"
)
CONTEXT = "location: 12 Main St\nincident: '2026-0042'\ncallback: '+15551234567'\n"

NUMBERS = [
    "9" * 5000,
    "0x" + "f" * 5000,
    "0b" + "1" * 20000,
    "0o" + "7" * 5000,
    ":".join(["59"] * 3000),
    "1_" * 3000 + "1",
    "-" + "1" * 4301,
    ".nan",
    "1e99999",
]
PUNCTUATION = [*":-[]{}#&*!|>'\"%@`,? \t\n", "yes", "no", "~", "0", "\x1b[2J", "\u202e", *NUMBERS]
CASES_PER_KIND = 140
LONGEST = 5.0
"""Seconds a case may take before it counts as a hang (each takes well under one)."""


def mutate(rng: random.Random, text: str) -> str | bytes:
    roll = rng.random()
    if roll < 0.05:
        return "[" * 5000 + "]" * 5000
    if roll < 0.1:
        return text.encode() + b"\xff\xfe" + bytes(rng.randrange(256) for _ in range(20))
    chars = list(text)
    for _ in range(rng.randint(1, 6)):
        if not chars:
            break
        at = rng.randrange(len(chars))
        action = rng.choice(["drop", "double", "replace", "insert"])
        if action == "drop":
            del chars[at]
        elif action == "double":
            chars.insert(at, chars[at])
        elif action == "replace":
            chars[at] = rng.choice(PUNCTUATION)
        else:
            chars.insert(at, rng.choice(PUNCTUATION))
    lines = "".join(chars).splitlines(keepends=True)
    valued = [i for i, line in enumerate(lines) if ": " in line]
    if valued and rng.random() < 0.3:
        at = rng.choice(valued)
        lines[at] = f"{lines[at].split(': ', 1)[0]}: {rng.choice(NUMBERS)}\n"
    if lines and rng.random() < 0.5:
        at = rng.randrange(len(lines))
        if rng.random() < 0.5:
            del lines[at]
        else:
            lines.insert(at, lines[at])
    return "".join(lines)


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    path.chmod(0o600)
    return path


class Outcome:
    def __init__(self) -> None:
        self.cases = 0
        self.failures: list[str] = []
        self.slowest = (0.0, "")
        """The longest a case took, and which (printed with -s; never a pass/fail)."""

    def run(self, name: str, argv: list[str]) -> None:
        """One command as a user types it: its output, its exit, how long it took."""
        self.cases += 1
        shown = [word if len(word) < 40 else word[:30] + "..." for word in argv]
        out, err = io.StringIO(), io.StringIO()
        started = time.monotonic()
        status: object = None
        try:
            with _deadline(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    status = main(argv)
                except SystemExit as leaving:  # argparse: a usage message and status 2
                    status = leaving.code
        except _Hang:
            self.failures.append(f"{name}: hangs ({shown})")
            return
        except BaseException as error:
            self.failures.append(f"{name}: {type(error).__name__}: {error!s:.200} ({shown})")
            return
        said = out.getvalue() + err.getvalue()
        took = time.monotonic() - started
        self.slowest = max(self.slowest, (took, name))
        if "Traceback" in said:
            self.failures.append(f"{name}: a traceback printed ({shown})")
        elif status not in {0, 1, 2, None}:
            self.failures.append(f"{name}: exit status {status!r}")
        elif status not in {0, None} and not err.getvalue().strip():
            self.failures.append(f"{name}: failed without a word ({shown})")
        elif took > LONGEST:
            self.failures.append(f"{name}: took {took:.1f} s")


class _Hang(Exception):
    pass


@contextlib.contextmanager
def _deadline() -> Iterator[None]:
    def hung(_signal: int, _frame: object) -> None:
        raise _Hang

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, LONGEST * 4)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def outcome(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Outcome]:
    monkeypatch.chdir(tmp_path)  # a relative path on a command line lands here
    monkeypatch.setenv("TRAFFICKING_TRIAGE_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("TRAFFICKING_TRIAGE_SETTINGS", str(tmp_path / "no-settings.yaml"))
    monkeypatch.delenv("TRAFFICKING_TRIAGE_STORE", raising=False)
    found = Outcome()
    yield found
    print(f"{found.cases} cases, the slowest {found.slowest[0]:.2f} s ({found.slowest[1]})")
    assert found.failures == [], f"{len(found.failures)} of {found.cases}:\n" + "\n".join(
        found.failures[:40]
    )


def test_generated_files_end_in_a_message(tmp_path: Path, outcome: Outcome) -> None:
    rng = random.Random(25)
    scenarios = tmp_path / "scenarios"
    scenarios.mkdir()
    protocol = write(tmp_path / "protocol.yaml", PROTOCOL)
    for n in range(CASES_PER_KIND):
        bad = write(tmp_path / f"p{n}.yaml", mutate(rng, PROTOCOL))
        outcome.run(f"protocol {n}", ["validate", str(bad)])
        outcome.run(f"cards {n}", ["cards", "--protocol", str(bad)])
        settings = write(tmp_path / f"s{n}.yaml", mutate(rng, SETTINGS))
        outcome.run(f"settings {n}", ["agency", "validate", str(settings)])
        rubric = write(scenarios / "rubric.yaml", mutate(rng, RUBRIC))
        outcome.run(f"rubric {n}", ["validate", str(protocol), "--scenarios", str(scenarios)])
        rubric.unlink()
    assert outcome.cases >= 4 * CASES_PER_KIND


def damaged_store(folder: Path, rng: random.Random) -> list[str]:
    """A data directory with three calls, then each damaged one way: the ids."""
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder

    loaded = load_protocol()
    store = SqliteStore(folder)
    ids = []
    for _ in range(3):
        call = Call.start(loaded.protocol, loaded.sha256, console="c1", dispatcher="d1")
        recorder = Recorder(store, call)
        call.answer("12 Main St")
        call.note("a note")
        ids.append(str(recorder.call_id))
        recorder.release()
    store.close()
    db = sqlite3.connect(folder / "calls.sqlite3", isolation_level=None)
    for trigger in ("calls_checked", "closed_stays", "open_checked", "no_event_after_close"):
        db.execute(f"DROP TRIGGER {trigger}")
    for call_id in ids:
        damage = rng.choice(
            [
                'UPDATE events SET body = \'{"kind": "alien", "at": 1}\''
                " WHERE call_id = ? AND seq = 1",
                "UPDATE events SET body = substr(body, 1, 20) WHERE call_id = ? AND seq = 2",
                "UPDATE events SET body = replace(body, '}', ',\"extra\": 1}') WHERE call_id = ?",
                "UPDATE calls SET started_at = 'yesterday' WHERE id = ?",
                "UPDATE calls SET context = '[1' WHERE id = ?",
                "UPDATE calls SET route = char(27) || '[2J' WHERE id = ?",
                "UPDATE calls SET status = char(27) || ']0;x' || char(7) WHERE id = ?",
                "UPDATE events SET body = CAST(x'ff00fe' AS TEXT) WHERE call_id = ? AND seq = 0",
                "DELETE FROM events WHERE call_id = ?",
            ]
        )
        db.execute(damage, (call_id,))
    db.close()
    return ids


def test_damaged_records_end_in_a_message(tmp_path: Path, outcome: Outcome) -> None:
    rng = random.Random(26)
    for n in range(40):
        folder = tmp_path / f"d{n}"
        folder.mkdir(mode=0o700)
        ids = damaged_store(folder, rng)
        base = ["records", "--data-dir", str(folder)]
        outcome.run(f"list {n}", [*base, "list"])
        outcome.run(f"list json {n}", [*base, "list", "--json"])
        for call_id in ids:
            for action in (["show"], ["review"], ["replay"], ["export", "--format", "json"]):
                outcome.run(f"{action[0]} {n}", [*base, action[0], call_id, *action[1:]])
    assert outcome.cases >= 400


def test_generated_command_lines_end_in_a_message(tmp_path: Path, outcome: Outcome) -> None:
    rng = random.Random(27)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    context = write(tmp_path / "context.yaml", CONTEXT)
    deep = write(tmp_path / "deep.yaml", "a:\n" + "".join(f"{' ' * i}- \n" for i in range(3000)))
    nested = write(tmp_path / "nested.yaml", "[" * 100000)
    values = [
        "99999",
        "-1",
        "0",
        "x" * 5000,
        "/" + "d/" * 2500,
        str(fifo),
        "/dev/zero",
        "A\udce9B",
        "\x1b[2J\x1b]0;owned\x07",
        str(context),
        str(deep),
        str(nested),
        "",
        "--",
        "1e400",
        "9" * 5000,
    ]
    commands = [
        ["validate"],
        ["cards"],
        ["graph"],
        ["graph", "--format", "mermaid"],
        ["decide"],
        ["agency", "validate"],
        ["records", "list"],
        ["records", "show"],
        ["records", "review"],
        ["records", "export"],
        ["protocol", "export"],
        ["serve", "--port"],
        ["store", "copy", "--to"],
        ["completion"],
    ]
    options = [
        "--protocol",
        "--agency",
        "--lang",
        "--since",
        "--until",
        "--route",
        "--status",
        "--data-dir",
        "--scenarios",
        "--format",
        "--output",
        "--escalate-at",
        "--hang-up-at",
        "--max-sessions",
    ]
    for n in range(300):
        argv = list(rng.choice(commands))
        argv.append(rng.choice(values))
        for _ in range(rng.randint(0, 3)):
            argv += [rng.choice(options), rng.choice(values)]
        if (
            argv[0] == "serve"
            and argv[2].isdigit()
            and len(argv[2]) < 6
            and 0 < int(argv[2]) < 65536
        ):
            argv[2] = "99999"  # never a server left listening
        outcome.run(f"command line {n}", argv)
    for option in ("--protocol", "--agency"):
        for special in (str(fifo), "/dev/zero", str(nested)):
            outcome.run(f"{option} {special}", ["validate", option, special])
    assert outcome.cases >= 300
