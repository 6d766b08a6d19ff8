"""The tracer launch_phases.py runs each program through: the moments a launch's phases end,
written as JSON to $PHASES_OUT once the first full screen is out.

    python _phase_tracer.py floor
    python _phase_tracer.py console [ARGS...]

It wraps Textual's terminal writes and the app's Ready handling (benchmark code only; it leans
on Textual's `LinuxDriver.write` and `App._ready`)."""

from __future__ import annotations

import time

BEGAN = time.perf_counter()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

marks: dict[str, float] = {}


def mark(name: str) -> None:
    marks.setdefault(name, time.perf_counter() - BEGAN)


def hook_textual() -> None:
    from textual.app import App
    from textual.drivers.linux_driver import LinuxDriver

    write = LinuxDriver.write

    def traced_write(self: LinuxDriver, data: str) -> None:
        write(self, data)
        if len(data) > 1000 and "frame" not in marks:  # the first full screen
            mark("frame")
            Path(os.environ["PHASES_OUT"]).write_text(json.dumps(marks))

    ready = App._ready

    async def traced_ready(self: App[Any]) -> None:
        mark("ready")
        await ready(self)

    LinuxDriver.write = traced_write  # type: ignore[method-assign]
    App._ready = traced_ready  # type: ignore[method-assign]


def floor() -> None:
    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import floor_app
    import yaml

    hook_textual()
    mark("code")
    floor_app.Line.model_validate(yaml.safe_load("text: minimal ready"))
    mark("files")
    floor_app.MinimalApp().run()


def console(args: list[str]) -> None:
    from trafficking_triage.cli.main import main
    from trafficking_triage.tui import app as console_app

    hook_textual()
    mark("code")
    make_app = console_app.make_app

    def traced_make_app(options: Any) -> Any:
        made = make_app(options)
        mark("files")
        return made

    console_app.make_app = traced_make_app  # type: ignore[assignment]
    sys.exit(main(args))


if __name__ == "__main__":
    if sys.argv[1] == "floor":
        floor()
    else:
        console(sys.argv[2:])
