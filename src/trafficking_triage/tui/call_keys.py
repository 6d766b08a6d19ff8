"""The keys a call's screens share beyond the App's own: a note (F8), yes/no mode (F9), the
caller hung up (F10) and the call's incident, callback and location (F12, or ctrl+o where a
browser keeps F12 for itself), on the question screen and the route screen alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

if TYPE_CHECKING:
    from textual.app import App

    from ..console import CallSession

CALL_KEYS = [
    Binding("f8", "note", "Note", id="note"),
    Binding("f9", "switch_yes_no", "Yes/no", id="switch_yes_no"),
    Binding("f10", "hung_up", "Hung up", id="hung_up"),
    Binding("f12", "details", "Incident", id="details"),
    Binding("ctrl+o", "details", "Incident", show=False, id="details_ctrl_o"),
]


class CallKeys:
    """Mixed into a call's screens, which have `session` and `app`."""

    session: CallSession
    app: App[object]

    def call_key_offered(self, action: str) -> bool:
        """A note while the call is open; yes/no mode while questions are left to ask."""
        call = self.session.call
        if action in {"note", "details"}:
            return self.session.call_open()
        if action in {"switch_yes_no", "hung_up"}:
            return self.session.call_open() and call is not None and call.state.prompt is not None
        return True

    def action_note(self) -> None:
        from .screens.note_screen import NoteScreen

        if self.session.call_open():
            self.app.push_screen(NoteScreen(self.session))

    def action_details(self) -> None:
        from .screens.details_screen import DetailsScreen

        if self.session.call_open():
            self.app.push_screen(DetailsScreen(self.session))

    def action_switch_yes_no(self) -> None:
        on = self.session.switch_yes_no()
        if on is not None:
            words = "on: the caller cannot talk freely" if on else "off: questions as written"
            self.app.notify(f"Yes/no mode {words}", title="Yes/no mode", timeout=3)

    def action_hung_up(self) -> None:
        from .notices import show

        refused = self.session.hang_up()
        if refused is not None:
            show(self.app, refused)
            return
        self.app.notify(
            "Recorded: the caller hung up. The route is for what is known; Escape takes it back.",
            title="Caller hung up",
            timeout=4,
        )
