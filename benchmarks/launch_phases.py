"""Where a launch's time goes, phase by phase: the console against the floor app, each in a
tmux pane at 80x24, timed from inside the process by a tracer (`_phase_tracer.py`) that wraps
the program's entry and Textual's writes to the terminal.

Phases, each from the one before (the tracer starts them all at the same moment, once the
interpreter is up):
- code: the program's modules imported (for the floor app: Textual, PyYAML, pydantic and one
  model's class; for the console: the same and all of its own);
- files: the floor app validates its line; the console checks the protocol and settings and
  opens the record store (`make_app`);
- app up: Textual starts the app, up to its Ready (the screen composed, styles applied);
- first frame: from Ready to the first full screen written to the terminal.

    python benchmarks/launch_phases.py [--runs 7]

Prints the median of each phase for both, and what the console spends beyond the floor app
in each. The data directory holds a finished call and the remembered protocol (the usual
launch, as in bench_console.py).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench_console  # noqa: E402

PHASES = ("code", "files", "app up", "first frame")


def traced(argv: list[str], ready: str) -> dict[str, float]:
    """One launch through the tracer: the ms of each phase."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "phases.json"
        session = f"phases-{uuid.uuid4().hex[:8]}"
        tracer = [bench_console.PYTHON, str(HERE / "_phase_tracer.py"), *argv]
        command = ["env", f"PHASES_OUT={out}", *tracer]
        bench_console.tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", *command)
        try:
            bench_console.wait_for(session, ready, time.perf_counter())
            for _ in range(500):  # the tracer writes its file once the first frame is out
                if out.exists() and out.stat().st_size:
                    break
                time.sleep(0.01)
            marks = json.loads(out.read_text())
        finally:
            bench_console.tmux("kill-session", "-t", session)
    ends = [marks[name] for name in ("code", "files", "ready", "frame")]
    starts = [0.0, *ends[:-1]]
    spans = zip(PHASES, ends, starts, strict=True)
    return {name: (end - start) * 1000 for name, end, start in spans}


def measure(runs: int) -> dict[str, list[dict[str, float]]]:
    bench_console.compile_like_an_install()
    anchor = f"phases-anchor-{uuid.uuid4().hex[:8]}"
    bench_console.tmux("new-session", "-d", "-s", anchor)
    found: dict[str, list[dict[str, float]]] = {"floor": [], "console": []}
    try:
        for _ in range(runs):
            found["floor"].append(traced(["floor"], "minimal ready"))
            scratch = Path(tempfile.mkdtemp(prefix="phases-"))
            shutil.rmtree(scratch)
            bench_console.seed_records(scratch)
            try:
                found["console"].append(
                    traced(["console", "--data-dir", str(scratch)], "Where is this happening")
                )
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
    finally:
        bench_console.tmux("kill-session", "-t", anchor)
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("launch_phases: needs tmux", file=sys.stderr)
        return 2
    found = measure(args.runs)
    print(f"{'phase (ms, median)':22} {'floor app':>10} {'console':>10} {'beyond':>10}")
    totals = {"floor": 0.0, "console": 0.0}
    for phase in PHASES:
        floor = statistics.median(run[phase] for run in found["floor"])
        console = statistics.median(run[phase] for run in found["console"])
        totals["floor"] += floor
        totals["console"] += console
        print(f"{phase:22} {floor:>10.1f} {console:>10.1f} {console - floor:>+10.1f}")
    beyond = totals["console"] - totals["floor"]
    print(f"{'sum':22} {totals['floor']:>10.1f} {totals['console']:>10.1f} {beyond:>+10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
