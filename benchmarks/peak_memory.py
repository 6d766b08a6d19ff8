"""Peak memory (max RSS) of a process holding a call in progress, or of the bare app.

Run as a child of run_all.py: `python benchmarks/peak_memory.py console|bare` prints KiB."""

from __future__ import annotations

import asyncio
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))


async def console() -> None:
    from trafficking_triage.console import ConsoleOptions
    from trafficking_triage.tui.app import make_app

    app = make_app(ConsoleOptions(blink=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "n", "n", "n", "4", "y", *["n"] * 8)
        await pilot.pause()


async def bare() -> None:
    from minimal_app import MinimalApp

    app = MinimalApp()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await pilot.pause()


def peak_kib() -> int:
    """The process's own high-water mark. ru_maxrss would also count the parent's memory
    copied at fork, before this program was exec'd; /proc's VmHWM starts afresh at exec."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


if __name__ == "__main__":
    asyncio.run(console() if sys.argv[1] == "console" else bare())
    print(peak_kib())
