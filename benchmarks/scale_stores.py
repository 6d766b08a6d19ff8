"""Stores of 500, 5,000 and 50,000 calls (a year of a busy center), made through the store's
own `begin()`, as a console writes them, and kept between runs under benchmarks/out/scale/.

Each call is a whole call of the shipped protocol: one of the worked paths of the test suite
(every route, every kind of caller), answered to its end with the facts after dispatch, its
steps ticked, a note, closed; about thirty events, started at a time spread over the last
365 days, an incident number on every other call. The same seed gives the same stores.

    python benchmarks/scale_stores.py [--sizes 500 5000 50000] [--postgres]

A PostgreSQL store is kept in a server data directory of its own (started for the build and
for each measuring run by bench_scale.py, stopped after).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.postgres_server import Server, _bin_dir  # noqa: E402
from tests.unit.test_shipped_protocol import PATHS, answered_as_given  # noqa: E402
from trafficking_triage.engine import Call  # noqa: E402
from trafficking_triage.protocol import LoadedProtocol, load_protocol  # noqa: E402
from trafficking_triage.records.base import StoreBase  # noqa: E402

OUT = HERE / "out" / "scale"
SIZES = (500, 5_000, 50_000)
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
"""The stores' "now": the newest call is just before it (the commands read local days, so
--since is given as a date by the benchmark, not as today)."""


def sqlite_dir(size: int) -> Path:
    return OUT / f"sqlite-{size}"


def whole_call(loaded: LoadedProtocol, answers: dict[str, object], at: datetime, n: int) -> Call:
    """One call to its end, each event a few seconds after the last."""
    clock_at = [at]

    def clock() -> datetime:
        clock_at[0] += timedelta(seconds=4)
        return clock_at[0]

    context = {"incident": f"26-{n:06d}"} if n % 2 == 0 else {}
    call = Call.start(
        loaded.protocol, loaded.sha256, clock=clock, console=f"C{n % 6}", context=context
    )
    answered_as_given(call, answers)
    call.note("caller calm, speaking from a car park")
    for number in call.open_steps():
        if number != 1:
            call.tick(number)
    call.close("completed")
    return call


def calls(loaded: LoadedProtocol, size: int) -> Iterator[Call]:
    """`size` calls, oldest first, over the 365 days before NOW (the same for a seed)."""
    chance = random.Random(size)
    starts = sorted(NOW - timedelta(seconds=chance.uniform(60, 365 * 86_400)) for _ in range(size))
    for n, at in enumerate(starts):
        _name, answers, _route = PATHS[chance.randrange(len(PATHS))]
        yield whole_call(loaded, dict(answers), at, n)


def fill(store: StoreBase, size: int) -> float:
    """Write `size` calls through `begin`; seconds taken."""
    loaded = load_protocol()
    began = time.perf_counter()
    for n, call in enumerate(calls(loaded, size)):
        call_id = store.begin(call)
        store.release(call_id)
        if n and n % 5_000 == 0:
            print(f"  {n:,} calls", file=sys.stderr)
    return time.perf_counter() - began


def made_with() -> str:
    """The shipped protocol's digest: a store made with another is made again (its calls
    would not replay with this one, and the commands that read them would refuse)."""
    return load_protocol().sha256


def build_sqlite(size: int) -> Path:
    """The SQLite store of `size` calls, made once for the shipped protocol (a file `built`
    says it is whole, and which protocol it was made with)."""
    from trafficking_triage.records import SqliteStore

    folder = sqlite_dir(size)
    built = folder / "built"
    if built.is_file() and made_with() in built.read_text():
        return folder
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    folder.parent.mkdir(parents=True, exist_ok=True)
    store = SqliteStore(folder)
    try:
        seconds = fill(store, size)
    finally:
        store.close()
    built.write_text(f"{size} calls in {seconds:.0f} s, protocol {made_with()}\n")
    return folder


PG_ROOT = Path(tempfile.gettempdir()) / "trafficking-triage-scale-pg"
"""The PostgreSQL server's files (outside the checkout: the server runs as its own user)."""


class KeptServer(Server):
    """tests/postgres_server.py's throwaway server, kept in PG_ROOT between runs: made the
    first time, started again after. Stop it with `stop()` (never `remove()`)."""

    def __init__(self) -> None:
        if not (PG_ROOT / "data" / "PG_VERSION").is_file():
            super().__init__()  # made in a temporary directory, then moved to PG_ROOT
            self.stop()
            shutil.rmtree(PG_ROOT, ignore_errors=True)
            shutil.move(str(self.root), PG_ROOT)
        self.bin = _bin_dir() or Path()
        self.root = self.socket = PG_ROOT
        self.data = PG_ROOT / "data"
        self.as_root = os.geteuid() == 0
        with contextlib.suppress(RuntimeError):
            self.stop()  # left running by a run that was killed
        self.start()
        self.url = f"postgresql://triage@/postgres?host={self.socket}"

    def address(self, size: int) -> str:
        return f"postgresql://triage@/scale{size}?host={self.socket}"


def build_postgres(server: KeptServer, size: int) -> str:
    """The PostgreSQL store of `size` calls on `server`, made once (a table says it is)."""
    import psycopg

    from trafficking_triage.records.postgres import PostgresStore

    address = server.address(size)
    with psycopg.connect(server.url, autocommit=True) as db:
        exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (f"scale{size}",))
        if exists.fetchone() is not None:
            with psycopg.connect(address) as mine:
                built = mine.execute("SELECT to_regclass('scale_built')").fetchone()
                if built is not None and built[0] is not None:
                    made = mine.execute("SELECT * FROM scale_built").fetchone()
                    if made is not None and made_with() in [str(v) for v in made]:
                        return address
            db.execute(f'DROP DATABASE "scale{size}"')
    server.database(f"scale{size}")
    store = PostgresStore(address, migrate=True)  # the tables, as `store init` makes them
    try:
        seconds = fill(store, size)
    finally:
        store.close()
    with psycopg.connect(address, autocommit=True) as db:
        db.execute(
            f"CREATE TABLE scale_built AS SELECT {size} AS calls, {seconds:.0f} AS seconds,"
            f" '{made_with()}' AS protocol"
        )
        db.execute("VACUUM ANALYZE")
    return address


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL stores too")
    args = parser.parse_args(argv)
    for size in args.sizes:
        folder = build_sqlite(size)
        print(f"sqlite {size:>6,}: {(folder / 'built').read_text().strip()}")
    if args.postgres:
        server = KeptServer()
        try:
            for size in args.sizes:
                build_postgres(server, size)
                print(f"postgresql {size:>6,}: built")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
