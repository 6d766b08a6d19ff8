"""Shown after a call is closed: how it ended, and the key for the next call."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...clock import time_of_day
from ..widgets.key_hints import KeyHints
from ..widgets.too_small import TooSmall
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...console import CallSession
    from ...engine import Call


def screen_after(session: CallSession) -> SizedScreen[None]:
    """The screen after a call closes: the debrief of a training call, else this one."""
    call = session.call
    assert call is not None and call.state.closed is not None
    if session.scenario is not None:
        from ...training.debrief import debrief
        from .debrief_screen import DebriefScreen

        return DebriefScreen(session.scenario, debrief(session.scenario, call, session.rubric))
    return ClosedScreen(call)


class ClosedScreen(SizedScreen[None]):
    BINDINGS = [Binding("enter", "app.new_call", "New call", id="new_call")]

    def __init__(self, call: Call) -> None:
        super().__init__()
        self.call = call

    def compose(self) -> ComposeResult:
        call = self.call
        closed = call.state.closed
        route = call.state.route
        lines = [Content.styled("CALL CLOSED", "bold reverse")]
        if closed is not None:
            lines.append(Content(f"Closed as {closed.how} at {time_of_day(closed.at)}."))
        if route is not None:
            lines.append(Content(f"Route: {call.protocol.outcomes[route.outcome].title}"))
        if closed is not None and closed.open_steps:
            steps = ", ".join(str(n) for n in closed.open_steps)
            lines.append(Content(f"Steps recorded as left open: {steps}"))
        lines.append(Content.assemble("\nPress ", (" Enter ", "bold reverse"), " for a new call."))
        with Vertical(id="closed", classes="body"):
            yield Static(Content("\n").join(lines))
        yield KeyHints()
        yield TooSmall()
