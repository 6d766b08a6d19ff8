"""Committing one call event to a center's PostgreSQL store, against a bare psycopg insert and
commit with the same durability, and the embedded store's figure beside it.

A throwaway server is started for the run (tests/postgres_server.py: initdb in a temporary
directory, a Unix socket, fsync and synchronous_commit on, as a center's server would run).
Both sides write one row per transaction into the same database; the store's side goes
through PostgresStore.append (the event's JSON, the number check, the call row's route).

    python benchmarks/bench_center.py [--events 300]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_records import time_appends  # noqa: E402

from tests.postgres_server import Server  # noqa: E402
from trafficking_triage.records.postgres import PostgresStore  # noqa: E402


def bare(url: str, count: int) -> list[float]:
    import psycopg

    body = '{"at":"2026-03-14T09:30:00Z","kind":"note_added","text":"' + "x" * 60 + '"}'
    times = []
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("CREATE TABLE bare (call_id TEXT, seq INTEGER, at TEXT, kind TEXT, body TEXT)")
        for seq in range(count):
            began = time.perf_counter()
            with db.transaction():
                db.execute(
                    "INSERT INTO bare VALUES (%s, %s, %s, %s, %s)",
                    ("260314-K7QM", seq, "2026-03-14T09:30:00Z", "note_added", body),
                )
            times.append(time.perf_counter() - began)
    return times


def ours(url: str, count: int) -> list[float]:
    return time_appends(PostgresStore(url, migrate=True), count)  # tables as `store init`


def medians(count: int) -> tuple[float, float]:
    """(bare, ours) median milliseconds on a server started for the run."""
    server = Server()
    try:
        base = statistics.median(bare(server.database("bench_bare"), count)) * 1000
        mine = statistics.median(ours(server.database("bench_ours"), count)) * 1000
    finally:
        server.remove()
    return base, mine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args(argv)
    base, mine = medians(args.events)
    print(f"{'':28} {'median ms':>10}")
    print(f"{'bare psycopg insert+commit':28} {base:>10.3f}")
    print(f"{'PostgresStore.append':28} {mine:>10.3f}")
    print(f"{'ratio':28} {mine / base:>9.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
