"""Asks for another file to save the call to, when the records file cannot be written, and
saves it there (a new file, owner-only; an existing one is never replaced)."""

from __future__ import annotations

from pathlib import Path
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


class SaveElsewhereScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_save")]

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session
        self.cause = session.records_trouble or "asked"
        self.suggestion = session.save_suggestion()

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content.styled("Save this call to another file", "bold"))
            yield Static(
                Content(
                    f"The call records cannot be written ({self.cause}). The call is kept in "
                    "memory; type a file path on another disk, then Enter. Escape cancels."
                ),
                id="confirm-detail",
            )
            yield SubmitField(str(self.suggestion), on_submit=self.save, id="save-path")

    def save(self, value: str) -> None:
        # is_current: a second key in a burst must not dismiss twice
        if value.strip() and self.is_current:
            self.dismiss()
            show(self, self.session.save_elsewhere(Path(value.strip()).expanduser()))

    def action_cancel(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss()
