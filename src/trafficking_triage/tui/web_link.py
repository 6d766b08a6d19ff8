"""A console that `serve` started for a browser tab ends by itself once nobody is there to
read it: its standard output's reader gone (the pipe's far end closed) or its standard input
at its end (no writer left). `serve` ends its consoles on the way out; this is for the ways
out it cannot see (killed, crashed), where the console would otherwise run on unread.

It leaves as a console quit in the middle of a call does: the call stays open, offered again
as an unfinished training call, and whatever waits to be written is written on the way out.
A console that cannot leave (stuck writing to a pipe nobody reads) is ended a moment later,
as a killed one: every event of its call written so far is in the records. Started by
`launch.run`, only under Textual's web driver (the one textual-serve names in the console's
environment).
"""

from __future__ import annotations

import os
import select
import threading
import time
from collections.abc import Callable

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
EVERY = 0.5
"""Seconds between two looks at the pipes."""
GRACE = 2.0
"""Seconds a console has to leave by itself before it is ended."""


def served() -> bool:
    """The console runs for a browser tab, its terminal two pipes to `serve`."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def reader_gone(stdin: int = 0, stdout: int = 1) -> bool:
    """Whether the other end of the console's pipes is gone. Nothing is read or written:
    a pipe with no writer left reports a hang-up, one with no reader left an error."""
    poller = select.poll()
    poller.register(stdin, 0)  # hang-ups and errors are reported whatever is asked for
    poller.register(stdout, 0)
    ended = select.POLLHUP | select.POLLERR | select.POLLNVAL
    return any(events & ended for _fd, events in poller.poll(0))


def watch(leave: Callable[[], None]) -> None:
    """Under the web driver, once the reader is gone: `leave` (the console quits), and end
    the process if it has not within GRACE (watched from a thread of its own, so a console
    stuck writing to a full pipe is ended too)."""
    if served():
        threading.Thread(target=_watch, args=(leave,), name="web-link", daemon=True).start()


def _watch(leave: Callable[[], None]) -> None:
    while not reader_gone():
        time.sleep(EVERY)
    threading.Thread(target=leave, name="web-link-leave", daemon=True).start()
    time.sleep(GRACE)
    os._exit(0)  # as a killed console: its call is in the records, open, offered again
