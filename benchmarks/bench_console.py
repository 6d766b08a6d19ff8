"""The console in a real terminal (a tmux pane), against a bare Textual app in the same run.

Three measurements, each the median of several runs, printed with their ratio:
- launch: from starting the process to the first question on screen, against the bare app
  showing its one line (target: at most 1.3x). This is the usual launch, on a protocol and
  settings that an earlier console already checked, so the saved first question is shown
  while the engine loads (see first_view);
- first launch: the same, with nothing saved (a new install, or a protocol just edited):
  the protocol and settings are checked in full before the screen is drawn;
- key: from a key press to the next question on screen, against the bare app redrawing its
  line after a key (target: within one frame, 16 ms, of the bare app's round trip). Each of
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
import hashlib
import json
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
    """Seconds from `began` until `text` is in the pane."""
    while time.perf_counter() - began < limit:
        if text in tmux("capture-pane", "-p", "-t", session):
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


# The console's header counts the questions, so each answer is seen by its new number. The keys
# answer the safety questions, pick "general worry", say the caller can talk, then screen.
ANSWER_KEYS = ["n", "n", "n", "4", "y", *["n"] * 10]
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


def saved_first_question() -> str:
    """What a console leaves for the next one: run it once and quit it properly."""
    seed = tempfile.mkdtemp(prefix="bench-console-seed-")
    session, _ = launch([PYTHON, "-m", "trafficking_triage", "--data-dir", seed], "Where is")
    tmux("send-keys", "-t", session, "C-q")
    wait_for(session, "Quit with this call", time.perf_counter())
    tmux("send-keys", "-t", session, "y")
    saved = Path(seed) / "first-question.json"
    began = time.perf_counter()
    while not saved.exists() or tmux("list-sessions").count(session):
        if time.perf_counter() - began > 15:
            raise TimeoutError("the console saved no first question")
        time.sleep(0.05)
    text = saved.read_text(encoding="utf-8")
    shutil.rmtree(seed, ignore_errors=True)
    if json.loads(text)["key"] != expected_key():
        # Otherwise every "launch" below would quietly measure the full check instead.
        raise RuntimeError("the saved first question does not match this protocol and program")
    return text


def expected_key() -> str | None:
    """The key the console will look for: the shipped protocol, the user's settings file if
    there is one, and this program."""
    from trafficking_triage.first_view import view_key
    from trafficking_triage.paths import default_protocol_path, default_settings_path

    settings = default_settings_path()
    return view_key(
        hashlib.sha256(default_protocol_path().read_bytes()).hexdigest(),
        hashlib.sha256(settings.read_bytes()).hexdigest() if settings.exists() else None,
    )


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
    # A data directory of its own each run: the benchmark ends the console by killing it,
    # which leaves an unfinished call that the next launch would (rightly) offer to resume.
    scratch = tempfile.mkdtemp(prefix="bench-console-")
    console = [PYTHON, "-m", "trafficking_triage", "--data-dir", scratch]
    saved = saved_first_question()
    names = ("bare_launch", "launch", "first_launch", "bare_key", "key", "bare_burst", "burst")
    results: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(runs):
        session, seconds = launch(bare, "minimal ready")
        results["bare_launch"].append(seconds)
        trips = answer_keys(session, ["n"] * len(ANSWER_KEYS), lambda i: f"minimal pressed {i + 1}")
        results["bare_key"] += settled(trips)
        results["bare_burst"] += burst(trips)
        tmux("kill-session", "-t", session)

        shutil.rmtree(scratch, ignore_errors=True)
        session, seconds = launch(console, "Where is this happening")
        results["first_launch"].append(seconds)
        tmux("kill-session", "-t", session)

        shutil.rmtree(scratch, ignore_errors=True)
        Path(scratch).mkdir(mode=0o700)
        (Path(scratch) / "first-question.json").write_text(saved, encoding="utf-8")
        session, seconds = launch(console, "Where is this happening")
        results["launch"].append(seconds)
        tmux("send-keys", "-t", session, "-l", "Main St")
        tmux("send-keys", "-t", session, "Enter")
        wait_for(session, "question 2", time.perf_counter())
        trips = answer_keys(session, ANSWER_KEYS, lambda i: f"question {i + 3}")
        results["key"] += settled(trips)
        results["burst"] += burst(trips)
        tmux("kill-session", "-t", session)
    shutil.rmtree(scratch, ignore_errors=True)
    return results


def paired(results: dict[str, list[float]]) -> dict[str, float]:
    """Each run against the bare app measured just before it, then the median over runs:
    steadier than a ratio of medians on a shared machine whose speed drifts between runs."""
    runs = len(results["launch"])

    def keys_of(name: str, run: int) -> float:
        per_run = len(results[name]) // runs
        return statistics.median(results[name][run * per_run : (run + 1) * per_run])

    return {
        "launch": statistics.median(
            results["launch"][i] / results["bare_launch"][i] for i in range(runs)
        ),
        "first_launch": statistics.median(
            results["first_launch"][i] / results["bare_launch"][i] for i in range(runs)
        ),
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
    print(
        f"{'':28} {'console ms':>11} {'bare app ms':>12} {'ratio':>7} {'diff ms':>8} {'paired':>8}"
    )
    for label, ours, base, pair in (
        ("launch to first question", "launch", "bare_launch", f"{pairs['launch']:.2f}x"),
        (
            "first launch (none saved)",
            "first_launch",
            "bare_launch",
            f"{pairs['first_launch']:.2f}x",
        ),
        ("key to next question", "key", "bare_key", f"+{pairs['key_ms']:.0f} ms"),
        ("key in a burst", "burst", "bare_burst", f"+{pairs['burst_ms']:.0f} ms"),
    ):
        print(
            f"{label:28} {found[ours]:>11.0f} {found[base]:>12.0f}"
            f" {found[ours] / found[base]:>6.2f}x {found[ours] - found[base]:>8.0f} {pair:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
