"""The numbered answers of a choice question.

Enter answers at once, and every key is handled in its place in the queue (see
keys_in_order), so a key pressed right after an answer always meets the next question."""

from __future__ import annotations

from textual import events

from ..controller import controller
from .keys_in_order import handle_in_order
from .steady_option_list import SteadyOptionList


class AnswerList(SteadyOptionList):
    question: str | None = None
    """The question these answers belong to (set with them by the question panel): an answer
    names it, so it can never be recorded on another."""

    def action_select(self) -> None:
        option = self.highlighted_option
        if option is not None and option.id is not None:
            controller(self).answer(option.id, self.question)

    async def _on_key(self, event: events.Key) -> None:
        await handle_in_order(self, event, typed_here=False)
