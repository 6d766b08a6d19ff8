"""A one-line note, at any moment of a call (F8): Enter adds it to the call, in order with
the answers; Escape leaves without adding anything."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..notices import show
from ..widgets.submit_field import SubmitField
from .call_dialog import CallDialog


class NoteScreen(CallDialog):
    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content.styled("Add a note to this call", "bold"))
            yield Static(
                Content("Type the note, then Enter. Escape leaves without a note."),
                id="confirm-detail",
            )
            yield SubmitField("", on_submit=self.add, id="note-text")

    def add(self, value: str) -> None:
        if not self.is_current:  # a second Enter in a burst must not add it twice
            return
        if not value.strip():
            self.notify("An empty note is not added; Escape leaves.", title="Note", timeout=3)
            return
        self.dismiss()
        show(self, self.session.note(value))

    def keep(self) -> None:
        typed = self.query_one(SubmitField).value
        if typed.strip():
            self.dismiss()
            show(self, self.session.note(typed))
