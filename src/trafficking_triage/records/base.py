"""What every record store does, whichever database holds the calls: the embedded SQLite file
of one console (`store.py`, the default) or a center's PostgreSQL server (`postgres.py`).

The session, the recorder and the `records` commands talk to a store only through these
methods, so neither the engine nor the console knows which one it has."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from .api import BadRow, CallRow, RecordsError, Written
from .sql import CallFilter

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import CloseReason, Event


def written(call: Call | Written) -> Written:
    if isinstance(call, Written):
        return call
    started = call.state.started
    assert started is not None, "a call is recorded from its start"
    route = call.state.route.outcome if call.state.route is not None else None
    return Written(started, tuple(call.events), route)


# Letters and digits that cannot be confused when read out over a radio (no 0/O, 1/I/L, 5/S).
_ID_ALPHABET = "ACDEFGHJKMNPQRTUVWXY234679"


def new_call_id(now: datetime) -> str:
    import secrets  # here: only a call being recorded needs it, not opening the store

    suffix = "".join(secrets.choice(_ID_ALPHABET) for _ in range(4))
    return f"{now.astimezone():%y%m%d}-{suffix}"  # the local day, as every time is shown


def call_row(values: Sequence[Any]) -> CallRow:
    """A call's row as read from either store (times as ISO text or as datetimes). Raises
    BadRow, naming the row (its id escaped) and the column, for one that cannot be read."""
    try:
        return _call_row(values)
    except (TypeError, ValueError, OverflowError) as error:
        from ..shown import safe

        shown = safe(str(values[0]))[:80] if values else "?"
        raise BadRow(f"call record {shown} cannot be read: {error}") from None


def read_events(call_id: str, bodies: Sequence[Any]) -> list[Event]:
    """A call's events from their stored JSON; BadRow, naming the call and the event's
    number (never what it holds), for one this program cannot read: damaged, written by a
    newer program, or by hand."""
    from pydantic import ValidationError

    from ..engine.events import EVENT

    events = []
    for number, body in enumerate(bodies):
        try:
            events.append(EVENT.validate_json(body))
        except (ValidationError, ValueError, TypeError) as error:
            from ..shown import safe

            why = "not readable"
            if isinstance(error, ValidationError) and error.errors():
                first = error.errors()[0]
                where = ".".join(str(part) for part in first.get("loc", ()))
                why = f"{first.get('type', 'invalid')}{' at ' + where if where else ''}"
            raise BadRow(
                f"call record {safe(call_id)[:80]}: event {number} cannot be read ({safe(why)})"
            ) from None
    return events


def _context(value: Any) -> dict[str, str]:
    found = value if isinstance(value, dict) else json.loads(str(value))
    if not isinstance(found, dict):
        raise ValueError("its context is not a table of names and values")
    return {str(name): str(text) for name, text in found.items()}


def _call_row(values: Sequence[Any]) -> CallRow:
    def when(value: Any) -> datetime:
        if isinstance(value, datetime):
            return value
        try:
            return datetime.fromisoformat(str(value))
        except ValueError:
            raise ValueError("its time is not a time") from None

    first, rest = values[:12], values[12:]
    (id_, started, ended, status, route, console, dispatcher, context, pid, pver, psha, tr) = first
    incident, place = (*rest, "", "")[:2]
    return CallRow(
        id=str(id_),
        started_at=when(started),
        ended_at=when(ended) if ended else None,
        status=str(status),
        route=str(route) if route else None,
        console=str(console) if console else None,
        dispatcher=str(dispatcher) if dispatcher else None,
        context=_context(context) if context is not None else {},
        protocol_id=str(pid),
        protocol_version=str(pver),
        protocol_sha256=str(psha),
        training=bool(tr),
        incident=str(incident or ""),
        place=str(place or ""),
    )


class Listing(NamedTuple):
    """What `records list` shows of a call and finds it by, beyond its start: its route, its
    incident number and its place as they stand. The incident and the place are what the CAD
    passed in or the dispatcher entered (F12, the latest standing above), else, for the
    place, the caller's last answer to the `location` question (every shipped protocol asks
    it under that id). Kept on the call's row as it changes (sql.listed_sql fills them in for
    calls kept before they were)."""

    route: str | None
    incident: str
    entered_place: str | None
    """The place entered (F12) or passed in; None when neither (empty: taken away)."""
    said: str

    @property
    def place(self) -> str:
        return self.entered_place or self.said

    @property
    def shown(self) -> tuple[str | None, str, str]:
        """The row's columns (sql.LISTED)."""
        return (self.route, self.incident, self.place)

    @classmethod
    def of(cls, context: Mapping[str, str], events: Iterable[Event]) -> Listing:
        found = cls(None, context.get("incident", ""), context.get("location"), "")
        for event in events:
            found = found.after(event)
        return found

    def after(self, event: Event) -> Listing:
        """As it stands once `event` has happened (the route aside: the call knows it)."""
        from ..engine.events import DetailsGiven, QuestionAnswered

        if isinstance(event, DetailsGiven):
            details = event.details
            return self._replace(
                incident=details.get("incident", self.incident),
                entered_place=details.get("location", self.entered_place),
            )
        if isinstance(event, QuestionAnswered) and event.question == "location" and event.value:
            return self._replace(said=event.value)
        return self


def listing_of(call: Call | Written) -> Listing:
    """A call's listing from its start and every event it has (as a store begins it)."""
    seen = written(call)
    return Listing.of(seen.started.context, seen.events)._replace(route=seen.route)


