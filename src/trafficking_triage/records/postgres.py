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

import hashlib
import json
import re
import time
from typing import TYPE_CHECKING, Any

from .base import COLUMNS, StoreBase, Written, call_row, read_events, rows_query, written
from .store import (
    SCHEMA_VERSION,
    CallRow,
    RecordsDamaged,
    RecordsError,
    RecordsUnwritable,
    new_call_id,
)

if TYPE_CHECKING:
    import psycopg

    from ..engine import Call
    from ..engine.events import CallStarted, Event

# Each migration takes the database from version N-1 to N, as the embedded store's do.
MIGRATIONS = [
    """
    CREATE TABLE calls (
        id TEXT PRIMARY KEY,
        started_at TIMESTAMPTZ NOT NULL,
        ended_at TIMESTAMPTZ,
        status TEXT NOT NULL DEFAULT 'open',
        route TEXT,
        console TEXT,
        dispatcher TEXT,
        context TEXT NOT NULL DEFAULT '{}',
        protocol_id TEXT NOT NULL,
        protocol_version TEXT NOT NULL,
        protocol_sha256 TEXT NOT NULL,
        training BOOLEAN NOT NULL DEFAULT FALSE
    );
    CREATE TABLE events (
        call_id TEXT NOT NULL REFERENCES calls(id),
        seq INTEGER NOT NULL,
        at TIMESTAMPTZ NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (call_id, seq)
    );
    CREATE INDEX calls_started ON calls(started_at);
    """,
    # 2: the database checks what it holds (so one bad row cannot stop a console), and a
    # lease says which console holds each open call: its role, its name, when it last said
    # so. A context that is not JSON is kept, as text, under "unreadable".
    """
    CREATE FUNCTION pg_temp.as_json(given text) RETURNS jsonb LANGUAGE plpgsql AS $$
    BEGIN
        RETURN CASE WHEN jsonb_typeof(given::jsonb) = 'object' THEN given::jsonb
               ELSE jsonb_build_object('unreadable', given) END;
    EXCEPTION WHEN others THEN
        RETURN jsonb_build_object('unreadable', given);
    END $$;
    ALTER TABLE calls ALTER COLUMN context DROP DEFAULT;
    ALTER TABLE calls ALTER COLUMN context TYPE jsonb USING pg_temp.as_json(context);
    ALTER TABLE calls ALTER COLUMN context SET DEFAULT '{}';
    ALTER TABLE calls ADD COLUMN holder TEXT, ADD COLUMN holder_console TEXT,
        ADD COLUMN renewed_at TIMESTAMPTZ;
    ALTER TABLE calls ADD CONSTRAINT calls_checked CHECK (
        id ~ '^[A-Za-z0-9_-]{1,64}$'
        AND status IN ('open', 'completed', 'interrupted', 'abandoned')
        AND (route IS NULL OR route ~ '^[a-z][a-z0-9_]{0,63}$')
        AND jsonb_typeof(context) = 'object'
        AND coalesce(console, '') !~ '[[:cntrl:]]'
        AND coalesce(dispatcher, '') !~ '[[:cntrl:]]'
        AND protocol_sha256 ~ '^[0-9a-f]{64}$'
    ) NOT VALID;
    ALTER TABLE events ADD CONSTRAINT events_checked CHECK (
        seq >= 0 AND kind ~ '^[a-z_]{1,40}$'
    ) NOT VALID;
    CREATE INDEX calls_open ON calls(started_at) WHERE status = 'open';
    """,
]

LEASE_GRACE = 60
"""Seconds a console's hold on a call outlasts its last word (its store check, every 3 s):
longer than a server's restart and a console's reconnect, so a console whose connection broke
takes its calls back before any other console is offered them. A console that died lets go
of its calls after it (sooner to the same console started again)."""

