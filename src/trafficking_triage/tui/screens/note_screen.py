"""A one-line note, at any moment of a call (F8): Enter adds it to the call, in order with
the answers; Escape leaves without adding anything."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..notices import show
from ..widgets.submit_field import SubmitField

if TYPE_CHECKING:
    from ...console import CallSession


class NoteScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_note"),
        # The danger-now key works here too (a modal screen hides the App's keys): the note
        # typed so far is kept, then the key acts.
        Binding("f2", "danger_now", "DANGER NOW", id="note_danger_now"),
    ]

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session

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

    async def action_danger_now(self) -> None:
        if self.is_current:
            typed = self.query_one(SubmitField).value
            self.dismiss()
            if typed.strip():
                show(self, self.session.note(typed))
        await self.app.run_action("danger_now")

    def action_cancel(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss()