class StoreBase:
    """One store interface, two implementations. Each writes every event with full
    durability before returning, and holds a lock per call while its console runs, released
    by the system when the console dies (an OS file lock for SQLite, a session advisory lock
    for PostgreSQL), so an open call nobody holds is one whose console is gone."""

    @staticmethod
    def saved_clock() -> datetime:
        """The time a store writes beside each event it takes (`saved_at`)."""
        return datetime.now(UTC)

    console: str | None = None
    """The console writing (a center's store puts it on the lease of each call it holds)."""

    where: str
    """The store named for messages (a file, or a database and its host; never a password)."""

    # -- implemented by each store ----------------------------------------------------------
    def begin(self, call: Call | Written) -> str:
        """Give the call its id (its lock taken first) and write its row and every event it
        has so far, in one transaction."""
        raise NotImplementedError

    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None:
        """Commit one event before returning; with `call`, the call's route (as it is, or
        as it was as the event happened) written too."""
        raise NotImplementedError

    def rows(self, *, training: bool | None = False, status: str | None = None) -> list[CallRow]:
        """Calls, newest first; `training=None` gives real and training calls alike. A row
        that cannot be read is left out and said in `anomalies`."""
        raise NotImplementedError

    anomalies: list[str] = []
    """What the last `rows` could not read (a damaged or hand-made row), to be reported."""

    def _streamed(self, batch: Callable[[], Sequence[Sequence[Any]]]) -> Iterator[CallRow]:
        """Rows read batch by batch (as `_readable`: one that cannot be read is left out and
        said in `anomalies`), so a list of a year of calls never holds them all at once."""
        self.anomalies = []
        while found := batch():
            for values in found:
                try:
                    yield call_row(values)
                except BadRow as error:
                    self.anomalies.append(str(error))

    def listing(self, wanted: CallFilter, limit: int | None = None) -> Iterator[CallRow]:
        """The calls `wanted`, newest first, at most `limit`, read as they are used."""
        raise NotImplementedError

    def count(self, wanted: CallFilter) -> int:
        raise NotImplementedError

    def routes(self, *, training: bool | None = False) -> list[str]:
        """The routes calls have reached (real or training ones; None: both)."""
        raise NotImplementedError

    def _readable(self, found: Sequence[Sequence[Any]]) -> list[CallRow]:
        rows, self.anomalies = [], []
        for values in found:
            try:
                rows.append(call_row(values))
            except BadRow as error:
                self.anomalies.append(str(error))
        return rows

    def row(self, call_id: str) -> CallRow:
        raise NotImplementedError

    def events(self, call_id: str) -> list[Event]:
        raise NotImplementedError

    def written_times(self, call_id: str) -> list[tuple[datetime, datetime | None]]:
        """Each event's time, and when the store took it (None where not known: kept before
        schema 4, copied from elsewhere, or a store that does not keep it)."""
        return [(event.at, None) for event in self.events(call_id)]

    def hold(self, call_id: str) -> bool:
        """Take the call's lock (kept until `release`); False if another running console
        holds it. Taking a lock this store holds already is a no-op."""
        raise NotImplementedError

    def release(self, call_id: str) -> None:
        raise NotImplementedError

    def is_holding(self, call_id: str) -> bool:
        """This store (this console) holds the call's lock."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def keep_alive(self) -> None:
        """Make sure the store is there now, and this console still holds its calls: a
        center's connection made again if it broke while nothing was written (a restarted
        server), its calls held again at once. Raises RecordsError (or RecordsUnwritable)
        as a write would. The embedded store has nothing to check."""

    def copy_call(self, row: CallRow, events: list[Event]) -> int:
        """Copy a call from another store (`store copy`): its row if new, then each event not
        here yet. Returns the events added. Only a center's store takes copies."""
        raise RecordsError(f"{self.where} takes no copies: only a center's database does")

    # -- the same for every store -----------------------------------------------------------
    def close_as(self, call_id: str, how: CloseReason, call: Call | None, at: datetime) -> None:
        """Close a call found unfinished (after a crash) without resuming it; `call` is its
        events replayed, or None when they do not replay (the close is then written alone).
        The caller holds the call's lock."""
        from ..engine.events import CallClosed

        closing = call.close(how) if call is not None else CallClosed(at=at, how=how, open_steps=[])
        self.append(call_id, closing, call)

    # -- the call's row, written only when it changes --------------------------------------
    _listings: dict[str, Listing]

    def _listing(self, call_id: str, event: Event, call: Call | Written) -> tuple[Listing, bool]:
        """The call's listing once `event` is written (its route as the call has it), and
        whether the row's columns change from what this store last wrote of them. A call this
        store has not written since it opened (resumed after a restart) is read once."""
        if not hasattr(self, "_listings"):
            self._listings = {}
        known = self._listings.get(call_id)
        before = known
        if before is None:
            seen = written(call)
            before = Listing.of(seen.started.context, self.events(call_id))
        now = before.after(event)._replace(route=written(call).route)
        return now, known is None or now.shown != known.shown

    def _listed(self, call_id: str, now: Listing | None) -> None:
        """After the commit: what the row now holds (None: the call is closed)."""
        if not hasattr(self, "_listings"):
            self._listings = {}
        if now is None:
            self._listings.pop(call_id, None)
        else:
            self._listings[call_id] = now

    def unfinished(self, *, training: bool = False) -> list[CallRow]:
        """Open calls whose console is gone (killed, closed, crashed, its connection dropped):
        to resume or close; real calls only, or training calls only."""
        found = []
        for row in self.rows(training=training, status="open"):
            if self.is_holding(row.id) or not self.hold(row.id):
                continue
            try:
                # Read again under the lock: its console may have closed it and let go of it
                # between the list being read and the lock being taken.
                if self.row(row.id).status == "open":
                    found.append(row)
            finally:
                self.release(row.id)
        return found


if TYPE_CHECKING:
    from .api import Store

    def _every_store_is_one(store: StoreBase) -> Store:
        return store  # mypy checks here that StoreBase has all of api.Store
