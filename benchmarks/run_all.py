"""Every benchmark in one run: prints a table and writes it to BENCHMARKS.md.

Each row is measured against a baseline in the same run and reported as a ratio, with the
absolute medians beside it. Timings vary from run to run on a shared machine; compare ratios.

    python benchmarks/run_all.py [--quick]

--quick skips the 50,000-question protocol and uses fewer runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import bench_center  # noqa: E402
import bench_console  # noqa: E402
import bench_load  # noqa: E402
import bench_records  # noqa: E402
import bench_settle  # noqa: E402


def process_ms(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run(command, capture_output=True, check=False)
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def machine() -> str:
    import pydantic
    import textual

    return (
        f"{platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"textual {textual.__version__}, pydantic {pydantic.VERSION}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    runs = 3 if args.quick else 5
    rows: list[tuple[str, str, str, str, str]] = []
    paired_line = ""

    def row(
        what: str, ours: float, base: float, baseline: str, target: str, unit: str = "ms"
    ) -> None:
        places = 3 if max(ours, base) < 1 else 1  # a settle check is thousandths of a ms
        rows.append(
            (
                what,
                f"{ours:,.{places}f} {unit}",
                f"{base:,.{places}f} {unit} ({baseline})",
                f"{ours / base:.2f}x",
                target,
            )
        )
        print(f"{what}: {ours:,.1f} {unit} vs {base:,.1f} {unit} = {ours / base:.2f}x", flush=True)

    if shutil.which("tmux"):
        measured = bench_console.measure(7 if args.quick else 11)
        found = {k: statistics.median(v) * 1000 for k, v in measured.items()}
        pairs = bench_console.paired(measured)
        paired_line = (
            "Console figures paired run by run (each launch against the floor app launched just"
            f" before it, median over runs): launch {pairs['launch']:.2f}x, first launch"
            f" {pairs['first_launch']:.2f}x (against the bare app: launch"
            f" {pairs['launch_bare']:.2f}x, floor {pairs['floor_bare']:.2f}x); key to next question"
            f" +{pairs['key_ms']:.0f} ms, key in a burst +{pairs['burst_ms']:.0f} ms."
        )
        row(
            "floor app launch",
            found["floor_launch"],
            found["bare_launch"],
            "bare Textual app",
            "-",
        )
        row(
            "launch to first question",
            found["launch"],
            found["floor_launch"],
            "floor app: Textual + pydantic + PyYAML",
            "1.2x",
        )
        row(
            "first launch (new data directory)",
            found["first_launch"],
            found["floor_launch"],
            "floor app: Textual + pydantic + PyYAML",
            "1.35x",
        )
        row("key to next question", found["key"], found["bare_key"], "bare Textual app", "+8 ms")
        row("key in a burst", found["burst"], found["bare_burst"], "bare Textual app", "-")

    sizes = [1000, 10000] if args.quick else [1000, 10000, 50000]
    for result in bench_load.measure(sizes, runs):
        row(
            f"load+check {int(result['size']):,} questions",
            result["ours"] * 1000,
            result["baseline"] * 1000,
            "PyYAML C loader",
            "2x",
        )

    settle = bench_settle.measure()
    row(
        "settle check after one answer",
        settle["check"],
        settle["answer"],
        "folding the answer",
        "2 ms",
    )
    row(
        "settle: the first answer, nothing worked out",
        settle["first_answer"],
        settle["whole"],
        "working the whole protocol out",
        "-",
    )
    row(
        "settle: working the shipped protocol out",
        settle["kept"],
        settle["everything"],
        "keeping everything a walk saw",
        "-",
    )
    row(
        "settle: 10,000-question chain",
        settle["chain_10000"],
        settle["chain_1000"],
        "1,000-question chain",
        "~10x",
    )

    with tempfile.TemporaryDirectory(dir=ROOT) as folder:
        paired = bench_records.measure(Path(folder), 300, 10)
    row("commit one event", paired.ours_ms, paired.bare_ms, "bare sqlite3 insert+commit", "1.5x")
    commits = [("commit one event", paired)]
    # The center's store, the same way: sides in turns, block by block.
    paired = bench_center.medians(300)
    row(
        "commit one event (PostgreSQL)",
        paired.ours_ms,
        paired.bare_ms,
        "bare psycopg insert+commit",
        "2x",
    )
    commits.append(("commit one event (PostgreSQL)", paired))

    python = [sys.executable]
    cli = [*python, "-m", "trafficking_triage"]
    floor = [*python, "-c", "import yaml, pydantic"]
    decide = [*cli, "decide", "{location: x, can_speak_freely: 'yes', danger_now: 'yes'}"]
    with tempfile.TemporaryDirectory() as data:
        listing = [*cli, "--data-dir", data, "records", "list"]
        # The floors of the commands that read the protocol into its models (model_floor.py).
        shipped = Path(data) / "protocol.json"
        from trafficking_triage.protocol import load_protocol

        shipped.write_text(json.dumps(load_protocol().data), encoding="utf-8")
        models = [*python, str(HERE / "model_floor.py")]
        for what, command, target in (
            ("--version (process)", [*cli, "--version"], "1.5x"),
            ("records list (process)", listing, "1.5x"),
            ("decide (process)", decide, "3x"),
            ("validate (process)", [*cli, "validate"], "3x"),
            ("floor: one pydantic model (process)", models, "-"),
            ("floor: the protocol's models, validated (process)", [*models, str(shipped)], "-"),
        ):
            # Each run of the command against the floor run just before it.
            pairs = [(process_ms(command, 1), process_ms(floor, 1)) for _ in range(runs * 2)]
            ours = statistics.median(p[0] for p in pairs)
            base = statistics.median(p[1] for p in pairs)
            row(what, ours, base, "python -c 'import yaml, pydantic'", target)

    def peak(kind: str) -> float:
        out = subprocess.run(
            [*python, str(HERE / "peak_memory.py"), kind],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.strip().splitlines()[-1]) / 1024

    row(
        "peak memory, call in progress",
        peak("console"),
        peak("bare"),
        "bare Textual app",
        "-",
        "MiB",
    )

    lines = [
        "# Benchmarks",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {machine()}.",
        "Made by `python benchmarks/run_all.py`; every row against its baseline in the same run.",
        "",
        "| measure | ours | baseline | ratio | target |",
        "|---|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows],
        "",
    ]
    if paired_line:
        lines += [paired_line, ""]
    lines += [
        "Commits, the two sides in turns, ten blocks of 30 events (each block's median ratio):"
        + "; ".join(
            f" {what} min {found.ratio_min:.2f}x, median {found.ratio_median:.2f}x"
            for what, found in commits
        )
        + ".",
        "",
    ]
    # suite.md and scale.md: bench_suite.py and bench_scale.py, run on their own (minutes).
    for kept in ("NOTES.md", "scale.md", "suite.md"):
        notes = ROOT / "benchmarks" / kept
        if notes.exists():
            lines += [notes.read_text().rstrip(), ""]
    (ROOT / "BENCHMARKS.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
