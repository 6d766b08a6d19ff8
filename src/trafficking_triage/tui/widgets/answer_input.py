"""The field for a typed answer (a place, a number, a name).

Enter submits at once, inside the key's own handling. Keys that were already on their way to
this field when Enter moved the call on (a fast typist, a pasted script) are passed on to
whatever now has focus, so they answer the next question instead of vanishing."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from ..controller import controller


class AnswerInput(Input):
    async def action_submit(self) -> None:
        if self.value.strip():
            controller(self).answer(self.value)

    async def _on_key(self, event: events.Key) -> None:
        if not self.has_focus or not self.display:
            event.stop()
            event.prevent_default()
            self.app.simulate_key(event.key)
            return
        if event.key == "enter":
            # Submitted here, in the field's own queue of keys, not through the Enter binding:
            # bindings run only after the key has bubbled up to the app, by which time the
            # next keys may already have been typed into this field.
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)
