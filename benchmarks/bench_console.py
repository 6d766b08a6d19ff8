"""The console in a real terminal (a tmux pane), against a bare Textual app in the same run.

The measurements, each the median of several runs, printed with their ratio:
- launch: from starting the process to the first question on screen, with the protocol and
  settings checked in full first (there is one way to start), against the floor app (the bare
  app that also reads a line of YAML into one pydantic model, `floor_app.py`: what any console on
  this stack pays; target: at most 1.2x) and the bare app showing its one line. The data
  directory holds the records of earlier calls, as on a console in service;
- first launch: the same into a new, empty data directory (a new install: the records
  database is created first; target: at most 1.35x);
- key: from a key press to the next question on screen, against the bare app redrawing its
  line after a key (target: within 8 ms of the bare app's round trip). Each of
  these keys is pressed once the screen has settled (0.3 s after the last answer showed), as a
  dispatcher presses them: between two answers the caller speaks;
- key in a burst: the same, for a key pressed the moment the last answer showed (a script, or
  keys typed ahead). Textual draws at most sixty frames a second, and any frame still owed for
  the last answer (the trail scrolling to it, say) comes first; reported, with no target.

Time is read by polling the pane, so both sides carry the same polling cost. Fifteen answers a
run (safety, caller and screening questions), every other one pressed in a burst; the figures
are medians.

    python benchmarks/bench_console.py [--runs 7]
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False).stdout


def wait_for(session: str, text: str, began: float, limit: float = 15.0) -> float:
    """Seconds from `began` until `text` is in the pane (a header that has to shorten its
    "question 12" says "Q12": either counts)."""
    short = text.replace("question ", "Q") if text.startswith("question ") else text
    while time.perf_counter() - began < limit:
        pane = tmux("capture-pane", "-p", "-t", session)
        if text in pane or f"{short} " in pane:
            return time.perf_counter() - began
        time.sleep(0.002)
    raise TimeoutError(f"never saw {text!r}")


def launch(command: list[str], ready: str) -> tuple[str, float]:
    session = f"bench-{uuid.uuid4().hex[:8]}"
    began = time.perf_counter()
    tmux("new-session", "-d", "-s", session, "-x", "80", "-y", "24", *command)
    return session, wait_for(session, ready, began)


def key_round_trip(session: str, key: str, expect: str) -> float:
    began = time.perf_counter()
    tmux("send-keys", "-t", session, key)
    return wait_for(session, expect, began)


# The console's header counts the questions, so each answer is seen by its new number. After the
# typed location and "the caller can talk", the keys answer the safety questions and the
# callback, pick "I am worried about someone", say the caller does not work there, then screen.
ANSWER_KEYS = ["n", "n", "n", "n", "n", "7", "n", *["n"] * 9]
SETTLE = 0.3
"""Seconds between an answer showing and the next key, for the keys pressed as a dispatcher
presses them; the others follow at once (a burst)."""


def answer_keys(session: str, keys: list[str], expect: Callable[[int], str]) -> list[float]:
    """Round trips of the keys, alternately pressed on a settled screen and at once."""
    trips = []
    for index, key in enumerate(keys):
        if index % 2 == 0:
            time.sleep(SETTLE)
        trips.append(key_round_trip(session, key, expect(index)))
    return trips


def settled(trips: list[float]) -> list[float]:
    return trips[0::2]


def burst(trips: list[float]) -> list[float]:
    return trips[1::2]


def compile_like_an_install() -> None:
    """Write the bytecode of every module of the console, as pip does when it installs the
    program: an installed console never compiles its source at launch, and the bare app's
    Textual modules are precompiled the same way. A checkout may lack it (an editable install,
    or PYTHONDONTWRITEBYTECODE set), which would add the compiling to every launch."""
    import trafficking_triage

    compileall.compile_dir(Path(trafficking_triage.__file__).parent, quiet=1)


def measure(runs: int) -> dict[str, list[float]]:
    compile_like_an_install()
    # A session of its own keeps the tmux server up between launches, so no launch pays for
    # starting the server.
    anchor = f"bench-anchor-{uuid.uuid4().hex[:8]}"
    tmux("new-session", "-d", "-s", anchor)
    try:
        return _measure(runs)
    finally:
        tmux("kill-session", "-t", anchor)


def _measure(runs: int) -> dict[str, list[float]]:
    bare = [PYTHON, str(HERE / "minimal_app.py")]
    floor = [PYTHON, str(HERE / "floor_app.py")]
    # A data directory of its own each run: the benchmark ends the console by killing it,
    # which leaves an unfinished call that the next launch would (rightly) offer to resume.
    scratch = tempfile.mkdtemp(prefix="bench-console-")
    console = [PYTHON, "-m", "trafficking_triage", "--data-dir", scratch]
    names = (
        *("bare_launch", "floor_launch", "launch", "first_launch"),
        *("bare_key", "key", "bare_burst", "burst"),
    )
    results: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(runs):
        session, seconds = launch(bare, "minimal ready")
        results["bare_launch"].append(seconds)
        trips = answer_keys(session, ["n"] * len(ANSWER_KEYS), lambda i: f"minimal pressed {i + 1}")
        results["bare_key"] += settled(trips)
        results["bare_burst"] += burst(trips)
        tmux("kill-session", "-t", session)

        session, seconds = launch(floor, "minimal ready")
        results["floor_launch"].append(seconds)
        tmux("kill-session", "-t", session)

        shutil.rmtree(scratch, ignore_errors=True)
        os.mkdir(scratch, 0o700)  # new and empty: a named data directory must exist
        session, seconds = launch(console, "Where is this happening")
        results["first_launch"].append(seconds)
        tmux("kill-session", "-t", session)

        shutil.rmtree(scratch, ignore_errors=True)
        seed_records(Path(scratch))
        session, seconds = launch(console, "Where is this happening")
        results["launch"].append(seconds)
        tmux("send-keys", "-t", session, "-l", "Main St")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "question 2", time.perf_counter())
        tmux("send-keys", "-t", session, "y")
        wait_for(session, "question 3", time.perf_counter())
        trips = answer_keys(session, ANSWER_KEYS, lambda i: f"question {i + 4}")
        results["key"] += settled(trips)
        results["burst"] += burst(trips)
        tmux("kill-session", "-t", session)
    shutil.rmtree(scratch, ignore_errors=True)
    return results


def seed_records(directory: Path) -> None:
    """A data directory as a console in service has it: the records database, with a
    finished call in it (and no unfinished one, which would be offered first)."""
    from trafficking_triage.console import ConsoleOptions, open_session

    # Made first, as a console in service finds it: the protocol is remembered as checked
    # only in a directory that exists (a console's very first launch makes it afterwards).
    directory.mkdir(mode=0o700, exist_ok=True)
    session = open_session(ConsoleOptions(data_dir=directory))
    session.start()
    session.answer("Main St")
    session.escalate()
    session.close_call()
    session.end_console()


def paired(results: dict[str, list[float]]) -> dict[str, float]:
    """Each run against the bare app measured just before it, then the median over runs:
    steadier than a ratio of medians on a shared machine whose speed drifts between runs."""
    runs = len(results["launch"])

    def keys_of(name: str, run: int) -> float:
        per_run = len(results[name]) // runs
        return statistics.median(results[name][run * per_run : (run + 1) * per_run])

    def launches(name: str, base: str) -> float:
        return statistics.median(results[name][i] / results[base][i] for i in range(runs))

    return {
        "launch": launches("launch", "floor_launch"),
        "first_launch": launches("first_launch", "floor_launch"),
        "launch_bare": launches("launch", "bare_launch"),
        "floor_bare": launches("floor_launch", "bare_launch"),
        "key_ms": statistics.median(
            (keys_of("key", i) - keys_of("bare_key", i)) * 1000 for i in range(runs)
        ),
        "burst_ms": statistics.median(
            (keys_of("burst", i) - keys_of("bare_burst", i)) * 1000 for i in range(runs)
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    args = parser.parse_args(argv)
    if shutil.which("tmux") is None:
        print("bench_console: needs tmux", file=sys.stderr)
        return 2
    measured = measure(args.runs)
    found = {name: statistics.median(values) * 1000 for name, values in measured.items()}
    pairs = paired(measured)
    print(f"{'':28} {'ms':>7} {'against':>26} {'ratio':>7} {'paired':>8}")
    rows = (
        ("floor app launch", "floor_launch", "bare_launch", f"{pairs['floor_bare']:.2f}x"),
        ("launch to first question", "launch", "floor_launch", f"{pairs['launch']:.2f}x"),
        ("  the same, against bare", "launch", "bare_launch", f"{pairs['launch_bare']:.2f}x"),
        (
            "first launch (new records)",
            "first_launch",
            "floor_launch",
            f"{pairs['first_launch']:.2f}x",
        ),
        ("key to next question", "key", "bare_key", f"+{pairs['key_ms']:.0f} ms"),
        ("key in a burst", "burst", "bare_burst", f"+{pairs['burst_ms']:.0f} ms"),
    )
    for label, ours, base, pair in rows:
        against = f"{found[base]:.0f} ms ({base.split('_')[0]} app)"
        print(
            f"{label:28} {found[ours]:>7.0f} {against:>26}"
            f" {found[ours] / found[base]:>6.2f}x {pair:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
