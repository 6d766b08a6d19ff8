"""The SQL both stores speak, written once: the first schema's tables (each database's own
types), and the statements that write and read a call, with each driver's parameter mark.
What only one store does (SQLite's triggers, PostgreSQL's leases and guard) stays with it."""

from __future__ import annotations

import json
from datetime import UTC, datetime
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
    fold: str = "lower"
    """The function that folds a place's case for a search (SQLite's own lower() folds
    only ASCII letters: the store gives it Python's casefold, so "ñandú" finds "Ñandú")."""

    def marks(self, count: int) -> str:
        return ", ".join([self.mark] * count)

    def time_value(self, at: datetime) -> Any:
        return at.isoformat() if self.times_as_text else at

    def flag_value(self, value: bool) -> Any:
        return int(value) if self.times_as_text else value


SQLITE = Dialect("?", "TEXT", "INTEGER", "0", times_as_text=True, fold="casefold")
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


def listed_sql(d: Dialect) -> tuple[str, str]:
    """The incident number and the place of the call in each row of `calls`, as `base.Listing`
    works them out from its events (for the migration that fills them in). An event whose
    text is not JSON (damaged, or made by hand) is passed over, never a failed migration."""
    if d.times_as_text:  # SQLite's JSON functions, on a text checked first

        def read(text: str, *path: str) -> str:
            return (
                f"CASE WHEN json_valid({text}) THEN json_extract({text}, '$.{'.'.join(path)}') END"
            )

        def has(text: str, *path: str) -> str:
            found = f"json_type({text}, '$.{'.'.join(path)}')"
            return f"(CASE WHEN json_valid({text}) THEN {found} END) IS NOT NULL"

    else:  # PostgreSQL: pg_temp.read_json, made by the migration, gives NULL for non-JSON

        def read(text: str, *path: str) -> str:
            return f"(pg_temp.read_json({text}) #>> '{{{','.join(path)}}}')"

        def has(text: str, *path: str) -> str:
            return f"(pg_temp.read_json({text}) #> '{{{','.join(path)}}}') IS NOT NULL"

    context = "calls.context" if d.times_as_text else "calls.context::text"

    def entered(name: str) -> str:
        return (
            f"(SELECT {read('e.body', 'details', name)} FROM events e"
            f" WHERE e.call_id = calls.id AND e.kind = 'details_given'"
            f" AND {has('e.body', 'details', name)} ORDER BY e.seq DESC LIMIT 1)"
        )

    value = read("e.body", "value")
    said = (
        f"(SELECT {value} FROM events e WHERE e.call_id = calls.id"
        f" AND e.kind = 'question_answered' AND {read('e.body', 'question')} = 'location'"
        f" AND coalesce({value}, '') <> '' ORDER BY e.seq DESC LIMIT 1)"
    )
    incident = f"coalesce({entered('incident')}, {read(context, 'incident')}, '')"
    place = (
        f"coalesce(nullif(coalesce({entered('location')}, {read(context, 'location')}, ''),"
        f" ''), {said}, '')"
    )
    return incident, place


