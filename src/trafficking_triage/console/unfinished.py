"""An unfinished call (its console killed, crashed or disconnected): found in the store,
offered to the dispatcher, then resumed where it stopped or closed as interrupted."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol.texts import local
from ..records import CallRow
from ..records.api import RecordsError, cause_of
from ..records.base import StoreBase

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import Event

from .records_link import RecordsLink
from .values import Notice, Refusal, Unfinished


class UnfinishedCalls(RecordsLink):
    """Calls left open by a console that is gone: found, offered, resumed or closed, each
    under its lock so no two consoles take one."""

    def unfinished(self) -> Unfinished | None:
        """The first call left open by a console that is gone, to resume or close: in
        training, a training call (kept in a store of their own); at a dispatcher's console,
        never one."""
        if self.store is None or not self.offers_unfinished:
            return None

        def first(store: StoreBase) -> tuple[CallRow, list[Event] | None] | None:
            for row in store.unfinished(training=self.training):
                # Held from the offer on, so no console opened meanwhile is offered it too;
                # let go of when it is closed here, or when this console ends.
                if not store.hold(row.id):
                    continue  # another console was offered it a moment ago
                try:
                    if store.row(row.id).status == "open":
                        return row, self._events(store, row)
                except BaseException:
                    store.release(row.id)  # not offered: left to the next console
                    raise
                store.release(row.id)
            return None

        try:
            found = self._ask(first)
        except RecordsError as error:
            self._trouble(cause_of(error))  # said on screen; a new call starts all the same
            return None
        if self.store is not None and self.store.anomalies:
            count = len(self.store.anomalies)
            self.on_notice(
                Notice(
                    f"{count} call record{'s' if count > 1 else ''} in the store cannot be "
                    f"read and {'were' if count > 1 else 'was'} left out; `records list` names "
                    "them for the supervisor.",
                    "Call records",
                    "warning",
                    15,
                )
            )
        return self._replayed(*found) if found is not None else None

    def _events(self, store: StoreBase, row: CallRow) -> list[Event] | None:
        """The call's events, to replay; None when they cannot be read or are another
        protocol's."""
        if row.protocol_sha256 != self.loaded.sha256:
            return None
        try:
            return store.events(row.id)
        except ValueError:  # an event that cannot be read
            return None

    def _replayed(self, row: CallRow, events: list[Event] | None) -> Unfinished:
        from ..engine import Call, CallError

        call: Call | None = None
        why: str | None = None
        if row.protocol_sha256 != self.loaded.sha256:
            why = (
                f"it was taken with protocol {row.protocol_id} {row.protocol_version}, "
                "not the one loaded now"
            )
        else:
            try:
                if events is None:
                    raise ValueError("its events cannot be read")
                call = Call(self.protocol, events, clock=self.clock)
            except (CallError, KeyError, ValueError):  # or an event that cannot be read
                why = "its events do not replay on this protocol"
        started = call.state.started if call is not None else None
        played = started.scenario if started is not None else None
        if why is None and self.training and played not in {s.id for s in self.scenarios}:
            # Played on with another scenario's caller, it would be scored against the wrong
            # script: only a console that has its scenario resumes it.
            why = (
                f"it plays scenario '{played}', which this training console has not loaded "
                f"(train {played} resumes it)"
                if played
                else "it does not say which scenario it plays"
            )
        where = "unknown"
        if call is not None and call.state.prompt is not None:
            where = local(call.state.prompt.text, "en")  # as it was put to this caller
        elif call is not None and call.state.route is not None:
            where = f"route reached: {self.protocol.outcomes[call.state.route.outcome].title}"
        answered = len(call.state.answers) if call is not None else 0
        return Unfinished(row, call, why, answered, where)

    def resume(self, found: Unfinished) -> Refusal | None:
        """Take the call over where it stopped, holding its lock from now on."""
        taken = self._take(found)
        if isinstance(taken, Refusal):
            return taken
        assert taken is not None, "a call taken to resume replays"
        self.let_go()
        started = taken.state.started
        if self.training and started is not None:  # play on the scenario it was taken with
            self.scenario = next(s for s in self.scenarios if s.id == started.scenario)
        self.call = taken
        self.to_record = True
        self._attach(taken, found.row.id)
        self.on_change()
        return None

    def close_unfinished(self, found: Unfinished) -> Refusal | None:
        """Close the call as interrupted without resuming it: under its lock, through the
        store's own close, so a console that resumed it meanwhile is never closed under."""
        taken = self._take(found, resumable=False)
        if isinstance(taken, Refusal):
            return taken
        call_id, at = found.row.id, self.clock()

        def close(store: StoreBase) -> None:  # `taken` is this job's own replay of the call
            try:
                store.close_as(call_id, "interrupted", taken, at=at)
            finally:
                store.release(call_id)

        try:
            self._ask(close)
        except RecordsError as error:
            self._trouble(cause_of(error))
        return None

    def _take(self, found: Unfinished, resumable: bool = True) -> Call | Refusal | None:
        """The call's lock, then its events read again under it: another console may have
        resumed or closed it since it was offered."""
        from ..engine import Call, CallError

        if resumable and found.not_resumable is not None:
            return Refusal(f"This call cannot be resumed here: {found.not_resumable}.")
        call_id = found.row.id

        def take(store: StoreBase) -> Call | Refusal | None:
            if not store.hold(call_id):
                return Refusal("Another console has just taken that call.", title="Unfinished call")
            try:
                if store.row(call_id).status != "open":
                    store.release(call_id)
                    closed = "Another console has just closed that call."
                    return Refusal(closed, title="Unfinished call")
                if found.row.protocol_sha256 != self.loaded.sha256 and not resumable:
                    return None  # taken with another protocol: closed without replaying it here
                return Call(self.protocol, store.events(call_id), clock=self.clock)
            except (CallError, KeyError, ValueError):  # events that do not replay, or unreadable
                if resumable:
                    store.release(call_id)
                    return Refusal("This call cannot be resumed here: its events do not replay.")
                return None
            except RecordsError:
                store.release(call_id)
                raise

        try:
            return self._ask(take)
        except RecordsError as error:
            return Refusal(f"The records cannot be reached: {cause_of(error)}.")
