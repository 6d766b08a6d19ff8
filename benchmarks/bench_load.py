"""Loading and checking a protocol, against PyYAML's C loader parsing the same file.

Generates protocols of 1,000, 10,000 and 50,000 questions (a chain of yes/no questions whose
answers record indicators, then a decision and two outcomes), and for each size prints the
median time of `load_protocol` (read, parse with positions, validate, check the graph) and of a
bare `yaml.load(text, CSafeLoader)` of the same text, measured in the same run, and their ratio.
The loader pauses Python's cycle collector while it builds objects, so the bare parse is also
timed with the collector off, and that ratio printed too: the fairer of the two.
Target: at most 2x at 10,000 questions, and time growing linearly with size.

    python benchmarks/bench_load.py [--sizes 1000 10000 50000] [--runs 5]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.generated import generate
from trafficking_triage.protocol import load_protocol


def median_seconds(action: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure(sizes: list[int], runs: int) -> list[dict[str, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"protocol-{size}.yaml"
            text = generate(size)
            path.write_text(text, encoding="utf-8")
            loaded = load_protocol(path)  # also proves the generated file is valid
            assert len(loaded.protocol.questions) == size

            def bare(text: str = text) -> object:
                return yaml.load(text, Loader=yaml.CSafeLoader)  # the safe C loader

            def ours(path: Path = path) -> object:
                return load_protocol(path)

            def bare_collector_off(text: str = text) -> object:
                gc.disable()
                try:
                    return bare(text)
                finally:
                    gc.enable()

            baseline = median_seconds(bare, runs)
            quiet = median_seconds(bare_collector_off, runs)
            measured = median_seconds(ours, runs)
            rows.append(
                {
                    "size": size,
                    "baseline": baseline,
                    "quiet": quiet,
                    "ours": measured,
                    "ratio": measured / baseline,
                    "ratio_quiet": measured / quiet,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    rows = measure(args.sizes, args.runs)
    print(
        f"{'questions':>10} {'C loader ms':>12} {'(gc off) ms':>12} {'load+check ms':>14}"
        f" {'ratio':>6} {'(gc off)':>9} {'ms/1k q':>8}"
    )
    for row in rows:
        per_thousand = row["ours"] * 1000 / (row["size"] / 1000)
        print(
            f"{row['size']:>10,} {row['baseline'] * 1000:>12.1f} {row['quiet'] * 1000:>12.1f}"
            f" {row['ours'] * 1000:>14.1f} {row['ratio']:>5.2f}x {row['ratio_quiet']:>8.2f}x"
            f" {per_thousand:>8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