# Made again by every `store init` (not a migration: nothing to keep in it). What the roles
# may do is the owner's grant; this holds for every role:
# - a call closed stays closed, every column of it, and no event is added after its close;
# - an open call is changed, and its events added, only by the role that holds it (which
#   takes it by changing its row: a call held by another role only once that role has not
#   renewed its hold for LEASE_GRACE seconds). Each console signs in as a role of its own.
# The lease's times are the server's own clock.
GUARD = """
CREATE OR REPLACE FUNCTION trafficking_triage_calls_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status <> 'open' THEN
            RAISE EXCEPTION 'a call is written open, then closed'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        NEW.holder := current_user;
        NEW.renewed_at := now();
        RETURN NEW;
    END IF;
    IF OLD.status <> 'open' THEN
        RAISE EXCEPTION 'call % is closed: it is not changed', OLD.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.holder IS DISTINCT FROM current_user AND OLD.holder IS NOT NULL
        AND OLD.renewed_at > now() - interval 'GRACE seconds' THEN
        RAISE EXCEPTION 'call % is held by another console', OLD.id USING ERRCODE = 'TT001';
    END IF;
    IF NEW.holder IS NULL AND OLD.holder IS NOT DISTINCT FROM current_user THEN
        NEW.holder_console := NULL;  -- let go of by its holder
        NEW.renewed_at := NULL;
        RETURN NEW;
    END IF;
    NEW.holder := current_user;
    NEW.renewed_at := now();
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION trafficking_triage_events_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    found_status text;
    found_holder text;
BEGIN
    SELECT status, holder INTO found_status, found_holder FROM calls
        WHERE id = NEW.call_id FOR SHARE;
    IF found_status IS DISTINCT FROM 'open' THEN
        RAISE EXCEPTION 'call % is closed: no event is added after its close', NEW.call_id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF found_holder IS DISTINCT FROM current_user THEN
        RAISE EXCEPTION 'call % is held by another console', NEW.call_id USING ERRCODE = 'TT001';
    END IF;
    RETURN NEW;
END $$;
DROP FUNCTION IF EXISTS trafficking_triage_closed_stays() CASCADE;
DROP TRIGGER IF EXISTS calls_guard ON calls;
CREATE TRIGGER calls_guard BEFORE INSERT OR UPDATE ON calls
    FOR EACH ROW EXECUTE FUNCTION trafficking_triage_calls_guard();
DROP TRIGGER IF EXISTS events_guard ON events;
CREATE TRIGGER events_guard BEFORE INSERT ON events
    FOR EACH ROW EXECUTE FUNCTION trafficking_triage_events_guard();
""".replace("GRACE", str(LEASE_GRACE))

_VERSION_TABLE = "trafficking_triage_schema"
_MIGRATION_LOCK = 0x7472_6961_6765  # one key: consoles starting together migrate once
_UNREACHABLE = "the center's database cannot be reached"
_ANSWER_WITHIN = 2.0
"""Seconds a statement may take before it is given up (the server cancels it): a commit
takes under a millisecond, so a table locked by someone else, or a server that has stopped
answering, shows NOT SAVED in two seconds rather than holding the screen still."""
_PAUSE = 10.0
"""After a try that failed slowly, seconds in which the store is not tried again: each key
would otherwise wait as long again. Events wait in memory meanwhile, NOT SAVED."""


class RecordsRefused(RecordsError):
    """The center's database refused this role something (a privilege it lacks)."""


def _state(error: Exception) -> str:
    """What the server said went wrong, by its SQLSTATE: never the statement or its values."""
    code = getattr(error, "sqlstate", None)
    name = type(error).__name__
    return f"SQLSTATE {code}, {name}" if code else name


_UNREACHABLE_SIGNS = (
    "No such file",
    "Connection refused",
    "timeout expired",
    "could not translate host name",
    "unreachable",
    "No route to host",
    "server closed the connection",
)


def _libpq_says(error: Exception) -> str:
    """libpq's reason, without the socket or host it names first (the store's description
    says which database): "password authentication failed for user ...", "database ... does
    not exist", "definition of service ... not found". An address never holds a password
    (refused before connecting), so none can be repeated here."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    text = re.sub(r"^connection (failed|is bad): ", "", text)
    text = re.sub(r"^connection to server (on socket|at) .*? failed: ", "", text)
    text = re.sub(r"^(FATAL|ERROR):\s+", "", text)
    return "".join(c for c in text if c.isprintable())[:200]


def _lock_key(call_id: str) -> int:
    """The advisory lock of a call: 64 bits of its id's SHA-256, as PostgreSQL's bigint."""
    digest = hashlib.sha256(f"trafficking-triage call {call_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def describe(url: str) -> str:
    """The database named for messages: its name and host, never a password or user."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "the center's database (its address could not be read)"
    host = str(parts.get("host") or "the local socket")
    name = str(parts.get("dbname") or parts.get("service") or "(default)")
    return f"PostgreSQL database {name} on {host}"


