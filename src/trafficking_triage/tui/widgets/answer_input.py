"""The field for a typed answer (a place, a number, a name): Enter records it. (A key typed
right after Enter waits its turn and meets the next question: see key_turns.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .one_line import OneLineInput


class AnswerInput(OneLineInput):
    """A paste of several lines arrives whole, its lines joined by spaces (OneLineInput)."""

    def __init__(self, answer: Callable[[str, str | None], None], **options: Any) -> None:
        super().__init__(**options)
        self.answer = answer
        """Records the typed words for a question (the screen's, which calls the session)."""

    question: str | None = None
    """The question this field answers (set with it by the question panel): an answer names
    it, so it can never be recorded on another."""

    async def action_submit(self) -> None:
        # Even empty: the call decides (after several entries it means "no more"; else the
        # screen says an answer is needed, instead of Enter doing nothing at all).
        self.answer(self.value, self.question)
