"""The connection to a center's database and what rides on it: reconnecting, holding calls
(advisory locks and leases), timing a write out, checking the schema."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from ..api import RecordsDamaged, RecordsError, RecordsUnwritable
from ..base import StoreBase
from ..store import SCHEMA_VERSION

if TYPE_CHECKING:
    import psycopg

from ..sql import LISTED
from .address import (
    _UNREACHABLE,
    _UNREACHABLE_SIGNS,
    RecordsRefused,
    _libpq_says,
    _lock_key,
    _state,
)
from .schema import _MIGRATION_LOCK, _VERSION_TABLE, GUARD, LEASE_GRACE, MIGRATIONS

_ANSWER_WITHIN = 2.0
"""Seconds a statement may take before it is given up (the server cancels it): a commit
takes under a millisecond, so a table locked by someone else, or a server that has stopped
answering, shows NOT SAVED in two seconds rather than holding the screen still."""


_PAUSE = 10.0
"""After a try that failed slowly, seconds in which the store is not tried again: each key
would otherwise wait as long again. Events wait in memory meanwhile, NOT SAVED."""


class Connected(StoreBase):
    """The store's connection to the server, and what rides on it: made again after a
    restart or a dropped network, this console's calls held again (advisory locks and
    leases) before another console is offered them, a write that fails slowly not tried
    again for a while, the schema checked. Its state is set in `PostgresStore.__init__`."""

    url: str
    read_only: bool
    db: psycopg.Connection[Any]
    _locks: set[str]
    _next: dict[str, int]
    _paused_until: float
    _session: tuple[int, Any] | None
    _ghosts: set[tuple[int, Any]]

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
        missing = self._run(
            lambda db: [
                column
                for column in LISTED
                if not db.execute(
                    "SELECT has_column_privilege('calls', %s, 'UPDATE')", (column,)
                ).fetchone()[0]
            ]
        )
        if missing:  # granted before schema 3 named them, to a role made after it
            raise RecordsError(
                f"{self.where}: role {role} may not write the calls' {', '.join(missing)}; "
                "the database's owner grants it as the README says (GRANT UPDATE (status, "
                "ended_at, route, incident, place, holder, holder_console, renewed_at) ON "
                "calls)"
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

    def hold(self, call_id: str) -> bool:
        if call_id in self._locks:
            return True
        taken = self._run(lambda db: self._lock_and_claim(db, call_id))
        if taken:
            self._locks.add(call_id)
        return bool(taken)

    def is_holding(self, call_id: str) -> bool:
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
