"""How long the test suite takes, in one run on this machine: the whole suite one test at a time
(the baseline: how it ran before the suite was split across cores), the whole suite on every
core (`-n auto`, what CI runs), and the quick subset (`-m "not slow"`, before a commit).
Writes benchmarks/suite.md, which run_all.py puts into BENCHMARKS.md.

    python benchmarks/bench_suite.py

Not a pass/fail test: the targets (the whole suite in 4 minutes on 2 cores, the quick subset
in 60 s) are read here, by people."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

RUNS = [
    ("whole suite, one test at a time (baseline)", ["-n", "0"], "-"),
    ("whole suite, one worker a core", ["-n", str(os.cpu_count() or 1)], "-"),
    ("whole suite, `-n auto` (CI: two workers a core)", ["-n", "auto"], "4 min on 2 cores"),
    ('quick subset, `-n auto -m "not slow"`', ["-n", "auto", "-m", "not slow"], "60 s"),
]


def timed(args: list[str]) -> tuple[float, str]:
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    summary = (done.stdout.strip().splitlines() or ["?"])[-1].strip("= ")
    return time.monotonic() - started, summary


def main() -> int:
    rows = []
    for name, args, target in RUNS:
        seconds, summary = timed(args)
        rows.append(f"| {name} | {seconds / 60:.1f} min ({seconds:.0f} s) | {summary} | {target} |")
        print(rows[-1], flush=True)
    lines = [
        "## The test suite",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores by"
        " `python benchmarks/bench_suite.py`, the runs one after another on the same commit:",
        "",
        "| run | wall time | tests | target |",
        "|---|---|---|---|",
        *rows,
        "",
    ]
    (ROOT / "benchmarks" / "suite.md").write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