def check_address(url: str) -> None:
    """Refuse an address that holds a password: process arguments, shell histories and CAD
    launch lines show it to others."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception as error:
        raise RecordsError(f"the store's address cannot be read ({type(error).__name__})") from None
    if "password" in parts or "sslpassword" in parts:
        raise RecordsError(
            "the store's address holds a password, which others can read in process lists "
            "and shell histories. Take it out, and give it in a password file (PGPASSFILE or "
            "~/.pgpass), a service file (PGSERVICEFILE, service=NAME), or PGPASSWORD."
        )


class PostgresStore(StoreBase):
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

    # -- the connection ---------------------------------------------------------------------
    def _connect(self) -> psycopg.Connection[Any]:
        import os

        import psycopg
        from psycopg.conninfo import conninfo_to_dict

        given = conninfo_to_dict(self.url)
        settings: dict[str, Any] = {
            # libpq's least connect timeout, and keepalives: a dropped network is found in
            # seconds, not when the operating system gives up minutes later.
            "connect_timeout": 2,
            "keepalives": 1,
            "keepalives_idle": 5,
            "keepalives_interval": 2,
            "keepalives_count": 3,
            "tcp_user_timeout": 4000,
        }
        settings = {key: value for key, value in settings.items() if key not in given}
        if self.read_only:  # added to any options the address or PGOPTIONS give
            options = str(given.get("options") or os.environ.get("PGOPTIONS", ""))
            settings["options"] = f"{options} -c default_transaction_read_only=on".strip()
        try:
            db = psycopg.connect(
                self.url, autocommit=True, application_name="trafficking-triage", **settings
            )
        except psycopg.OperationalError as error:
            said = _libpq_says(error)
            if any(sign in said for sign in _UNREACHABLE_SIGNS):
                cause = f"{_UNREACHABLE} ({said})"
            else:  # refused (a password, a role, a database name) or a setting (TLS, service)
                cause = f"cannot connect to the center's database: {said}"
            raise RecordsUnwritable(cause, f"{self.where}: {cause}") from None
        except psycopg.Error as error:
            raise RecordsError(f"{self.where} refused the connection ({_state(error)})") from None
        if not self.read_only:  # a long report may take its time
            db.execute(f"SET statement_timeout = {int(_ANSWER_WITHIN * 1000)}")
        encoding = db.execute("SHOW server_encoding").fetchone()
        if encoding is None or str(encoding[0]).upper() not in {"UTF8", "UTF-8"}:
            db.close()
            raise RecordsError(
                f"{self.where} does not keep text as UTF-8 ({encoding[0] if encoding else '?'}):"
                " a caller's words in any language must be kept as said. Make the database "
                "with createdb -E UTF8 -T template0."
            )
        self._session = db.execute(
            "SELECT pid, backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid()"
        ).fetchone()
        return db

    def _live(self) -> psycopg.Connection[Any]:
        """The connection, made again if the last one broke (a restarted server, a dropped
        network); the calls this console held are taken again first. A call another console
        took meanwhile is said; the rest stay held."""
        if not (self.db.closed or self.db.broken):
            return self.db
        self.db.close()
        if self._session is not None:
            self._ghosts.add(self._session)
        self.db = self._connect()
        # The network may have dropped on this side only (Wi-Fi, a VPN): the old session then
        # lives on in the server, holding this console's calls (an offered one too), until
        # the server notices, which can take hours. It is this console's own (the same
        # process and start, never another's): ended, its locks come back.
        ending = self._end_ghosts()
        lost = self._take_again(sorted(self._locks))
        for _ in range(20 if ending and lost else 0):  # let go of as its process exits
            time.sleep(0.1)
            lost = self._take_again(lost)
            if not lost:
                break
        self._locks.difference_update(lost)
        if lost:
            raise RecordsError(
                f"call {', '.join(lost)} was taken by another console while the connection was down"
            )
        return self.db

    def _end_ghosts(self) -> bool:
        """End this console's earlier sessions the server still has; True if one was."""
        import psycopg

        ended = False
        for ghost in list(self._ghosts):
            try:
                found = self.db.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE pid = %s AND backend_start = %s",
                    ghost,
                ).fetchone()
            except psycopg.errors.InsufficientPrivilege:  # a role set up otherwise
                found = None
            ended = ended or bool(found and found[0])
            self._ghosts.discard(ghost)  # gone, or ended now
        return ended

    def _take_again(self, call_ids: list[str]) -> list[str]:
        """Take these calls' locks (and leases) on the new connection: the ones another
        session holds."""
        return [call_id for call_id in call_ids if not self._lock_and_claim(self.db, call_id)]

    def _lock_and_claim(self, db: psycopg.Connection[Any], call_id: str) -> bool:
        """The call's advisory lock (held while this connection lives), then its lease."""
        (taken,) = db.execute(
            "SELECT pg_try_advisory_lock(%s)", (_lock_key(call_id),)
        ).fetchone() or (False,)
        if taken and self._claim(db, call_id):
            return True
        if taken:
            db.execute("SELECT pg_advisory_unlock(%s)", (_lock_key(call_id),))
        return False

    def _claim(self, db: psycopg.Connection[Any], call_id: str) -> bool:
        """With the call's lock: its lease, if this console may take it: a call of this
        console (its role and name: the same console started again, or its connection made
        again), or one whose holder has been silent for LEASE_GRACE seconds. A new call's
        id (no row yet) and a closed call have nothing to take."""
        import psycopg

        row = db.execute(
            "SELECT status, holder = current_user AND holder_console IS NOT DISTINCT FROM %s,"
            " renewed_at > now() - make_interval(secs => %s), holder IS NULL"
            " FROM calls WHERE id = %s",
            (self.console, LEASE_GRACE, call_id),
        ).fetchone()
        if row is None or row[0] != "open":
            return True
        _status, mine, fresh, free = row
        if fresh and not (mine or free):
            return False
        try:
            db.execute(  # the trigger writes the role and the server's time
                "UPDATE calls SET holder_console = %s WHERE id = %s", (self.console, call_id)
            )
        except psycopg.Error as error:
            if getattr(error, "sqlstate", None) == "TT001":  # renewed a moment ago
                return False
            raise
        return True

    def _run(self, work: Any) -> Any:
        """Run `work(connection)`. A connection lost on the way (or a write the server
        refuses) is RecordsUnwritable: the console goes on, NOT SAVED, and tries again; after
        a try that failed slowly, not for `_PAUSE` seconds."""
        if time.monotonic() < self._paused_until:
            raise RecordsUnwritable(_UNREACHABLE, f"{self.where} is not answering")
        tried = time.monotonic()
        try:
            return self._try(work)
        except RecordsUnwritable:
            if time.monotonic() - tried > 1.0:  # a network that swallows what is sent, say
                self._paused_until = time.monotonic() + _PAUSE
            raise

    def _try(self, work: Any) -> Any:
        import psycopg

        for attempt in (1, 2):
            try:
                return work(self._live())
            except psycopg.errors.QueryCanceled:  # by statement_timeout
                cause = f"the center's database did not answer within {_ANSWER_WITHIN:.0f} s"
                raise RecordsUnwritable(cause, f"{self.where}: {cause}") from None
            except (psycopg.OperationalError, psycopg.InterfaceError):
                if attempt == 2 or not (self.db.closed or self.db.broken):
                    break
                # The connection broke (a restarted server, a dropped network, an idle
                # timeout): once more on a new one. Every write here may be sent twice.
            except psycopg.errors.InsufficientPrivilege as error:
                raise RecordsRefused(f"{self.where} refused: {_state(error)}") from None
            except psycopg.Error as error:  # a read-only standby after a failover, say
                cause = f"the center's database refused the write ({_state(error)})"
                if getattr(error, "sqlstate", None) == "TT001":  # the guard (see GUARD)
                    cause = "another console holds this call in the center's database"
                elif "is closed" in str(error):
                    cause = "the call is closed in the center's database: nothing is added to it"
                raise RecordsUnwritable(cause, f"{self.where}: {cause}") from None
        raise RecordsUnwritable(_UNREACHABLE, f"{self.where} cannot be reached")

    def _check_may_write(self) -> None:
        """A console connected as a role that may only read (the supervisors') would be
        offered calls it cannot write: said before any call."""
        role, may = self._run(
            lambda db: db.execute(
                "SELECT current_user, has_table_privilege('calls', 'INSERT')"
                " AND has_table_privilege('events', 'INSERT')"
                " AND has_any_column_privilege('calls', 'UPDATE')"
            ).fetchone()
        )
        if not may:
            raise RecordsError(
                f"{self.where}: role {role} may only read the calls; a console connects as a "
                "role that may write them (triage_console in the README)"
            )

    def _check_schema(self, *, migrate: bool) -> None:

        def version(db: psycopg.Connection[Any]) -> int:
            found = db.execute("SELECT to_regclass(%s)", (_VERSION_TABLE,)).fetchone()
            if found is None or found[0] is None:
                return 0
            row = db.execute(f"SELECT version FROM {_VERSION_TABLE}").fetchone()  # noqa: S608
            return int(row[0]) if row else 0

        def bring_up(db: psycopg.Connection[Any]) -> None:
            # The lock before the transaction: one begun after it sees the tables another
            # console made meanwhile (a transaction's catalog view is fixed as it begins).
            db.execute("SET statement_timeout = 0")  # the owner's tables may take time
            db.execute("SELECT pg_advisory_lock(%s)", (_MIGRATION_LOCK,))
            try:
                make_tables(db)
                db.execute(GUARD)
            finally:
                db.execute("SELECT pg_advisory_unlock(%s)", (_MIGRATION_LOCK,))

        def make_tables(db: psycopg.Connection[Any]) -> None:
            with db.transaction():
                now = version(db)  # again, under the lock
                if now == 0:
                    db.execute(f"CREATE TABLE {_VERSION_TABLE} (version INTEGER NOT NULL)")
                    db.execute(f"INSERT INTO {_VERSION_TABLE} VALUES (0)")  # noqa: S608
                for number in range(now, SCHEMA_VERSION):
                    db.execute(MIGRATIONS[number])  # one string, its statements in order
                db.execute(f"UPDATE {_VERSION_TABLE} SET version = %s", (SCHEMA_VERSION,))  # noqa: S608

        now = self._run(version)
        if now > SCHEMA_VERSION:
            raise RecordsDamaged(
                f"the call records in {self.where} were written by a newer version of this "
                f"program (schema {now}; this one knows {SCHEMA_VERSION}): use the newer program"
            )
        if now == SCHEMA_VERSION and not migrate:
            return
        if not migrate:
            raise RecordsError(
                f"{self.where} has no call records of schema {SCHEMA_VERSION} yet: its owner "
                "runs `trafficking-triage store init` once"
            )
        try:
            self._run(bring_up)
        except RecordsRefused:
            raise RecordsError(
                f"{self.where} has no call records of schema {SCHEMA_VERSION} yet, and this "
                "role may not make them: the database's owner runs `trafficking-triage store "
                "init` once"
            ) from None

    def keep_alive(self) -> None:
        """The store checked, and the hold on each call this console holds renewed (its
        lease): another console is offered none of them while it is fresh. A call found
        taken meanwhile (this console silent for longer than the grace) is said."""
        held = sorted(self._locks)

        def renew(db: psycopg.Connection[Any]) -> list[str]:
            if not held:
                db.execute("SELECT 1")
                return []
            with db.transaction():
                db.execute(
                    "UPDATE calls SET renewed_at = now() WHERE id = ANY(%s) AND status = 'open'"
                    " AND holder = current_user",
                    (held,),
                )
                lost = db.execute(
                    "SELECT id FROM calls WHERE id = ANY(%s) AND status = 'open'"
                    " AND holder IS DISTINCT FROM current_user",
                    (held,),
                ).fetchall()
            return [str(call_id) for (call_id,) in lost]

        lost = self._run(renew)
        if lost:
            self._locks.difference_update(lost)
            raise RecordsError(f"call {', '.join(lost)} was taken by another console")

    def close(self) -> None:
        for call_id in list(self._locks):
            self.release(call_id)
        self.db.close()

    # -- writing ----------------------------------------------------------------------------
    def begin(self, call: Call | Written) -> str:

        call = written(call)
        started = call.started
        first = call.events[0].model_dump_json()
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
                    for seq, event in enumerate(call.events):
                        self._insert_event(db, call_id, seq, event, call)
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
            return call_id
        raise RecordsError("could not find a free call id")  # pragma: no cover

    def _insert_row(self, db: psycopg.Connection[Any], call_id: str, started: CallStarted) -> bool:
        """Inside a transaction: the call's row; False when a row has that id already."""
        return (
            db.execute(
                "INSERT INTO calls (id, started_at, console, dispatcher, context, protocol_id,"
                " protocol_version, protocol_sha256, training, holder_console) VALUES"
                " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
                (
                    call_id,
                    started.at,
                    started.console,
                    started.dispatcher,
                    json.dumps(started.context, ensure_ascii=False),
                    started.protocol_id,
                    started.protocol_version,
                    started.protocol_sha256,
                    started.training,
                    self.console,
                ),
            ).rowcount
            == 1
        )

    def _insert_event(
        self,
        db: psycopg.Connection[Any],
        call_id: str,
        seq: int,
        event: Event,
        call: Call | Written | None,
    ) -> None:
        """Inside a transaction: event `seq` of the call. Already there (the reply to an
        earlier commit was lost) it must be this very event; anything else is another console
        writing the same call, and nothing is written."""
        from ..engine.events import CallClosed

        body = event.model_dump_json()
        inserted = db.execute(
            "INSERT INTO events (call_id, seq, at, kind, body) VALUES (%s, %s, %s, %s, %s)"
            " ON CONFLICT (call_id, seq) DO NOTHING",
            (call_id, seq, event.at, event.kind, body),
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
        route = written(call).route if call is not None else None
        if isinstance(event, CallClosed):
            db.execute(
                "UPDATE calls SET status = %s, ended_at = %s, route = coalesce(%s, route)"
                " WHERE id = %s",
                (event.how, event.at, route, call_id),
            )
        elif call is not None:
            db.execute("UPDATE calls SET route = %s WHERE id = %s", (route, call_id))

    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None:
        if call_id not in self._locks:
            raise RecordsError(
                f"this console no longer holds call {call_id}: another console took it"
            )

        def write(db: psycopg.Connection[Any]) -> None:
            if call_id not in self._next:
                self._next[call_id] = self._count(db, call_id)
            with db.transaction():
                self._insert_event(db, call_id, self._next[call_id], event, call)

        self._run(write)
        self._next[call_id] += 1

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
                    "INSERT INTO calls (id, started_at, console, dispatcher, context,"
                    " protocol_id, protocol_version, protocol_sha256, training) VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (id) DO NOTHING",
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
                db.execute(
                    "UPDATE calls SET route = %s WHERE id = %s AND status = 'open'",
                    (row.route, row.id),
                )
                there = [
                    body
                    for (body,) in db.execute(
                        "SELECT body FROM events WHERE call_id = %s ORDER BY seq", (row.id,)
                    )
                ]
                for seq, event in enumerate(events):
                    if seq >= len(there):  # the guard refuses any event after a close
                        self._insert_event(db, row.id, seq, event, None)
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

    # -- reading ----------------------------------------------------------------------------
    def rows(self, *, training: bool | None = False, status: str | None = None) -> list[CallRow]:
        query, args = rows_query(training, status, "%s")
        return self._readable(self._run(lambda db: db.execute(query, args).fetchall()))

    def row(self, call_id: str) -> CallRow:
        query = f"SELECT {COLUMNS} FROM calls WHERE id = %s"  # noqa: S608
        found = self._run(lambda db: db.execute(query, (call_id.upper(),)).fetchone())
        if found is None:
            raise RecordsError(f"no call record with id {ascii(call_id)[1:-1]}")
        return call_row(found)

    def events(self, call_id: str) -> list[Event]:
        found = self._run(
            lambda db: db.execute(
                "SELECT body FROM events WHERE call_id = %s ORDER BY seq", (call_id.upper(),)
            ).fetchall()
        )
        return read_events(call_id, [body for (body,) in found])

    # -- who holds a call -------------------------------------------------------------------
    def hold(self, call_id: str) -> bool:
        if call_id in self._locks:
            return True
        taken = self._run(lambda db: self._lock_and_claim(db, call_id))
        if taken:
            self._locks.add(call_id)
        return bool(taken)

    def holds(self, call_id: str) -> bool:
        return call_id in self._locks

    def release(self, call_id: str) -> None:
        if call_id not in self._locks:
            return
        self._locks.discard(call_id)
        self._next.pop(call_id, None)
        if not (self.db.closed or self.db.broken):  # a lost connection let go of it already
            try:
                self.db.execute(  # an open call let go of: another console may take it now
                    "UPDATE calls SET holder = NULL WHERE id = %s AND status = 'open'"
                    " AND holder = current_user",
                    (call_id,),
                )
                self.db.execute("SELECT pg_advisory_unlock(%s)", (_lock_key(call_id),))
            except Exception:
                return
