"""A yes/no question put to the dispatcher before something that cannot be taken back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True for yes, False for no or Escape."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm_yes"),
        Binding("n", "answer(False)", "No", id="confirm_no"),
        Binding("escape", "answer(False)", "No", show=False),
        # The danger-now key works over a dialog too (a modal screen hides the App's keys):
        # the question is left unanswered (no), then the key acts.
        Binding("f2", "danger_now", "DANGER NOW", show=False),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content.styled(self.question, "bold"), id="confirm-question")
            if self.detail:
                yield Static(Content(self.detail), id="confirm-detail")
            yield Static(
                Content.assemble(
                    (" y ", "bold reverse"), " yes    ", (" n ", "bold reverse"), " no (Esc)"
                ),
                id="confirm-keys",
            )

    def action_answer(self, yes: bool) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss(yes)

    async def action_danger_now(self) -> None:
        if self.is_current:
            self.dismiss(False)
        await self.app.run_action("danger_now")
