"""A dialog over a call that takes typing (a note, the incident details): Escape leaves it
without a change; the danger-now key works here too (a modal screen hides the App's keys),
and what was typed so far is kept first (`keep`), then the key acts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding
from textual.screen import ModalScreen

if TYPE_CHECKING:
    from ...console import CallSession


class CallDialog(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel_dialog"),
        Binding("f2", "danger_now", "DANGER NOW", id="dialog_danger_now"),
    ]

    def __init__(self, session: CallSession) -> None:
        super().__init__()
        self.session = session

    def keep(self) -> None:
        """Record what was typed, if anything (the dialog is still on screen)."""

    async def action_danger_now(self) -> None:
        if self.is_current:
            self.keep()
            if self.is_current:
                self.dismiss()
        await self.app.run_action("danger_now")

    def action_cancel(self) -> None:
        if self.is_current:  # a second key in a burst must not dismiss twice
            self.dismiss()
