"""Running the console from the command: the files checked and the App built (`make_app`), with
Python's cycle collector paused until the first frame is out (collector.py). Called by `cli`
for the bare command and `train`.
"""

from __future__ import annotations

from ..console import ConsoleOptions
from . import collector


def run(options: ConsoleOptions) -> int:
    """Open the console and take calls until it is quit; its exit status."""
    from .app import make_app
    from .web_link import watch

    collector.pause()
    try:
        app = make_app(options)
        watch(lambda: app.call_from_thread(app.exit))  # a tab of `serve`: none left to read
        try:
            result = app.run()
        finally:
            app.session.end_console()
    finally:
        collector.resume()
    if isinstance(result, int):
        return result
    return app.return_code or 0  # 1 after a crash (Textual's own report shown)
