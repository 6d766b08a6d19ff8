"""The numbered answers of a choice question: Enter records the highlighted one. (A key
pressed right after waits its turn and meets the next question: see key_turns.)"""

from __future__ import annotations

from collections.abc import Callable

from .steady_option_list import SteadyOptionList


class AnswerList(SteadyOptionList):
    def __init__(self, answer: Callable[[str, str | None], None], id: str | None = None) -> None:
        super().__init__(id=id)
        self.answer = answer
        """Records an answer id for a question (the screen's, which calls the session)."""

    question: str | None = None
    """The question these answers belong to (set with them by the question panel): an answer
    names it, so it can never be recorded on another."""

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            self.answer(option.id, self.question)
