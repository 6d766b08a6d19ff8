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
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench_records import BODY, Paired, Side, interleaved, store_side  # noqa: E402

from tests.postgres_server import Server  # noqa: E402
from trafficking_triage.records.postgres import PostgresStore  # noqa: E402


def bare_side(url: str) -> Side:
    import psycopg

    db = psycopg.connect(url, autocommit=True)
    db.execute("CREATE TABLE bare (call_id TEXT, seq INTEGER, at TEXT, kind TEXT, body TEXT)")
    next_seq = [0]

    def commit(count: int) -> list[float]:
        times = []
        for _ in range(count):
            began = time.perf_counter()
            with db.transaction():
                db.execute(
                    "INSERT INTO bare VALUES (%s, %s, %s, %s, %s)",
                    ("260314-K7QM", next_seq[0], "2026-03-14T09:30:00Z", "note_added", BODY),
                )
            times.append(time.perf_counter() - began)
            next_seq[0] += 1
        return times

    return commit


def medians(count: int, blocks: int = 10) -> Paired:
    """Both sides, in turns, on a server started for the run."""
    server = Server()
    try:
        store = PostgresStore(server.database("bench_ours"), migrate=True)  # as `store init`
        try:
            return interleaved(
                bare_side(server.database("bench_bare")), store_side(store), count, blocks
            )
        finally:
            store.close()
    finally:
        server.remove()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    args = parser.parse_args(argv)
    found = medians(args.events)
    print(f"{'':28} {'median ms':>10}")
    print(f"{'bare psycopg insert+commit':28} {found.bare_ms:>10.3f}")
    print(f"{'PostgresStore.append':28} {found.ours_ms:>10.3f}")
    print(f"ratio, block by block: min {found.ratio_min:.2f}x, median {found.ratio_median:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
