"""The field for a typed answer (a place, a number, a name): Enter records it. (A key typed
right after Enter waits its turn and meets the next question: see key_turns.)"""

from __future__ import annotations

from textual.widgets import Input

from ..controller import controller


class AnswerInput(Input):
    question: str | None = None
    """The question this field answers (set with it by the question panel): an answer names
    it, so it can never be recorded on another."""

    async def action_submit(self) -> None:
        if self.value.strip():
            controller(self).answer(self.value, self.question)
