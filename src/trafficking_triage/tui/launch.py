"""Running the console from the command: the files checked and the App built (`make_app`), with
Python's cycle collector paused until the first frame is out.

Building Textual and the first screen makes tens of thousands of objects and no garbage, yet
the cycle collector would walk them all again and again meanwhile. `run` pauses it; the App's
first frame (`resume_collector`, called on Textual's Ready) sets what exists aside for good
and resumes it. Called by `cli` for the bare command and `train`.
"""

from __future__ import annotations

import gc

from ..session import ConsoleOptions

_paused = False


def run(options: ConsoleOptions) -> int:
    """Open the console and take calls until it is quit; its exit status."""
    global _paused
    from .app import make_app
    from .web_link import watch

    _paused = gc.isenabled()
    gc.disable()
    try:
        app = make_app(options)
        watch(lambda: app.call_from_thread(app.exit))  # a tab of `serve`: none left to read
        try:
            result = app.run()
        finally:
            app.session.shut()
    finally:
        resume_collector()
    if isinstance(result, int):
        return result
    return app.return_code or 0  # 1 after a crash (Textual's own report shown)


def resume_collector() -> None:
    """The first frame is out: what was built until now stays for the whole run, so it is
    frozen (never walked again), and the collector runs again."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()
