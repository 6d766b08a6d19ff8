"""The settled-route check (engine/reach.py), against the rest of an answer's engine work in
the same run.

- after one answer on the shipped protocol, once the console has worked the protocol out
  (target: under 2 ms): `Call.settled_on()`, what a call asks after each answer, against
  recording the answer itself;
- the first answer's check with nothing worked out yet (a fresh `Reach`, made as the console
  makes it then): it stops at the second route it meets (`Reach.settled`), against working
  the whole protocol out, interleaved;
- working the shipped protocol out the first time (done in a worker after the first frame),
  against the same walk keeping everything it has seen (`Reach(project=False)`), interleaved:
  what keeping only what the rules ahead can still tell apart buys (min and median ratios);
- the synthetic protocols of bench_load.py (chains of 1,000 and 10,000 questions), from the
  start: it must finish and grow no worse than linearly (the ratio should be near 10).

    python benchmarks/bench_settle.py
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


def median_ms(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        action()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return statistics.median(times) * 1000


def measure() -> dict[str, float]:
    import tempfile

    from bench_load import generate

    from trafficking_triage.engine import Call
    from trafficking_triage.engine.reach import Reach, reach_for
    from trafficking_triage.protocol import load_protocol

    loaded = load_protocol()
    protocol = loaded.protocol
    began = time.perf_counter()
    reach = Reach(protocol)
    reach.outcomes(reach.state(protocol.protocol.start, False, []))
    first = (time.perf_counter() - began) * 1000
    reach_for(protocol).outcomes(reach.state(protocol.protocol.start, False, []))

    kept, everything = [], []
    walked: Reach | None = None
    for _ in range(5):  # interleaved, so a busy moment falls on both alike
        for project, times in ((True, kept), (False, everything)):
            # The last walk's states are let go of before the clock starts: freeing the
            # 189,000 states of a full walk took 60 ms, counted against the next walk.
            walked = None
            began = time.perf_counter()
            walked = Reach(protocol, project=project)
            walked.outcomes(walked.state(protocol.protocol.start, False, []))
            times.append((time.perf_counter() - began) * 1000)
    ratios = sorted(k / e for k, e in zip(kept, everything, strict=True))

    call = Call.start(protocol, loaded.sha256)
    # Where, can talk, danger, hurt, weapons, anyone held, callback, who is calling.
    for value in ["Main St", "yes", "no", "no", "no", "no", "no", "victim_inside"]:
        call.answer(value)
    check = median_ms(call.settled_on, 2000)

    # The first answer, nothing worked out: the state after the place is given.
    firsts, wholes = [], []
    for _ in range(7):
        began = time.perf_counter()
        fresh = Reach(protocol)
        fresh.settled(fresh.state("can_speak_freely", False, [("location", None)], ["location"]))
        firsts.append((time.perf_counter() - began) * 1000)
        began = time.perf_counter()
        fresh = Reach(protocol)
        fresh.outcomes(fresh.state(protocol.protocol.start, False, []))
        wholes.append((time.perf_counter() - began) * 1000)

    # The baseline: folding the same answer into the call's state (the engine's own work for
    # an answer), on calls prepared beforehand.
    prepared = [Call(protocol, call.events[:-1]) for _ in range(300)]
    answer = median_ms(lambda: prepared.pop()._apply(call.events[-1]), 300)
    chains = {}
    for size in (1_000, 10_000):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "generated.yaml"
            path.write_text(generate(size), encoding="utf-8")
            long = load_protocol(path).protocol

        def walk(long: object = long) -> None:
            fresh = Reach(long)  # type: ignore[arg-type]
            fresh.outcomes(fresh.state("q0", False, []))

        chains[size] = median_ms(walk, 3)
    return {
        "check": check,
        "first_answer": statistics.median(firsts),
        "whole": statistics.median(wholes),
        "answer": answer,
        "first": first,
        "kept": statistics.median(kept),
        "everything": statistics.median(everything),
        "kept_min_ratio": ratios[0],
        "kept_median_ratio": statistics.median(ratios),
        "chain_1000": chains[1_000],
        "chain_10000": chains[10_000],
    }


def main() -> int:
    found = measure()
    print(
        f"settle check after one answer: {found['check']:.3f} ms "
        f"(folding the answer into the state: {found['answer']:.3f} ms; target under 2 ms)"
    )
    print(f"working the shipped protocol out the first time: {found['first']:.1f} ms")
    print(
        f"the first answer's check, nothing worked out: {found['first_answer']:.1f} ms "
        f"(working the whole protocol out: {found['whole']:.1f} ms)"
    )
    print(
        f"keeping what the rules ahead can tell apart: {found['kept']:.1f} ms against "
        f"{found['everything']:.1f} ms keeping everything (ratio min "
        f"{found['kept_min_ratio']:.3f}, median {found['kept_median_ratio']:.3f})"
    )
    print(
        f"1,000-question chain {found['chain_1000']:.1f} ms, 10,000-question chain "
        f"{found['chain_10000']:.1f} ms: {found['chain_10000'] / found['chain_1000']:.1f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
