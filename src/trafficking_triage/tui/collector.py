"""Python's cycle collector, paused while the console builds its first screen.

Building Textual and the first screen makes tens of thousands of objects and no garbage, yet
the cycle collector would walk them all again and again meanwhile. `launch.run` pauses it; the
App's first frame (`resume`, called on Textual's Ready) sets what exists aside for good and
resumes it. A module of its own, so the App and its launcher do not import each other."""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    global _paused
    _paused = gc.isenabled()
    gc.disable()


def resume() -> None:
    """The first frame is out: what was built until now stays for the whole run, so it is
    frozen (never walked again), and the collector runs again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
