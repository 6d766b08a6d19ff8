"""The records on a bad day, counted: consoles killed at random moments, many writers on one
data directory. Prints what was lost (it must be nothing) and writes RELIABILITY.md.

    python benchmarks/reliability.py [--kills 40] [--writers 8] [--events 500]

Not a pass/fail test (the suite has those, smaller): this runs longer, for the figures.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]

CONSOLE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.console import ConsoleOptions, open_session
    session = open_session(ConsoleOptions(data_dir=Path(sys.argv[1])))
    session.start()
    session.note("first")
    while session.unsaved_events():
        session.tick()
    print("id", session.recorder.call_id, flush=True)
    n = 0
    while True:
        n += 1
        session.note(f"note {n}")
        while session.unsaved_events():  # acknowledged once the screen would say saved
            session.tick()
        print("acked", n, flush=True)
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder
    loaded = load_protocol()
    store = SqliteStore(Path(sys.argv[1]))
    recorder = Recorder(store, Call.start(loaded.protocol, loaded.sha256))
    print(recorder.call_id, flush=True)
    for n in range(int(sys.argv[3])):
        recorder.call.note(f"{sys.argv[2]}-{n}")
    assert recorder.saved
    """
)


def kills(count: int) -> tuple[int, int, int]:
    """(kills, notes acknowledged before a kill, notes lost)."""
    from trafficking_triage.records import SqliteStore

    rng = random.Random(1)
    acked_total = lost = 0
    for _ in range(count):
        with tempfile.TemporaryDirectory() as data:
            console = subprocess.Popen(
                [sys.executable, "-c", CONSOLE, data], stdout=subprocess.PIPE, text=True
            )
            assert console.stdout is not None
            call_id = console.stdout.readline().split()[1]
            deadline = time.monotonic() + rng.uniform(0.0, 0.3)
            acked = 0
            while time.monotonic() < deadline:
                line = console.stdout.readline()
                if line.startswith("acked"):
                    acked = int(line.split()[1])
            os.kill(console.pid, signal.SIGKILL)
            console.wait()
            notes = [e for e in SqliteStore(Path(data)).events(call_id) if e.kind == "note_added"]
            acked_total += acked
            lost += max(0, acked - len(notes))
    return count, acked_total, lost


def writers(count: int, events: int) -> tuple[int, int, int, int]:
    """(events written, lost, duplicated, out of order or mixed) with `count` writers."""
    from trafficking_triage.records import SqliteStore

    with tempfile.TemporaryDirectory() as data:
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, data, f"w{i}", str(events)],
                stdout=subprocess.PIPE,
                text=True,
            )
            for i in range(count)
        ]
        ids = {}
        for i, proc in enumerate(procs):
            assert proc.stdout is not None
            ids[f"w{i}"] = proc.stdout.readline().strip()
        for proc in procs:
            assert proc.wait() == 0
        store = SqliteStore(Path(data))
        lost = duplicated = mixed = written = 0
        for writer, call_id in ids.items():
            texts = [getattr(e, "text", None) for e in store.events(call_id)[1:]]
            expected = [f"{writer}-{n}" for n in range(events)]
            written += len(texts)
            lost += len(set(expected) - set(texts))
            duplicated += len(texts) - len(set(texts))
            mixed += sum(1 for got, want in zip(texts, expected, strict=False) if got != want)
        return written, lost, duplicated, mixed


class Waits(NamedTuple):
    healthy_max: float
    healthy_median: float
    hung_max: float
    hung_median: float
    keys: int
    not_saved_after: float
    lost: int


def _keys_while(session: object, seconds: float) -> tuple[list[float], float | None]:
    """Press a key every 50 ms for `seconds` (a note, the timer's tick, the danger-now key):
    each key's wait, and when NOT SAVED came on (seconds from the start), if it did."""
    waits: list[float] = []
    started = time.monotonic()
    not_saved = None
    n = 0
    while time.monotonic() - started < seconds:
        n += 1
        key = (
            (lambda n=n: session.note(f"n{n}"))  # type: ignore[attr-defined, misc]
            if n % 3
            else session.escalate  # type: ignore[attr-defined]
        )
        for press in (key, session.tick):  # type: ignore[attr-defined]
            pressed = time.monotonic()
            press()
            waits.append(time.monotonic() - pressed)
        if not_saved is None and session.records_trouble:  # type: ignore[attr-defined]
            not_saved = time.monotonic() - started
        time.sleep(0.05)
    return waits, not_saved


