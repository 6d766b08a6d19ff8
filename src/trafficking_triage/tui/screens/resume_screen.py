"""Offered at launch when a call was left unfinished (a killed process, a closed terminal):
resume it where it stopped, or close it as interrupted. Either way nothing is deleted."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ...clock import stamp
from ..widgets.key_hints import KeyHints
from ..widgets.too_small import TooSmall
from .sized_screen import SizedScreen

if TYPE_CHECKING:
    from ...console import Unfinished

ResumeChoice = Literal["resume", "interrupted"]


class ResumeScreen(SizedScreen[ResumeChoice]):
    BINDINGS = [
        Binding("r", "choose('resume')", "Resume it", id="resume"),
        Binding("i", "choose('interrupted')", "Close as interrupted", id="interrupted"),
    ]

    def __init__(self, found: Unfinished) -> None:
        super().__init__()
        self.found = found

    def compose(self) -> ComposeResult:
        row, found = self.found.row, self.found
        started = found.call.state.started if found.call is not None else None
        scenario = started.scenario if started is not None else None
        lines = [
            Content.styled(
                " TRAINING · AN UNFINISHED TRAINING CALL WAS FOUND "
                if row.training
                else " AN UNFINISHED CALL WAS FOUND ",
                "bold reverse",
            ),
            Content(""),
            *([Content(f"Scenario: {scenario}")] if scenario else []),
            Content(f"Call {row.id}, started {stamp(row.started_at)}"),
            Content(
                f"on console {row.console or '-'}; {found.answered} "
                f"answer{'' if found.answered == 1 else 's'} recorded."
            ),
            Content.assemble("Where it stopped: ", (found.where, "bold")),
            Content(""),
        ]
        if found.not_resumable is None:
            lines.append(Content.assemble((" r ", "bold reverse"), " resume it where it stopped"))
        else:
            lines.append(
                Content.assemble(("It cannot be resumed here: ", "bold"), found.not_resumable)
            )
        lines.append(
            Content.assemble(
                (" i ", "bold reverse"), " close it as interrupted (it stays recorded)"
            )
        )
        with Vertical(id="resume", classes="body"):
            yield Static(Content("\n").join(lines))
        yield KeyHints()
        yield TooSmall()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        blocked = (
            action == "choose"
            and parameters == ("resume",)
            and self.found.not_resumable is not None
        )
        return not blocked

    def action_choose(self, choice: ResumeChoice) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss(choice)
