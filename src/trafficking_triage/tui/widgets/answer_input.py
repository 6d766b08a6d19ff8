"""The field for a typed answer (a place, a number, a name).

Enter submits at once, and every other key is handled in its place in the queue (see
keys_in_order), so a key typed right after Enter or Escape meets the next question."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..controller import controller
from .keys_in_order import handle_in_order


class AnswerInput(Input):
    question: str | None = None
    """The question this field answers (set with it by the question panel): an answer names
    it, so it can never be recorded on another."""

    async def action_submit(self) -> None:
        if self.value.strip():
            controller(self).answer(self.value, self.question)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter" and self.screen.focused is self and self.display:
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        if await handle_in_order(self, event, typed_here=event.is_printable):
            return
        await super()._on_key(event)
