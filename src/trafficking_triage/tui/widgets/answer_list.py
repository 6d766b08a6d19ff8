"""The numbered answers of a choice question.

Enter answers at once, inside the key's own handling (not through a message handled later),
so a key pressed right after Enter always meets the next question."""

from __future__ import annotations

from textual.widgets import OptionList

from ..controller import controller


class AnswerList(OptionList):
    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            controller(self).answer(option.id)
