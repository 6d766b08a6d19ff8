"""Committing one call event, against a bare sqlite3 insert and commit with the same durability.

Both write to a fresh database in the same directory, in WAL mode with synchronous=FULL, one
transaction per row; the event side goes through SqliteStore.append (JSON of the event, the
event row, the call row's route). Prints the medians and their ratio (target: at most 1.5x).

    python benchmarks/bench_records.py [--events 500] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from trafficking_triage.engine import Call
from trafficking_triage.protocol import load_protocol
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.base import StoreBase


def bare(directory: Path, count: int) -> list[float]:
    db = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (call_id TEXT, seq INTEGER, at TEXT, kind TEXT, body TEXT)")
    body = '{"at":"2026-03-14T09:30:00Z","kind":"note_added","text":"' + "x" * 60 + '"}'
    times = []
    for seq in range(count):
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute(
            "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
            ("260314-K7QM", seq, "2026-03-14T09:30:00Z", "note_added", body),
        )
        db.execute("COMMIT")
        times.append(time.perf_counter() - began)
    db.close()
    return times


def ours(directory: Path, count: int) -> list[float]:
    return time_appends(SqliteStore(directory / "ours"), count)


def time_appends(store: StoreBase, count: int) -> list[float]:
    """Seconds each of `count` notes takes to commit through the store (closed after)."""
    loaded = load_protocol()
    call = Call.start(loaded.protocol, loaded.sha256)
    call_id = store.begin(call)
    times = []
    for n in range(count):
        call.note("x" * 58 + f"{n:02d}"[-2:])
        event = call.events[-1]
        began = time.perf_counter()
        store.append(call_id, event, call)
        times.append(time.perf_counter() - began)
    store.close()
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--dir", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        directory = Path(folder)
        base = statistics.median(bare(directory, args.events)) * 1000
        mine = statistics.median(ours(directory, args.events)) * 1000
    print(f"{'':24} {'median ms':>10}")
    print(f"{'bare sqlite3 commit':24} {base:>10.3f}")
    print(f"{'SqliteStore.append':24} {mine:>10.3f}")
    print(f"{'ratio':24} {mine / base:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
