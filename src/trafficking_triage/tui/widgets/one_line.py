"""A one-line text field that takes a paste of several lines whole: Textual's own field keeps
only the first line, without a word. The lines are joined (an address copied from the CAD
over two lines, a note pasted from an e-mail), so every character pasted arrives."""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.widgets import Input


class OneLineInput(Input):
    joiner: ClassVar[str] = " "
    """What stands between two pasted lines."""

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        event.prevent_default()  # Textual's own handling would paste the first line again
        text = self.joiner.join(line for line in event.text.splitlines() if line.strip())
        if not text:
            return
        if self.selection.is_empty:
            self.insert_text_at_cursor(text)
        else:
            self.replace(text, *self.selection)