def hung(kind: str, seconds: float) -> Waits:
    """A console's keys with its store answering, then with it hung for `seconds`: SQLite
    with its file held locked by another program, PostgreSQL with its server stopped
    (SIGSTOP). Then every event is checked written, in order."""
    from trafficking_triage.console import ConsoleOptions, open_session
    from trafficking_triage.records.postgres import PostgresStore
    from trafficking_triage.records.store import SqliteStore

    sys.path.insert(0, str(ROOT))
    from tests.postgres_server import Server

    with tempfile.TemporaryDirectory() as data:
        os.chmod(data, 0o700)
        server = Server() if kind == "postgresql" else None
        try:
            address = server.database("bench") if server else None
            if server and address:
                PostgresStore(address, migrate=True).close()
            session = open_session(ConsoleOptions(data_dir=Path(data), store=address))
            session.start()
            session.answer("12 Main St")
            healthy, _ = _keys_while(session, 3.0)
            if server:
                server.pause()
            else:
                other = sqlite3.connect(Path(data) / "calls.sqlite3", isolation_level=None)
                other.execute("BEGIN EXCLUSIVE")
            try:
                waits, not_saved = _keys_while(session, seconds)
            finally:
                if server:
                    server.resume()
                else:
                    other.execute("ROLLBACK")
                    other.close()
            deadline = time.monotonic() + 60
            while session.unsaved_events() and time.monotonic() < deadline:
                session.tick()
                time.sleep(0.05)
            assert session.call is not None and session.recorder is not None
            reader = PostgresStore(address, read_only=True) if address else SqliteStore(Path(data))
            stored = [e.model_dump_json() for e in reader.events(session.recorder.call_id)]
            reader.close()
            mine = [e.model_dump_json() for e in session.call.events]
            lost = len(mine) - sum(1 for a, b in zip(stored, mine, strict=False) if a == b)
            session.end_console()
        finally:
            if server:
                server.remove()
    return Waits(
        max(healthy),
        statistics.median(healthy),
        max(waits),
        statistics.median(waits),
        len(waits),
        not_saved if not_saved is not None else float("nan"),
        lost,
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--hang", type=float, default=60.0, help="seconds the store hangs")
    args = parser.parse_args(argv)
    started = time.monotonic()
    hangs = {kind: hung(kind, args.hang) for kind in ("sqlite", "postgresql")}
    killed, acked, lost_to_kills = kills(args.kills)
    written, lost, duplicated, mixed = writers(args.writers, args.events)
    lines = [
        "# Reliability",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `python benchmarks/reliability.py`"
        f" in {time.monotonic() - started:.0f} s. The suite's own tests (tests/robustness,"
        " tests/unit/test_session.py) cover each case on a smaller scale, with pass/fail.",
        "",
        "| what | done | lost |",
        "|---|---|---|",
        f"| a console killed (SIGKILL) at a random moment, 0 to 300 ms into writing notes |"
        f" {killed} kills, {acked:,} notes acknowledged before the kill |"
        f" {lost_to_kills} notes |",
        f"| {args.writers} consoles writing {args.events} notes each to one data directory at"
        f" once | {written:,} events | {lost} lost, {duplicated} duplicated,"
        f" {mixed} out of order or mixed |",
        "",
        f"A store that stops answering for {args.hang:.0f} s, keys pressed every 50 ms (a note,"
        " the danger-now key, the screen's timer) against the same keys with the store"
        " answering, in the same run; then every event checked written in order:",
        "",
        "| store, hung how | keys | longest wait, hung (answering) | median, hung"
        " (answering) | NOT SAVED after | events lost |",
        "|---|---|---|---|---|---|",
        *(
            f"| {label} | {w.keys} | {w.hung_max * 1000:.0f} ms ({w.healthy_max * 1000:.0f} ms)"
            f" | {w.hung_median * 1000:.1f} ms ({w.healthy_median * 1000:.1f} ms)"
            f" | {w.not_saved_after:.1f} s | {w.lost} |"
            for label, w in (
                ("SQLite, its file held locked by another program", hangs["sqlite"]),
                ("PostgreSQL, its server stopped (SIGSTOP)", hangs["postgresql"]),
            )
        ),
        "",
        "Faults and bad files, each a test in the suite (tests/robustness/"
        "test_records_bad_days.py, test_fuzz_files.py, test_monkey.py): a commit failing on a"
        " full disk (no gap in the event numbers), records that cannot be written as the console"
        " opens (the call written in full once they can be), a read-only disk for the records"
        " commands, a damaged page (found as the store"
        " opens, the file untouched), a record written on after its close (refused now; one an"
        " earlier version let through is shown and exported whole), a symbolic link where a"
        " file should be, records others can read, numbers of"
        " thousands of digits in every YAML file, 550 mutated protocol and settings files, six"
        " seeded monkeys of random keys (three ending in a confirmed quit), and one console"
        " taking 150 calls while another looks for unfinished calls (none offered).",
        "",
        "A center's database against its own users, as the README's roles on a real PostgreSQL"
        " server (tests/robustness/test_center_attacks.py): 20 restarts of the server with a"
        " console opened at once after each (0 offered the live call); another console's role"
        " closing, rerouting, letting go of or writing to a live call (refused, and its console's"
        " own close not refused), ending its connection (refused); a closed call rerouted,"
        " reopened or written to, by a console's role and by the owner (refused); rows this"
        " program would not write (refused by the database; read past with an ANOMALY where"
        " they got in before). The store that stops answering, as above, is a test too"
        " (tests/robustness/test_hung_store.py: a records file held locked, a server stopped"
        " with SIGSTOP, a network that stops forwarding). Generated input"
        " (tests/robustness/test_fuzz_commands.py, seeded): 560 edited protocol, settings and"
        " rubric files, 560 commands on 40 damaged record stores, 300 command lines and 6 special"
        " files through the program's entry point: 0 tracebacks, 0 hangs (`pytest -s` prints the"
        " slowest case).",
        "",
    ]
    (ROOT / "RELIABILITY.md").write_text("\n".join(lines))
    print("\n".join(lines))
    hung_lost = sum(w.lost for w in hangs.values())
    return 0 if lost_to_kills == lost == duplicated == mixed == hung_lost == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
