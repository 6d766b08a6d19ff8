"""Writing one call's events to the store as they happen, and surviving a store that fails.

A full disk or a vanished directory must never stop a call: the event stays in memory, the
dispatcher is told, and the next event tries again to write everything still pending.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING

from .store import RecordsError, cause_of

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import Event
    from .base import StoreBase


class Recorder:
    def __init__(
        self,
        store: StoreBase,
        call: Call,
        call_id: str | None = None,
        on_trouble: Callable[[str], None] = lambda _: None,
        on_recovered: Callable[[], None] = lambda: None,
    ) -> None:
        self.store = store
        self.call = call
        self.on_trouble = on_trouble
        self.on_recovered = on_recovered
        self.pending: list[Event] = []
        self.troubled = False
        self.call_id = call_id if call_id is not None else store.begin(call)
        if not store.hold(self.call_id):  # begin() took it; a resumed call was taken first
            raise RecordsError(f"another console holds call {self.call_id}")
        call.listeners.append(self.write)

    @property
    def saved(self) -> bool:
        return not self.pending

    def write(self, event: Event) -> None:
        self.pending.append(event)
        self.flush()

    def flush(self) -> None:
        """Write every event still pending, in order; stop at the first that fails."""
        try:
            while self.pending:
                self.store.append(self.call_id, self.pending[0], self.call)
                self.pending.pop(0)
        except (sqlite3.Error, OSError, RecordsError) as error:
            # The cause (disk full, no permission) is safe to show; the event never is.
            self.troubled = True
            self.on_trouble(cause_of(error))
            return
        if self.troubled:
            self.troubled = False
            self.on_recovered()

    def finish(self) -> None:
        self.store.release(self.call_id)
