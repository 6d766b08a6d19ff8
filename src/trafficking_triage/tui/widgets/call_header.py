"""The top line of a call screen: program, elapsed call time and the caller's mode."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import elapsed, set_content

if TYPE_CHECKING:
    from ...engine import Call


class CallHeader(Static):
    def show(self, call: Call, now: datetime, where: str, unsaved: str | None = None) -> None:
        started = call.state.started
        self.show_parts(
            seconds=(now - started.at).total_seconds() if started else 0,
            training=started is not None and started.training,
            yes_no_only=call.yes_no_only(),
            where=where,
            unsaved=unsaved,
        )

    def show_parts(
        self, *, seconds: float, training: bool, yes_no_only: bool, where: str, unsaved: str | None
    ) -> None:
        parts: list[str | tuple[str, str]] = [
            (" TRAINING " if training else " TRAFFICKING TRIAGE ", "bold reverse"),
            f"  call {elapsed(seconds)}  ",
            where,
        ]
        if unsaved is not None:
            parts += ["  ", (" ⚠ NOT SAVED: ctrl+s ", "bold reverse")]
        if yes_no_only:
            parts += ["  ", (" ⚠ YES/NO ONLY ", "bold reverse")]
        set_content(self, Content.assemble(*parts))
