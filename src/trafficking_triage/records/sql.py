"""The SQL both stores speak, written once: the first schema's tables (each database's own
types), and the statements that write and read a call, with each driver's parameter mark.
What only one store does (SQLite's triggers, PostgreSQL's leases and guard) stays with it."""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..engine.events import CallStarted


class Dialect(NamedTuple):
    mark: str
    """The driver's parameter mark."""
    time: str
    """The type of a time column."""
    flag: str
    """The type of a yes/no column, and its no."""
    no: str
    times_as_text: bool
    """SQLite keeps times as ISO text; PostgreSQL as times."""

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)

    def time_value(self, at: datetime) -> Any:
        return at.isoformat() if self.times_as_text else at

    def flag_value(self, value: bool) -> Any:
        return int(value) if self.times_as_text else value


SQLITE = Dialect("?", "TEXT", "INTEGER", "0", times_as_text=True)
POSTGRES = Dialect("%s", "TIMESTAMPTZ", "BOOLEAN", "FALSE", times_as_text=False)


def tables(d: Dialect) -> str:
    """Schema 1, as both stores made it (each store's later migrations are its own)."""
    return f"""
    CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        started_at {d.time} NOT NULL,
        ended_at {d.time},
        status TEXT NOT NULL DEFAULT 'open',
        route TEXT,
        console TEXT,
        dispatcher TEXT,
        context TEXT NOT NULL DEFAULT '{{}}',
        protocol_id TEXT NOT NULL,
        protocol_version TEXT NOT NULL,
        protocol_sha256 TEXT NOT NULL,
        training {d.flag} NOT NULL DEFAULT {d.no}
    );
    CREATE TABLE events (
        call_id TEXT NOT NULL REFERENCES calls(id),
        seq INTEGER NOT NULL,
        at {d.time} NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (call_id, seq)
    );
    CREATE INDEX calls_started ON calls(started_at);
    """


COLUMNS = (
    "id, started_at, ended_at, status, route, console, dispatcher, context, protocol_id,"
    " protocol_version, protocol_sha256, training"
)
"""A call's row, in the order `base.call_row` reads it."""

_STARTED = (
    "id, started_at, console, dispatcher, context, protocol_id, protocol_version,"
    " protocol_sha256, training"
)


def insert_call(d: Dialect, *, also: tuple[str, ...] = ()) -> str:
    """A call's row as it starts (`started_values`), with the store's own columns `also`."""
    columns = ", ".join((_STARTED, *also))
    return f"INSERT INTO calls ({columns}) VALUES ({d.marks(9 + len(also))})"


def started_values(d: Dialect, call_id: str, started: CallStarted) -> tuple[Any, ...]:
    return (
        call_id,
        d.time_value(started.at),
        started.console,
        started.dispatcher,
        json.dumps(started.context, ensure_ascii=False),
        started.protocol_id,
        started.protocol_version,
        started.protocol_sha256,
        d.flag_value(started.training),
    )


def insert_event(d: Dialect) -> str:
    return f"INSERT INTO events (call_id, seq, at, kind, body) VALUES ({d.marks(5)})"


def close_call(d: Dialect) -> str:
    """A close written alone keeps the route the call had."""
    m = d.mark
    return (
        f"UPDATE calls SET status = {m}, ended_at = {m}, route = coalesce({m}, route)"
        f" WHERE id = {m}"
    )


def set_route(d: Dialect) -> str:
    return f"UPDATE calls SET route = {d.mark} WHERE id = {d.mark}"


def one_call(d: Dialect) -> str:
    return f"SELECT {COLUMNS} FROM calls WHERE id = {d.mark}"


def call_events(d: Dialect) -> str:
    return f"SELECT body FROM events WHERE call_id = {d.mark} ORDER BY seq"


def calls(d: Dialect, training: bool | None, status: str | None) -> tuple[str, list[Any]]:
    """Calls, newest first: real or training ones (None: both), of one status or all."""
    query = f"SELECT {COLUMNS} FROM calls"
    where: list[str] = []
    args: list[Any] = []
    if training is not None:
        where.append(f"training = {d.mark}")
        args.append(training)
    if status is not None:
        where.append(f"status = {d.mark}")
        args.append(status)
    if where:
        query += " WHERE " + " AND ".join(where)
    return query + " ORDER BY started_at DESC, id DESC", args
