"""After a training call: route right or wrong and why, indicators found and missed, safety
first, steps ticked, time to route against the target, and the score with its rubric."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ..widgets.key_hints import KeyHints
from ..widgets.too_small import TooSmall
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...training.debrief import Debrief
    from ...training.scenario import Scenario


class DebriefScreen(SizedScreen[None]):
    BINDINGS = [Binding("enter", "app.new_call", "Another call", id="again")]

    def __init__(self, scenario: Scenario, result: Debrief) -> None:
        super().__init__()
        self.scenario = scenario
        self.result = result

    def compose(self) -> ComposeResult:
        lines = [
            Content.styled(" TRAINING · DEBRIEF ", "bold reverse"),
            Content.styled(self.scenario.title, "bold"),
            Content(""),
        ]
        for line in self.result.lines:
            mark = "✔" if line.points == line.out_of else ("✘" if line.points == 0 else "~")
            lines.append(
                Content.assemble(
                    (f"{mark} {line.label:<16}", "bold"),
                    (f"{line.points:>3} / {line.out_of:<3} ", "bold"),
                    line.detail,
                )
            )
        lines.append(Content(""))
        lines.append(Content.styled(f"SCORE {self.result.score} / 100", "bold reverse"))
        if self.scenario.good_call:
            lines += [
                Content(""),
                Content.assemble(("A good call: ", "bold"), self.scenario.good_call),
            ]
        with VerticalScroll(id="debrief", classes="body"):
            yield Static(Content("\n").join(lines))
        yield KeyHints()
        yield TooSmall()
