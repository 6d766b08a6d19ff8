"""The call's incident number, callback and location, entered at any moment (F12): Enter in
any field saves all three (only what changed is recorded); Tab moves between them; Escape
leaves without changing anything. What is entered shows in the header and every radio line
and export from then on."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from ..notices import show
from ..widgets.submit_field import SubmitField
from .call_dialog import CallDialog

if TYPE_CHECKING:
    from ...console import CallSession

FIELDS = (
    ("incident", "Incident number"),
    ("callback", "Callback number (only if it is safe to call back)"),
    ("location", "Location"),
)


class DetailsScreen(CallDialog):
    def __init__(self, session: CallSession) -> None:
        super().__init__(session)
        call = session.call
        self.now = call.details() if call is not None else {}

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Content.styled("Incident, callback, location", "bold"))
            yield Static(
                Content("Tab to move, Enter to save all three; Escape leaves them as they were."),
                id="confirm-detail",
            )
            for name, label in FIELDS:
                yield Static(Content.styled(label, "dim"))
                yield SubmitField(self.now.get(name, ""), on_submit=self.save, id=f"detail-{name}")

    def entered(self) -> dict[str, str]:
        return {name: self.query_one(f"#detail-{name}", SubmitField).value for name, _ in FIELDS}

    def save(self, _value: str = "") -> None:
        if not self.is_current:  # a second Enter in a burst must not save twice
            return
        details = self.entered()
        self.dismiss()
        show(self, self.session.give_details(details))

    def keep(self) -> None:
        self.save()
