"""The field for a typed answer (a place, a number, a name): Enter records it. (A key typed
right after Enter waits its turn and meets the next question: see key_turns.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import events
from textual.widgets import Input


class AnswerInput(Input):
    def __init__(self, answer: Callable[[str, str | None], None], **options: Any) -> None:
        super().__init__(**options)
        self.answer = answer
        """Records the typed words for a question (the screen's, which calls the session)."""

    question: str | None = None
    """The question this field answers (set with it by the question panel): an answer names
    it, so it can never be recorded on another."""

    async def action_submit(self) -> None:
        if self.value.strip():
            self.answer(self.value, self.question)

    def _on_paste(self, event: events.Paste) -> None:
        # Textual's field keeps only the first line of a paste; an address copied from the
        # CAD over two lines must arrive whole, so the lines are joined.
        event.stop()
        event.prevent_default()  # Textual's own handling would paste the first line again
        text = " ".join(line for line in event.text.splitlines() if line.strip())
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
