"""A year of a busy center: each `records` command, `--version` and the console's launch on
stores of 500, 5,000 and 50,000 calls (benchmarks/scale_stores.py, made through `begin()` and
kept between runs), against the same on 500 calls and against the floor, `python -c "import
yaml, pydantic"`, in the same run.

Every round runs each command once on each size and the floor, one after another (the sides
interleaved, so a busy moment of the machine falls on all of them alike); the figures are the
minimum and the median over rounds of the paired ratios (a size against 500 calls in the same
round; a command against the floor of its round). Peak memory (the largest resident size, from
/usr/bin/time) is of the last round. The console's launch is from starting it in a tmux pane
to its first question on screen; it is then quit with ctrl+q, as a dispatcher ends a shift, so
each launch is a usual one.

    python benchmarks/bench_scale.py [--rounds 5] [--sizes 500 5000 50000]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_console import compile_like_an_install, tmux, wait_for  # noqa: E402
from scale_stores import NOW, SIZES, KeptServer, build_postgres, build_sqlite  # noqa: E402

PYTHON = sys.executable
PROGRAM = [PYTHON, "-m", "trafficking_triage"]
FLOOR = [PYTHON, "-c", "import yaml, pydantic"]


NEW_FILE = "{new file}"
"""In a command: a path that is not there yet (the report's page is never written over)."""


def timed(command: list[str]) -> tuple[float, int]:
    """Seconds and peak KiB of one run (its output thrown away)."""
    page = Path(tempfile.gettempdir()) / f"scale-report-{uuid.uuid4().hex}.html"
    command = [str(page) if word == NEW_FILE else word for word in command]
    with tempfile.NamedTemporaryFile("r") as out:
        began = time.perf_counter()
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%M", "-o", out.name, *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        seconds = time.perf_counter() - began
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed ({done.returncode})")
        page.unlink(missing_ok=True)
        return seconds, int(out.read().split()[-1])


def launched(where: list[str]) -> float:
    """Seconds from starting the console on the store `where` names to its first question;
    quit after."""
    session = f"scale-{uuid.uuid4().hex[:8]}"
    began = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", *PROGRAM, *where)
    seconds = wait_for(session, "Where is this", began)
    tmux("send-keys", "-t", session, "C-q")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and session in tmux("list-sessions", "-F", "#S"):
        time.sleep(0.02)
    return seconds


def eighth_newest(where: list[str]) -> str:
    query = "SELECT id FROM calls ORDER BY started_at DESC LIMIT 1 OFFSET 7"
    if where[0] == "--store":
        import psycopg

        with psycopg.connect(where[1]) as db:
            found = db.execute(query).fetchone()
    else:
        db = sqlite3.connect(f"file:{Path(where[1]) / 'calls.sqlite3'}?mode=ro", uri=True)
        found = db.execute(query).fetchone()
        db.close()
    assert found is not None
    return str(found[0])


def commands(where: list[str]) -> dict[str, list[str]]:
    """The commands measured on one store (the call shown is the 8th newest)."""
    call_id = eighth_newest(where)
    month = (NOW - __import__("datetime").timedelta(days=30)).date().isoformat()
    base = [*PROGRAM, *where, "records"]
    return {
        "records list": [*base, "list"],
        "list --since (a month)": [*base, "list", "--since", month],
        "list --route officer": [*base, "list", "--route", "officer"],
        "list --status completed": [*base, "list", "--status", "completed"],
        "list --all --csv": [*base, "list", "--all", "--csv"],
        "records show": [*base, "show", call_id],
        "records review": [*base, "review", call_id],
        "records export": [*base, "export", call_id],
        # The QA report of the month before NOW: about 4,200 calls of the 50,000, each read
        # and replayed (500 calls hold about 40 in that month).
        "records report (a month)": [
            *base,
            "report",
            "--since",
            "2026-11-01",
            "--until",
            "2026-11-30",
            "--html",
            NEW_FILE,
        ],
        "--version": [*PROGRAM, "--version"],
    }


def measure(
    rounds: int, sizes: list[int], server: KeptServer | None = None
) -> dict[str, dict[int, list[tuple[float, int]]]]:
    """Every command on each store, round by round; with `server`, its PostgreSQL stores
    (the console's own data directory then a new, empty one for each launch)."""
    scratch = Path(tempfile.mkdtemp(prefix="scale-"))
    places: dict[int, list[str]] = {}
    for size in sizes:
        if server is None:
            places[size] = ["--data-dir", str(build_sqlite(size))]
        else:
            places[size] = ["--store", build_postgres(server, size), "--data-dir", str(scratch)]
    for where in places.values():  # as a console in service leaves it: migrated, checked
        launched(where)
    runs = {size: commands(where) for size, where in places.items()}
    names = list(runs[sizes[0]])
    found: dict[str, dict[int, list[tuple[float, int]]]] = {
        name: {size: [] for size in sizes} for name in [*names, "console launch", "floor"]
    }
    anchor = f"scale-anchor-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", anchor)  # the tmux server up between launches
    try:
        for _round in range(rounds):
            floor = timed(FLOOR)
            for size in sizes:
                found["floor"][size].append(floor)
                for name in names:
                    found[name][size].append(timed(runs[size][name]))
                found["console launch"][size].append((launched(places[size]), 0))
    finally:
        tmux("kill-session", "-t", anchor)
    return found


