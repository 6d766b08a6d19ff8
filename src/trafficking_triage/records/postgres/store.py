"""A center's record store: PostgreSQL, for many consoles and one supervisor.

The same events, schema version and rules as the embedded store: every event committed before
the screen moves on; a call held by its console through a session advisory lock, which the
server lets go of when the console's connection ends (killed, crashed, unplugged), so an
orphaned call is offered once; an event written again after a lost reply is recognised and
not written twice. A console that loses its connection is told (NOT SAVED), keeps the call in
memory, and writes it in full once the server answers again.

Credentials never travel in the store's address (a password there is refused): libpq reads
them from a password file (PGPASSFILE, ~/.pgpass), a service file, or the environment. TLS
settings (sslmode, sslrootcert, ...) in the address or in PG* variables go to libpq as they
are. Needs the optional driver: pip install 'trafficking-triage[postgres]'."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

from .. import sql
from ..api import CallRow, RecordsError, RecordsUnwritable, Written
from ..base import Listing, call_row, listing_of, new_call_id, read_events, written
from ..sql import POSTGRES, CallFilter

if TYPE_CHECKING:
    from collections.abc import Iterator

    import psycopg

    from ...engine import Call
    from ...engine.events import CallStarted, Event
from .address import check_address, describe
from .connection import Connected


class PostgresStore(Connected):
    def __init__(self, url: str, *, read_only: bool = False, migrate: bool = False) -> None:
        """Connect; with `migrate` (`store init`, as the database's owner), make the tables
        or bring them up to date, and the guard on closed calls made again. Raises
        RecordsUnwritable when the server cannot be reached, RecordsDamaged when its schema
        is newer than this program, RecordsError otherwise."""
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise RecordsError(
                "a PostgreSQL store needs its driver: pip install 'trafficking-triage[postgres]'"
            ) from None
        check_address(url)
        self.url = url
        self.where = describe(url)
        self.read_only = read_only
        self._locks: set[str] = set()
        self._next: dict[str, int] = {}
        """Each held call's next event number."""
        self._drawn: dict[str, str] = {}
        """The id given to a call whose first write went unanswered, by its first event."""
        self._paused_until = 0.0
        """Not tried again before this (time.monotonic()): the last try failed slowly."""
        self._session: tuple[int, Any] | None = None
        """This console's server session (its process id and start), to end it should the
        network drop it on this side only: it would go on holding this console's calls."""
        self._ghosts: set[tuple[int, Any]] = set()
        """Earlier sessions of this console not yet ended (see `_live`)."""
        self.db = self._connect()
        self._check_schema(migrate=migrate and not read_only)
        if not read_only:
            self._check_may_write()

    def begin(self, call: Call | Written) -> str:

        call = written(call)
        started = call.started
        first = call.events[0].model_dump_json()
        now = listing_of(call)
        for _attempt in range(20):
            # Begun again after a lost reply, a call keeps the id it was given: its row may
            # be written already, under the lock this console still holds.
            drawn = self._drawn.get(first)
            call_id = drawn or new_call_id(started.at)
            if not self.hold(call_id):
                if drawn is not None:  # its row may be written: never drawn again under another
                    raise RecordsError(
                        f"call {call_id} was taken by another console while the connection was down"
                    )
                continue
            self._drawn[first] = call_id

            def write(db: psycopg.Connection[Any], call_id: str = call_id) -> bool:
                with db.transaction():
                    if not self._insert_row(db, call_id, started):
                        (there,) = db.execute(
                            "SELECT body FROM events WHERE call_id = %s AND seq = 0", (call_id,)
                        ).fetchone() or (None,)
                        if there != first:
                            return False  # another call has this id
                    if now.shown != (None, "", ""):  # before the events: one may close the call
                        db.execute(sql.set_listed(POSTGRES), (*now.shown, call_id))
                    for seq, event in enumerate(call.events):
                        self._insert_event(db, call_id, seq, event, None, not call.copied)
                return True

            try:
                mine = self._run(write)
            except RecordsUnwritable:
                raise  # the lock is kept (taken again on the next connection), and the id
            except BaseException:
                self._drawn.pop(first, None)
                self.release(call_id)
                raise
            del self._drawn[first]
            if not mine:
                self.release(call_id)
                continue  # the same id drawn twice on the same day: draw again
            self._next[call_id] = len(call.events)
            self._listed(call_id, now)
            return call_id
        raise RecordsError("could not find a free call id")  # pragma: no cover

    def _insert_row(self, db: psycopg.Connection[Any], call_id: str, started: CallStarted) -> bool:
        """Inside a transaction: the call's row; False when a row has that id already."""
        return (
            db.execute(
                sql.insert_call(POSTGRES, also=("holder_console",))
                + " ON CONFLICT (id) DO NOTHING",
                (*sql.started_values(POSTGRES, call_id, started), self.console),
            ).rowcount
            == 1
        )

    def _insert_event(
        self,
        db: psycopg.Connection[Any],
        call_id: str,
        seq: int,
        event: Event,
        listing: Listing | None,
        saved: bool = True,
    ) -> None:
        """Inside a transaction: event `seq` of the call. Already there (the reply to an
        earlier commit was lost) it must be this very event; anything else is another console
        writing the same call, and nothing is written. With `listing`, the call's row takes
        it (sql.LISTED: written only when it changes)."""
        from ...engine.events import CallClosed

        body = event.model_dump_json()
        inserted = db.execute(
            sql.insert_event(POSTGRES) + " ON CONFLICT (call_id, seq) DO NOTHING",
            (call_id, seq, event.at, event.kind, body, self.saved_clock() if saved else None),
        ).rowcount
        if not inserted:
            (there,) = db.execute(
                "SELECT body FROM events WHERE call_id = %s AND seq = %s", (call_id, seq)
            ).fetchone() or (None,)
            if there != body:
                raise RecordsError(
                    f"event {seq} of call {call_id} is already written, and is another: a "
                    "second console is writing this call; nothing was written"
                )
        if isinstance(event, CallClosed):
            route = listing.route if listing is not None else None
            db.execute(sql.close_call(POSTGRES), (event.how, event.at, route, call_id))
        elif listing is not None:
            db.execute(sql.set_listed(POSTGRES), (*listing.shown, call_id))

    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None:
        if call_id not in self._locks:
            raise RecordsError(
                f"this console no longer holds call {call_id}: another console took it"
            )

        from ...engine.events import CallClosed

        now, changed = self._listing(call_id, event, call) if call is not None else (None, False)
        closed = isinstance(event, CallClosed)
        listing = now if changed or closed else None

        def write(db: psycopg.Connection[Any]) -> None:
            if call_id not in self._next:
                self._next[call_id] = self._count(db, call_id)
            with db.transaction():
                copied = isinstance(call, Written) and call.copied
                seq = self._next[call_id]
                self._insert_event(db, call_id, seq, event, listing, not copied)

        self._run(write)
        self._next[call_id] += 1
        if closed:
            self._listed(call_id, None)
        elif now is not None:  # what is not shown (the place as said) counts later too
            self._listed(call_id, now)

    @staticmethod
    def _count(db: psycopg.Connection[Any], call_id: str) -> int:
        row = db.execute("SELECT count(*) FROM events WHERE call_id = %s", (call_id,)).fetchone()
        return int(row[0]) if row else 0

    def copy_call(self, row: CallRow, events: list[Event]) -> int:
        """Copy a call from another store: its row if new, then each event not here yet, each
        checked against what is here at its number. Returns the events added (0 the second
        time). Raises RecordsError when the two disagree."""

        def write(db: psycopg.Connection[Any]) -> int:
            with db.transaction():
                db.execute(
                    sql.insert_call(POSTGRES) + " ON CONFLICT (id) DO NOTHING",
                    (
                        row.id,
                        row.started_at,
                        row.console,
                        row.dispatcher,
                        json.dumps(row.context, ensure_ascii=False),
                        row.protocol_id,
                        row.protocol_version,
                        row.protocol_sha256,
                        row.training,
                    ),
                )
                there = db.execute(
                    "SELECT started_at, protocol_sha256 FROM calls WHERE id = %s", (row.id,)
                ).fetchone()
                if there != (row.started_at, row.protocol_sha256):
                    raise RecordsError(f"call {row.id} in the center is another call: not copied")
                have = self._count(db, row.id)
                # The route as the console has it, set while the call is open here (an open
                # call's route can change: taken back, it may have gone another way).
                shown = Listing.of(row.context, events)
                db.execute(
                    "UPDATE calls SET route = %s, incident = %s, place = %s"
                    " WHERE id = %s AND status = 'open'",
                    (row.route, shown.incident, shown.place, row.id),
                )
                there = [body for (body,) in db.execute(sql.call_events(POSTGRES), (row.id,))]
                for seq, event in enumerate(events):
                    if seq >= len(there):  # the guard refuses any event after a close
                        self._insert_event(db, row.id, seq, event, None, saved=False)
                    elif there[seq] != event.model_dump_json():
                        raise RecordsError(
                            f"event {seq} of call {row.id} in the center is another: not copied"
                        )
                # Its route and close as the console has them; a call closed in the center
                # (an orphan closed there) is never opened again, nor its route changed.
                db.execute(
                    "UPDATE calls SET route = coalesce(route, %s), status = %s,"
                    " ended_at = coalesce(ended_at, %s) WHERE id = %s AND status = 'open'",
                    (row.route, row.status, row.ended_at, row.id),
                )
                return max(0, len(events) - have)

        return int(self._run(write))

    def rows(self, *, training: bool | None = False, status: str | None = None) -> list[CallRow]:
        query, args = sql.calls(POSTGRES, training, status)
        return self._readable(self._run(lambda db: db.execute(query, args).fetchall()))

    def listing(self, wanted: CallFilter, limit: int | None = None) -> Iterator[CallRow]:
        # Page by page (each a query of its own, from the last row read), so a year of calls
        # is never held at once and a dropped connection costs only a page.
        left = [limit]
        last: list[tuple[Any, str]] = []

        def page() -> list[Any]:
            size = 500 if left[0] is None else min(500, left[0])
            if size <= 0:
                return []
            query, args = sql.listed_calls(POSTGRES, wanted, size, last[-1] if last else None)
            found: list[Any] = self._run(lambda db: db.execute(query, args).fetchall())
            if found:
                last.append((found[-1][1], found[-1][0]))
            if left[0] is not None:
                left[0] -= len(found)
            return found

        return self._streamed(page)

    def count(self, wanted: CallFilter) -> int:
        query, args = sql.counted_calls(POSTGRES, wanted)
        return int(self._run(lambda db: db.execute(query, args).fetchone()[0]))

    def routes(self, *, training: bool | None = False) -> list[str]:
        query, args = sql.routes_recorded(POSTGRES, training)
        return sorted(str(r) for (r,) in self._run(lambda db: db.execute(query, args).fetchall()))

    def row(self, call_id: str) -> CallRow:
        found = self._run(
            lambda db: db.execute(sql.one_call(POSTGRES), (call_id.upper(),)).fetchone()
        )
        if found is None:
            raise RecordsError(f"no call record with id {ascii(call_id)[1:-1]}")
        return call_row(found)

    def events(self, call_id: str) -> list[Event]:
        found = self._run(
            lambda db: db.execute(sql.call_events(POSTGRES), (call_id.upper(),)).fetchall()
        )
        return read_events(call_id, [body for (body,) in found])

    def written_times(self, call_id: str) -> list[tuple[datetime, datetime | None]]:
        found = self._run(
            lambda db: db.execute(sql.events_written(POSTGRES), (call_id.upper(),)).fetchall()
        )
        return [(at, saved) for at, saved in found]
