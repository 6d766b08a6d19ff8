"""Asks for another file to save the call to, when the records file cannot be written."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets.submit_field import SubmitField


class SaveElsewhereScreen(ModalScreen[Path | None]):
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel_save")]

    def __init__(self, cause: str, suggestion: Path) -> None:
        super().__init__()
        self.cause = cause
        self.suggestion = suggestion

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
            self.dismiss(Path(value.strip()).expanduser())

    def action_cancel(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss(None)