def report(found: dict[str, dict[int, list[tuple[float, int]]]], sizes: list[int]) -> str:
    smallest = sizes[0]
    lines = [
        f"{'':26}" + "".join(f"{f'{size:,} calls':>14}" for size in sizes)
        + "".join(f"{f'x{size:,}/{smallest:,}':>18}" for size in sizes[1:])
        + f"{'x floor (' + f'{sizes[-1]:,})':>16}{'peak MiB':>10}",
    ]  # fmt: skip
    floors = found["floor"][smallest]
    for name, by_size in found.items():
        if name == "floor":
            continue
        medians = [statistics.median(t for t, _ in by_size[size]) for size in sizes]
        cells = "".join(f"{m * 1000:>11.0f} ms" for m in medians)
        for size in sizes[1:]:
            ratios = [a[0] / b[0] for a, b in zip(by_size[size], by_size[smallest], strict=True)]
            cells += f"{min(ratios):>8.2f}-{statistics.median(ratios):<5.2f}med "
        largest = by_size[sizes[-1]]
        to_floor = [a[0] / f[0] for a, f in zip(largest, floors, strict=True)]
        cells += f"{min(to_floor):>8.2f}-{statistics.median(to_floor):<5.2f}med"
        peak = max(k for _, k in largest) / 1024
        cells += f"{peak:>8.0f}" if peak else f"{'-':>8}"
        lines.append(f"{name:26}{cells}")
    floor_ms = statistics.median(t for t, _ in floors) * 1000
    lines.append(f"{'floor (yaml, pydantic)':26}{floor_ms:>11.0f} ms")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument(
        "--write", action="store_true", help="keep the table in benchmarks/scale.md"
    )
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL stores too")
    args = parser.parse_args(argv)
    compile_like_an_install()
    os.environ.pop("TRAFFICKING_TRIAGE_STORE", None)  # the data directory named, never another
    parts = [
        "## A year of a busy center (bench_scale.py)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M %Z')}, {args.rounds} rounds, "
        f"{os.cpu_count()} cores; stores made by scale_stores.py through `begin()` (about 36 "
        "events a call). ms: medians; ratios: min-median of the ratios paired round by round.",
        "",
        "SQLite (each console's own store):",
        "",
        "```",
        report(measure(args.rounds, args.sizes), args.sizes),
        "```",
        "",
    ]
    if args.postgres:
        server = KeptServer()
        try:
            found = measure(args.rounds, args.sizes, server)
        finally:
            server.stop()
        parts += [
            "PostgreSQL (a center's store; the test server, on a Unix socket):",
            "",
            "```",
            report(found, args.sizes),
            "```",
            "",
        ]
    text = "\n".join(parts)
    print(text)
    if args.write:
        (HERE / "scale.md").write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
