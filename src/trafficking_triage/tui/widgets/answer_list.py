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

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        from .question_panel import QuestionPanel

        if isinstance(self.parent, QuestionPanel):
            self.parent.say_more()  # what is above and below changed

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is None:
            # A stray Enter: said, never taken as the first answer.
            self.notify(
                "Press the answer's number (or an arrow, then Enter).",
                title="Nothing picked",
                timeout=2,
                markup=False,
            )
        elif option.id is not None:
            self.answer(option.id, self.question)
