"""Committing one call event, against a bare sqlite3 insert and commit with the same durability.

Both write to a fresh database in the same directory, in WAL mode with synchronous=FULL, one
transaction per row; the event side goes through SqliteStore.append (JSON of the event, the
event row; the call's row only when what it lists changes, as for a note: never). The two
sides take turns in blocks of events, so a slow moment of the disk falls on both; each block's
median of ours over the bare one's is a ratio, and the minimum and median of the ratios are
reported with the medians of all events (target: at most 1.5x).

    python benchmarks/bench_records.py [--events 500] [--blocks 10] [--dir DIR]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

from trafficking_triage.engine import Call
from trafficking_triage.protocol import load_protocol
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.base import StoreBase

BODY = '{"at":"2026-03-14T09:30:00Z","kind":"note_added","text":"' + "x" * 60 + '"}'

Side = Callable[[int], list[float]]
"""Commits that many events; the seconds each took."""


class Paired(NamedTuple):
    bare_ms: float
    ours_ms: float
    ratio_min: float
    ratio_median: float


def interleaved(bare: Side, ours: Side, events: int, blocks: int) -> Paired:
    """The two sides in turns, block by block (`events` each in all)."""
    size = max(1, events // blocks)
    bare_all: list[float] = []
    ours_all: list[float] = []
    ratios = []
    for _ in range(blocks):
        a, b = bare(size), ours(size)
        bare_all += a
        ours_all += b
        ratios.append(statistics.median(b) / statistics.median(a))
    return Paired(
        statistics.median(bare_all) * 1000,
        statistics.median(ours_all) * 1000,
        min(ratios),
        statistics.median(ratios),
    )


def bare_side(directory: Path) -> Side:
    db = sqlite3.connect(directory / "bare.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("CREATE TABLE t (call_id TEXT, seq INTEGER, at TEXT, kind TEXT, body TEXT)")
    next_seq = [0]

    def commit(count: int) -> list[float]:
        times = []
        for _ in range(count):
            began = time.perf_counter()
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO t VALUES (?, ?, ?, ?, ?)",
                ("260314-K7QM", next_seq[0], "2026-03-14T09:30:00Z", "note_added", BODY),
            )
            db.execute("COMMIT")
            times.append(time.perf_counter() - began)
            next_seq[0] += 1
        return times

    return commit


def store_side(store: StoreBase) -> Side:
    """Notes appended to one call through the store (the store stays open for the run)."""
    loaded = load_protocol()
    call = Call.start(loaded.protocol, loaded.sha256)
    call_id = store.begin(call)
    made = [0]

    def commit(count: int) -> list[float]:
        times = []
        for _ in range(count):
            call.note("x" * 58 + f"{made[0]:02d}"[-2:])
            made[0] += 1
            event = call.events[-1]
            began = time.perf_counter()
            store.append(call_id, event, call)
            times.append(time.perf_counter() - began)
        return times

    return commit


def measure(directory: Path, events: int, blocks: int) -> Paired:
    store = SqliteStore(directory / "ours")
    try:
        return interleaved(bare_side(directory), store_side(store), events, blocks)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--blocks", type=int, default=10)
    parser.add_argument("--dir", type=Path, help="where to write (default: a temporary folder)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(dir=args.dir) as folder:
        found = measure(Path(folder), args.events, args.blocks)
    print(f"{'':24} {'median ms':>10}")
    print(f"{'bare sqlite3 commit':24} {found.bare_ms:>10.3f}")
    print(f"{'SqliteStore.append':24} {found.ours_ms:>10.3f}")
    print(f"ratio, block by block: min {found.ratio_min:.2f}x, median {found.ratio_median:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
