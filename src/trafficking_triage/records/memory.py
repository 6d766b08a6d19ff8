"""A record store in this process's memory (`memory:NAME`): the same interface and rules as
the two real stores, for tests and demonstrations. What it holds goes with the process, so no
console keeps real calls in it; consoles of one process that name the same store share it,
each holding its calls as a console holds them in a real store."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .api import CallRow, RecordsError, Written
from .base import Listing, StoreBase, new_call_id, read_events, written
from .sql import CallFilter

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..engine import Call
    from ..engine.events import Event


@dataclass
class _Held:
    """One named store: its rows, each call's events (as stored: JSON), who holds what."""

    rows: dict[str, CallRow] = field(default_factory=dict)
    events: dict[str, list[str]] = field(default_factory=dict)
    holders: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_STORES: dict[str, _Held] = {}
_MADE = threading.Lock()


class MemoryStore(StoreBase):
    def __init__(self, name: str = "default") -> None:
        with _MADE:
            self._held = _STORES.setdefault(name, _Held())
        self.where = f"memory:{name}"
        self._mine: set[str] = set()

    @staticmethod
    def forget(name: str) -> None:
        """Drop a named store (a test's, after it)."""
        with _MADE:
            _STORES.pop(name, None)

    # -- writing ----------------------------------------------------------------------------
    def begin(self, call: Call | Written) -> str:
        call = written(call)
        started = call.started
        for _attempt in range(20):
            call_id = new_call_id(started.at)
            with self._held.lock:
                if call_id in self._held.rows or not self._take(call_id):
                    continue
                self._held.rows[call_id] = CallRow(
                    id=call_id,
                    started_at=started.at,
                    ended_at=None,
                    status="open",
                    route=None,
                    console=started.console,
                    dispatcher=started.dispatcher,
                    context=dict(started.context),
                    protocol_id=started.protocol_id,
                    protocol_version=started.protocol_version,
                    protocol_sha256=started.protocol_sha256,
                    training=started.training,
                )
                self._held.events[call_id] = []
                for event in call.events:
                    self._add(call_id, event, call)
            return call_id
        raise RecordsError("could not find a free call id")  # pragma: no cover

    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None:
        with self._held.lock:
            if call_id not in self._held.rows:
                raise RecordsError(f"no call record with id {ascii(call_id)[1:-1]}")
            self._add(call_id, event, call)

    def _add(self, call_id: str, event: Event, call: Call | Written | None) -> None:
        """Under the lock, as the real stores' guard has it: no event after a close; the
        route as the call has it; a close closes the row."""
        from ..engine.events import CallClosed

        row = self._held.rows[call_id]
        if row.status != "open":
            raise RecordsError(f"call {call_id} is closed: no event is added after its close")
        self._held.events[call_id].append(event.model_dump_json())
        route = written(call).route if call is not None else None
        if isinstance(event, CallClosed):
            row = row._replace(status=event.how, ended_at=event.at, route=route or row.route)
        elif call is not None:
            bodies = self._held.events[call_id]
            shown = Listing.of(row.context, read_events(call_id, bodies))
            row = row._replace(route=route, incident=shown.incident, place=shown.place)
        self._held.rows[call_id] = row

    # -- reading ----------------------------------------------------------------------------
    def rows(self, *, training: bool | None = False, status: str | None = None) -> list[CallRow]:
        self.anomalies = []
        with self._held.lock:
            found = [
                row
                for row in self._held.rows.values()
                if (training is None or row.training == training)
                and (status is None or row.status == status)
            ]
        return sorted(found, key=lambda row: (row.started_at, row.id), reverse=True)

    def listing(self, wanted: CallFilter, limit: int | None = None) -> Iterator[CallRow]:
        found = [row for row in self.rows(training=wanted.training) if _matches(row, wanted)]
        return iter(found[:limit] if limit is not None else found)

    def count(self, wanted: CallFilter) -> int:
        return sum(1 for _ in self.listing(wanted))

    def routes(self, *, training: bool | None = False) -> list[str]:
        return sorted({row.route for row in self.rows(training=training) if row.route})

    def row(self, call_id: str) -> CallRow:
        with self._held.lock:
            found = self._held.rows.get(call_id.upper())
        if found is None:
            raise RecordsError(f"no call record with id {ascii(call_id)[1:-1]}")
        return found

    def events(self, call_id: str) -> list[Event]:
        with self._held.lock:
            bodies = list(self._held.events.get(call_id.upper(), []))
        return read_events(call_id, bodies)

    # -- who holds a call -------------------------------------------------------------------
    def _take(self, call_id: str) -> bool:
        """Under the lock: the call for this store, unless another holds it."""
        holder = self._held.holders.get(call_id)
        if holder is not None and holder != id(self):
            return False
        self._held.holders[call_id] = id(self)
        self._mine.add(call_id)
        return True

    def hold(self, call_id: str) -> bool:
        with self._held.lock:
            return self._take(call_id)

    def is_holding(self, call_id: str) -> bool:
        return call_id in self._mine

    def release(self, call_id: str) -> None:
        with self._held.lock:
            if self._held.holders.get(call_id) == id(self):
                del self._held.holders[call_id]
            self._mine.discard(call_id)

    def close(self) -> None:
        """The console is gone: what it held is let go of, as a dead process's locks are."""
        for call_id in list(self._mine):
            self.release(call_id)


def _matches(row: CallRow, wanted: CallFilter) -> bool:
    """The filter as the SQL stores apply it (sql._where)."""
    place = (wanted.place or "").casefold()
    return (
        (wanted.status is None or row.status == wanted.status)
        and (wanted.since is None or row.started_at >= wanted.since)
        and (wanted.before is None or row.started_at < wanted.before)
        and all(
            value is None or getattr(row, name) == value
            for name, value in (
                ("route", wanted.route),
                ("console", wanted.console),
                ("dispatcher", wanted.dispatcher),
            )
        )
        and (wanted.incident is None or row.incident.lower() == wanted.incident.lower())
        and (wanted.place is None or place in row.place.casefold())
    )