COLUMNS = (
    "id, started_at, ended_at, status, route, console, dispatcher, context, protocol_id,"
    " protocol_version, protocol_sha256, training, incident, place"
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


LISTED = ("route", "incident", "place")
"""What of a call's row changes while it is open (besides its close), as `base.Listing`
works it out; written only when one of them changes."""


def started_values(d: Dialect, call_id: str, started: CallStarted) -> tuple[Any, ...]:
    return (
        call_id,
        d.time_value(started.at.astimezone(UTC)),  # one offset: compared as text in SQLite
        started.console,
        started.dispatcher,
        json.dumps(started.context, ensure_ascii=False),
        started.protocol_id,
        started.protocol_version,
        started.protocol_sha256,
        d.flag_value(started.training),
    )


def insert_event(d: Dialect) -> str:
    """An event, with the time the store took it (`saved_at`, from schema 4: None for an
    event copied from elsewhere, whose saving is not known here)."""
    return f"INSERT INTO events (call_id, seq, at, kind, body, saved_at) VALUES ({d.marks(6)})"


def events_written(d: Dialect) -> str:
    """Each event's time, and the time the store took it (None: not known)."""
    return f"SELECT at, saved_at FROM events WHERE call_id = {d.mark} ORDER BY seq"


def close_call(d: Dialect) -> str:
    """A close written alone keeps the route the call had."""
    m = d.mark
    return (
        f"UPDATE calls SET status = {m}, ended_at = {m}, route = coalesce({m}, route)"
        f" WHERE id = {m}"
    )


def set_listed(d: Dialect) -> str:
    """The call's route, incident and place (see LISTED)."""
    m = d.mark
    return f"UPDATE calls SET route = {m}, incident = {m}, place = {m} WHERE id = {m}"


def one_call(d: Dialect) -> str:
    return f"SELECT {COLUMNS} FROM calls WHERE id = {d.mark}"


def call_events(d: Dialect) -> str:
    return f"SELECT body FROM events WHERE call_id = {d.mark} ORDER BY seq"


def calls(d: Dialect, training: bool | None, status: str | None) -> tuple[str, list[Any]]:
    """Calls, newest first: real or training ones (None: both), of one status or all."""
    return listed_calls(d, CallFilter(training=training, status=status))


class CallFilter(NamedTuple):
    """Which calls `records list` shows; every one is a condition in SQL, on an index where
    one serves (the start time, open calls, the incident)."""

    training: bool | None = False
    status: str | None = None
    since: datetime | None = None
    """Started at or after this moment (a local day's start, as a UTC time)."""
    before: datetime | None = None
    """Started before this moment (the start of the local day after --until)."""
    route: str | None = None
    console: str | None = None
    dispatcher: str | None = None
    incident: str | None = None
    """The incident number, in any case."""
    place: str | None = None
    """Text the call's place holds, in any case."""


def _where(d: Dialect, wanted: CallFilter) -> tuple[str, list[Any]]:
    m = d.mark
    where: list[str] = []
    args: list[Any] = []
    if wanted.training is not None:
        where.append(f"training = {m}")
        args.append(d.flag_value(wanted.training))
    if wanted.status == "open":
        where.append("status = 'open'")  # as written, so the index of open calls serves
    elif wanted.status is not None:
        where.append(f"status = {m}")
        args.append(wanted.status)
    if wanted.since is not None:
        where.append(f"started_at >= {m}")
        args.append(d.time_value(wanted.since))
    if wanted.before is not None:
        where.append(f"started_at < {m}")
        args.append(d.time_value(wanted.before))
    for column, value in (
        ("route", wanted.route),
        ("console", wanted.console),
        ("dispatcher", wanted.dispatcher),
    ):
        if value is not None:
            where.append(f"{column} = {m}")
            args.append(value)
    if wanted.incident is not None:
        where.append(f"lower(incident) = lower({m})")
        args.append(wanted.incident)
    if wanted.place is not None:
        escaped = wanted.place.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        where.append(f"{d.fold}(place) LIKE {d.fold}({m}) ESCAPE '\\'")
        args.append(f"%{escaped}%")
    return (" WHERE " + " AND ".join(where)) if where else "", args


def listed_calls(
    d: Dialect, wanted: CallFilter, limit: int | None = None, after: tuple[Any, str] | None = None
) -> tuple[str, list[Any]]:
    """The calls `wanted`, newest first; at most `limit` of them; with `after` (a row's
    start and id, as read), only those listed after it (a page of a long list)."""
    where, args = _where(d, wanted)
    if after is not None:
        m = d.mark
        where += f"{' AND' if where else ' WHERE'} (started_at, id) < ({m}, {m})"
        args += [after[0], after[1]]
    query = f"SELECT {COLUMNS} FROM calls{where} ORDER BY started_at DESC, id DESC"
    if limit is not None:
        query += f" LIMIT {int(limit)}"
    return query, args


def counted_calls(d: Dialect, wanted: CallFilter) -> tuple[str, list[Any]]:
    where, args = _where(d, wanted)
    return f"SELECT count(*) FROM calls{where}", args


def routes_recorded(d: Dialect, training: bool | None) -> tuple[str, list[Any]]:
    where, args = _where(d, CallFilter(training=training))
    extra = " AND" if where else " WHERE"
    return f"SELECT DISTINCT route FROM calls{where}{extra} route IS NOT NULL", args
