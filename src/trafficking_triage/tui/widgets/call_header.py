"""The top line of a call screen: program, elapsed call time and the caller's mode."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static

from ...engine import Call
from ..words import elapsed, set_content


class CallHeader(Static):
    def show(self, call: Call, now: datetime, where: str, unsaved: str | None = None) -> None:
        started = call.state.started
        seconds = (now - started.at).total_seconds() if started else 0
        training = started is not None and started.training
        parts: list[str | tuple[str, str]] = [
            (" TRAINING " if training else " TRAFFICKING TRIAGE ", "bold reverse"),
            f"  call {elapsed(seconds)}  ",
            where,
        ]
        if unsaved is not None:
            parts += ["  ", (" ⚠ NOT SAVED: ctrl+s ", "bold reverse")]
        if call.closed_mode():
            parts += ["  ", (" ⚠ YES/NO ONLY ", "bold reverse")]
        set_content(self, Content.assemble(*parts))
