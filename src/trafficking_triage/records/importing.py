"""A call saved to a file (ctrl+s, when the records could not be written, or `records export
--format json`) brought into a record store: every event checked, in order, and only what the
store does not have yet is added. Importing the same file twice adds nothing, and a call the
store has closed is never written to."""

from __future__ import annotations

import json
from datetime import UTC
from typing import TYPE_CHECKING, Any, NamedTuple

from .api import RecordsError, Written

if TYPE_CHECKING:
    from ..engine.events import Event
    from .base import StoreBase


class Imported(NamedTuple):
    call_id: str
    added: int
    new: bool
    """The store had no record of the call: it was begun, with an id of the store's own."""


def read_saved_call(text: str, where: str) -> tuple[str | None, list[Event]]:
    """The call's id (when the file has one) and its events, each checked. Raises
    RecordsError naming the file and the event's number, never what it holds."""
    from pydantic import ValidationError

    from ..engine.events import EVENT, CallStarted

    try:
        found: Any = json.loads(text)
    except ValueError:
        raise RecordsError(f"{where} is not a saved call (not JSON)") from None
    if not isinstance(found, dict) or not isinstance(found.get("events"), list):
        raise RecordsError(f"{where} is not a saved call (no list of events)")
    events: list[Event] = []
    for number, body in enumerate(found["events"]):
        try:
            event = EVENT.validate_python(body)
        except (ValidationError, ValueError, TypeError):
            raise RecordsError(f"{where}: event {number} cannot be read") from None
        if event.at.tzinfo is None:
            raise RecordsError(f"{where}: event {number} has a time with no offset")
        # The file shows local times; the store keeps each event as it was made, in UTC.
        events.append(event.model_copy(update={"at": event.at.astimezone(UTC)}))
        if number and events[-1].at < events[-2].at:
            raise RecordsError(f"{where}: event {number} is earlier than the one before it")
    if not events or not isinstance(events[0], CallStarted):
        raise RecordsError(f"{where}: a saved call begins with its start")
    if any(isinstance(event, CallStarted) for event in events[1:]):
        raise RecordsError(f"{where}: holds more than one call")
    call_id = found.get("id")
    return (str(call_id) if isinstance(call_id, str) and call_id else None), events


def import_call(store: StoreBase, call_id: str | None, events: list[Event]) -> Imported:
    """Bring the call into `store`. With an id the store knows, the store's events must be
    the file's first ones, byte for byte; the rest are added, unless the store has closed
    the call. Otherwise the call is begun anew (found again by its start the next time, so a
    second import adds nothing). Raises RecordsError."""
    from ..engine.events import CallStarted, RouteReached

    started = events[0]
    assert isinstance(started, CallStarted)
    reached = [e for e in events if isinstance(e, RouteReached)]
    route = reached[-1].outcome if reached else None
    if call_id is None or not _known(store, call_id):
        call_id = _same_start(store, started)
    if call_id is None:
        new_id = store.begin(Written(started, tuple(events), route, copied=True))
        store.release(new_id)
        return Imported(new_id, len(events), True)
    there = [e.model_dump_json() for e in store.events(call_id)]
    given = [e.model_dump_json() for e in events]
    if there[: len(given)] == given:
        return Imported(call_id, 0, False)  # every event of the file is there already
    if store.row(call_id).status != "open":
        raise RecordsError(
            f"call {call_id} is closed in the store: nothing is added to a closed call "
            "(the file holds events the store does not; the file is kept as it is)"
        )
    if given[: len(there)] != there:
        raise RecordsError(f"call {call_id} in the store is another call, or went another way")
    rest = events[len(there) :]
    if not store.hold(call_id):
        raise RecordsError(f"call {call_id} is being written by a console now: try again later")
    try:
        for event in rest:
            store.append(call_id, event, Written(started, tuple(events), route, copied=True))
    finally:
        store.release(call_id)
    return Imported(call_id, len(rest), False)


def _known(store: StoreBase, call_id: str) -> bool:
    try:
        store.row(call_id)
    except RecordsError:
        return False
    return True


def _same_start(store: StoreBase, started: Any) -> str | None:
    """A call of the store begun by the same start (the same moment, console and protocol):
    the file's call, imported before or begun before its console lost the records."""
    for row in store.rows(training=started.training):
        if (
            row.started_at == started.at
            and row.console == started.console
            and row.protocol_sha256 == started.protocol_sha256
        ):
            return row.id
    return None
