"""The keys a call's screens share beyond the App's own: a note (F8) and yes/no mode (F9),
on the question screen and the route screen alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

    from ..session import CallSession

CALL_KEYS = [
    Binding("f8", "note", "Note", id="note"),
    Binding("f9", "switch_yes_no", "Yes/no", id="switch_yes_no"),
]


class CallKeys:
    """Mixed into a call's screens, which have `session` and `app`."""

    session: CallSession
    app: App[object]

    def call_key_offered(self, action: str) -> bool:
        """A note while the call is open; yes/no mode while questions are left to ask."""
        call = self.session.call
        if action == "note":
            return self.session.call_open()
        if action == "switch_yes_no":
            return self.session.call_open() and call is not None and call.state.prompt is not None
        return True

    def action_note(self) -> None:
        from .screens.note_screen import NoteScreen

        if self.session.call_open():
            self.app.push_screen(NoteScreen(self.session))

    def action_switch_yes_no(self) -> None:
        on = self.session.switch_yes_no()
        if on is not None:
            words = "on: the caller cannot talk freely" if on else "off: questions as written"
            self.app.notify(f"Yes/no mode {words}", title="Yes/no mode", timeout=3)
