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
import subprocess
import sys
import tempfile
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CONSOLE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.session import ConsoleOptions, open_session
    session = open_session(ConsoleOptions(data_dir=Path(sys.argv[1])))
    session.start()
    print("id", session.recorder.call_id, flush=True)
    n = 0
    while True:
        n += 1
        session.note(f"note {n}")  # committed before it returns
        print("acked", n, flush=True)
    """
)

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import RecordStore
    from trafficking_triage.records.recorder import Recorder
    loaded = load_protocol()
    store = RecordStore(Path(sys.argv[1]))
    recorder = Recorder(store, Call.start(loaded.protocol, loaded.sha256))
    print(recorder.call_id, flush=True)
    for n in range(int(sys.argv[3])):
        recorder.call.note(f"{sys.argv[2]}-{n}")
    assert recorder.saved
    """
)


def kills(count: int) -> tuple[int, int, int]:
    """(kills, notes acknowledged before a kill, notes lost)."""
    from trafficking_triage.records import RecordStore

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
            notes = [e for e in RecordStore(Path(data)).events(call_id) if e.kind == "note_added"]
            acked_total += acked
            lost += max(0, acked - len(notes))
    return count, acked_total, lost


def writers(count: int, events: int) -> tuple[int, int, int, int]:
    """(events written, lost, duplicated, out of order or mixed) with `count` writers."""
    from trafficking_triage.records import RecordStore

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
        store = RecordStore(Path(data))
        lost = duplicated = mixed = written = 0
        for writer, call_id in ids.items():
            texts = [getattr(e, "text", None) for e in store.events(call_id)[1:]]
            expected = [f"{writer}-{n}" for n in range(events)]
            written += len(texts)
            lost += len(set(expected) - set(texts))
            duplicated += len(texts) - len(set(texts))
            mixed += sum(1 for got, want in zip(texts, expected, strict=False) if got != want)
        return written, lost, duplicated, mixed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=40)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--events", type=int, default=500)
    args = parser.parse_args(argv)
    started = time.monotonic()
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
        "Faults and bad files, each a test in the suite (tests/robustness/"
        "test_records_bad_days.py, test_fuzz_files.py, test_monkey.py): a commit failing on a"
        " full disk (no gap in the event numbers), records that cannot be written as the console"
        " opens (the call written in full once they can be), a read-only disk for the records"
        " commands, a damaged page (found as the store"
        " opens, the file untouched), a record written on after its close (shown and exported"
        " whole), a symbolic link where a file should be, records others can read, numbers of"
        " thousands of digits in every YAML file, 550 mutated protocol and settings files, six"
        " seeded monkeys of random keys (three ending in a confirmed quit), and one console"
        " taking 150 calls while another looks for unfinished calls (none offered).",
        "",
    ]
    (ROOT / "RELIABILITY.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if lost_to_kills == lost == duplicated == mixed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
