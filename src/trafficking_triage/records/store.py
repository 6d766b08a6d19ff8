"""The embedded record store (the default): one SQLite database in a private directory, every
event committed as it happens, so a call survives a killed process, a closed terminal or a
power cut. A center's consoles may share a PostgreSQL store instead (postgres.py); both keep
the interface of base.py.

The console's session writes each call through a `Recorder` (records/recorder.py), which
appends every event here as it happens; the `records` commands read. Nothing here prints or
logs what a caller said: errors name files and causes, never call contents.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from datetime import datetime
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, Concatenate, ParamSpec, TypeVar

from ..files import own_directory
from ..paths import DATA_ENV
from . import sql
from .api import CallRow, RecordsDamaged, RecordsError, RecordsUnwritable, Written, cause_of
from .base import StoreBase, call_row, listing_of, new_call_id, read_events, written
from .sql import SQLITE, CallFilter

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import CallStarted, Event

from .sqlite_files import _private_directory, _private_file
from .sqlite_open import (
    connect,
    remember_checked,
    signature,
    unchanged_since_checked,
    use_write_ahead_log,
)
from .sqlite_schema import MIGRATIONS as MIGRATIONS  # the version each one brings
from .sqlite_schema import SCHEMA_VERSION as SCHEMA_VERSION
from .sqlite_schema import migrate, refuse_foreign_or_newer

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _in_our_words(
    method: Callable[Concatenate[SqliteStore, _P], _R],
) -> Callable[Concatenate[SqliteStore, _P], _R]:
    """The store's own errors (api.py) for SQLite's and the system's: whoever uses a store
    catches RecordsError alone, and never needs to know which database it has."""

    def said(self: SqliteStore, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return method(self, *args, **kwargs)
        except sqlite3.Error as error:
            raise self._as_records_error(error) from None
        except OSError as error:
            raise RecordsUnwritable(cause_of(error), self._unwritable(error)) from None

    return wraps(method)(said)  # type: ignore[return-value]  # the same signature


DB_NAME = "calls.sqlite3"


class SqliteStore(StoreBase):
    """The embedded store: one SQLite file in a console's private data directory."""

    def __init__(self, directory: Path, *, read_only: bool = False) -> None:
        """Open (or, to write, create) the records in `directory`. `read_only` for the
        commands that only read: nothing is created or changed, and a read-only disk is fine.
        Raises RecordsUnwritable when the records cannot be written now, RecordsDamaged when
        the file is damaged or not ours (left untouched), RecordsError otherwise."""
        self.directory = directory
        self.path = directory / DB_NAME
        self.where = str(self.path)
        self.read_only = read_only
        self._locks: dict[str, int] = {}
        if read_only:
            if not directory.is_dir():
                missing = f"the data directory {directory} does not exist (check the name)"
                raise RecordsError(missing)
            if not self.path.is_file():
                raise RecordsError(f"no call records in {directory} (no {DB_NAME} there)")
            target = f"file:{self.path}?mode=ro"
        else:
            _private_directory(directory)
            _private_file(self.path)
            target = str(self.path)
        # Before SQLite opens it (opening makes its write-ahead log).
        unchanged = not read_only and unchanged_since_checked(self.path)
        try:
            self.db = self._connect(target)
        except sqlite3.Error as error:
            if read_only:
                unreadable = f"the call records in {self.path} cannot be read ({error})"
                raise RecordsError(unreadable) from None
            raise RecordsUnwritable(cause_of(error), self._unwritable(error)) from None
        try:
            self.db.execute("PRAGMA busy_timeout = 10000")
            refuse_foreign_or_newer(self.db, self.path, self.read_only)
            if not read_only and not unchanged:
                self._check_pages()
            self._seen: list[int] | None = signature(self.path)
            if not read_only:
                self._refuse_shared()
                use_write_ahead_log(self.db)
                self.db.execute("PRAGMA synchronous = FULL")
                self._migrate()
            self.db.execute("PRAGMA foreign_keys = ON")
        except RecordsError:
            self.db.close()
            raise
        except sqlite3.OperationalError as error:
            self.db.close()
            if _damage(error):
                raise self._damaged(error) from None
            raise RecordsUnwritable(cause_of(error), self._unwritable(error)) from None
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise self._damaged(error) from None
        for suffix in ("-wal", "-shm"):
            side = Path(f"{self.path}{suffix}")
            with contextlib.suppress(OSError):
                if not read_only and side.exists():
                    side.chmod(0o600)  # SQLite made it, for this program, beside our file

    def _connect(self, target: str) -> sqlite3.Connection:
        return connect(self.path, target, read_only=self.read_only)

    def _unwritable(self, error: BaseException) -> str:
        return (
            f"the call records in {self.path} cannot be written ({cause_of(error)}); no "
            f"call can be recorded there until that is mended. Choose another with "
            f"--data-dir or {DATA_ENV}."
        )

    def _as_records_error(self, error: sqlite3.Error) -> RecordsError:
        if isinstance(error, sqlite3.IntegrityError):  # our triggers' rules, in our words
            return RecordsError(f"the call records in {self.path} refused the write: {error}")
        if isinstance(error, sqlite3.OperationalError) and not _damage(error):
            return RecordsUnwritable(cause_of(error), self._unwritable(error))
        if isinstance(error, sqlite3.DatabaseError):
            return self._damaged(error)
        return RecordsError(f"the call records in {self.path} cannot be used ({error})")

    def _damaged(self, error: BaseException) -> RecordsDamaged:
        self._seen = None  # never remembered as checked
        return RecordsDamaged(
            f"the call records in {self.path} are damaged ({error}). The file was left "
            "untouched; move it aside (keep it: it may hold calls) to start a new one."
        )

    def _refuse_shared(self) -> None:
        """Records that other users can read or write are refused before anything is written
        to them, and their mode is never changed: the file was not made by this program."""
        mode = stat.S_IMODE(self.path.stat().st_mode)
        if mode & 0o077:
            raise RecordsError(
                f"the call records in {self.path} can be read or written by other users (mode "
                f"{mode:o}). The file was left as it is: make it private (chmod 600) or move "
                "it aside."
            )

    def _check_pages(self) -> None:
        """SQLite's quick check of every page: a damaged file is found here, as a console's
        store opens, not in the middle of a call. It reads the whole file (400 ms at 50,000
        calls), so it runs only when the file may have changed since the last clean check:
        never after this program's own clean close. The `records` commands, which only read,
        never run it: a damaged page they read is said as they read it."""
        found = self.db.execute("PRAGMA quick_check").fetchall()
        if found != [("ok",)]:
            lines = [line for row in found for line in str(row[0]).splitlines()]
            problems = [line for line in lines if not line.startswith("***")]
            first = problems[0] if problems else "unknown"
            detail = f"SQLite's check found {len(problems)} problems; the first: {first}"
            raise self._damaged(sqlite3.DatabaseError(detail))

    def _migrate(self) -> None:
        """Bring the schema up to date. The version is read again under the write lock, so
        consoles starting together on a new directory migrate it once, not once each."""
        with self._transaction():
            migrate(self.db)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
            self.db.execute("COMMIT")
            self._seen = signature(self.path)  # the file as this console's own write left it
        except BaseException:
            if self.db.in_transaction:  # a failed COMMIT (a full disk) leaves it open
                self.db.execute("ROLLBACK")
            raise

    @_in_our_words
    def close(self) -> None:
        for call_id in list(self._locks):
            self.release(call_id)
        # Remembered as checked only if the file is as this console's own writes left it:
        # another program's write (or another console's) since, or damage seen, leaves the
        # next opening to check it.
        ours = not self.read_only and self._seen == signature(self.path)
        self.db.close()
        if ours:
            remember_checked(self.path)

    # -- writing ----------------------------------------------------------------------------
    @_in_our_words
    def begin(self, call: Call | Written) -> str:
        """Give the call its id and write its row and every event it has so far. The call's
        lock is taken before its row is visible to other consoles, so none of them ever finds
        it unfinished while this console runs."""
        call = written(call)
        started = call.started
        now = listing_of(call)
        for _attempt in range(20):
            call_id = new_call_id(started.at)
            if not self.hold(call_id):
                continue  # the same id drawn by a console starting a call right now
            try:
                with self._transaction():
                    self._insert_row(call_id, started)
                    if now.shown != (None, "", ""):  # before the events: one may close the call
                        self.db.execute(sql.set_listed(SQLITE), (*now.shown, call_id))
                    for event in call.events:
                        self._insert_event(call_id, event, now.route, not call.copied)
                self._listed(call_id, now)
                return call_id
            except sqlite3.IntegrityError:
                self.release(call_id)
                continue  # the same id drawn twice on the same day: draw again
            except BaseException:
                self.release(call_id)
                raise
        raise RecordsError("could not find a free call id")  # pragma: no cover

    def _insert_row(self, call_id: str, started: CallStarted) -> None:
        self.db.execute(sql.insert_call(SQLITE), sql.started_values(SQLITE, call_id, started))

    def _insert_event(
        self, call_id: str, event: Event, route: str | None, saved: bool = True
    ) -> None:
        """Inside a write transaction: the event's number is read under the write lock, so
        a write that fails leaves no gap, and two writers never take the same number. A close
        closes the call's row too, with its `route` (None: the route it has). `saved`: the
        time it is taken is written (not for an event copied from elsewhere)."""
        from ..engine.events import CallClosed

        (seq,) = self.db.execute(
            "SELECT coalesce(max(seq) + 1, 0) FROM events WHERE call_id = ?", (call_id,)
        ).fetchone()
        self.db.execute(
            sql.insert_event(SQLITE),
            (
                call_id,
                seq,
                event.at.isoformat(),
                event.kind,
                event.model_dump_json(),
                self.saved_clock().isoformat() if saved else None,
            ),
        )
        if isinstance(event, CallClosed):
            self.db.execute(
                sql.close_call(SQLITE), (event.how, event.at.isoformat(), route, call_id)
            )

    @_in_our_words
    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None:
        """Commit one event (with full durability) before returning; the call's row only
        when something of it changes (its route, incident or place; its close)."""
        from ..engine.events import CallClosed

        closed = isinstance(event, CallClosed)
        now, changed = self._listing(call_id, event, call) if call is not None else (None, False)
        with self._transaction():
            copied = isinstance(call, Written) and call.copied
            self._insert_event(call_id, event, now.route if now is not None else None, not copied)
            if now is not None and changed and not closed:
                self.db.execute(sql.set_listed(SQLITE), (*now.shown, call_id))
        if closed:
            self._listed(call_id, None)
        elif now is not None:  # what is not shown (the place as said) counts later too
            self._listed(call_id, now)

    # -- reading ----------------------------------------------------------------------------
    @_in_our_words
    def rows(self, *, training: bool | None = False, status: str | None = None) -> list[CallRow]:
        query, args = sql.calls(SQLITE, training, status)
        return self._readable(self.db.execute(query, args).fetchall())

    def listing(self, wanted: CallFilter, limit: int | None = None) -> Iterator[CallRow]:
        query, args = sql.listed_calls(SQLITE, wanted, limit)
        cursor = self._execute(query, args)
        return self._streamed(lambda: self._fetch(cursor))

    @_in_our_words
    def _execute(self, query: str, args: list[Any]) -> sqlite3.Cursor:
        return self.db.execute(query, args)

    @_in_our_words
    def _fetch(self, cursor: sqlite3.Cursor) -> list[Any]:
        return cursor.fetchmany(500)

    @_in_our_words
    def count(self, wanted: CallFilter) -> int:
        query, args = sql.counted_calls(SQLITE, wanted)
        return int(self.db.execute(query, args).fetchone()[0])

    @_in_our_words
    def routes(self, *, training: bool | None = False) -> list[str]:
        query, args = sql.routes_recorded(SQLITE, training)
        return sorted(str(route) for (route,) in self.db.execute(query, args))

    @_in_our_words
    def row(self, call_id: str) -> CallRow:
        found = self.db.execute(sql.one_call(SQLITE), (call_id.upper(),)).fetchone()
        if found is None:
            # The id as typed, its control characters escaped: never sent to a terminal raw.
            raise RecordsError(f"no call record with id {ascii(call_id)[1:-1]}")
        return call_row(found)

    @_in_our_words
    def events(self, call_id: str) -> list[Event]:
        rows = self.db.execute(sql.call_events(SQLITE), (call_id.upper(),)).fetchall()
        return read_events(call_id, [body for (body,) in rows])

    @_in_our_words
    def written_times(self, call_id: str) -> list[tuple[datetime, datetime | None]]:
        found = self.db.execute(sql.events_written(SQLITE), (call_id.upper(),)).fetchall()
        return [
            (datetime.fromisoformat(at), datetime.fromisoformat(saved) if saved else None)
            for at, saved in found
        ]

    # -- who holds a call -------------------------------------------------------------------
    # An open call whose console is still running must not be offered to another console that
    # shares the directory. The running console holds an OS lock on a file named after the
    # call; the OS drops it when the process dies, however it dies, so an open call that
    # nobody holds is one whose console is gone.
    @_in_our_words
    def hold(self, call_id: str) -> bool:
        """Take the call's lock (kept until `release`); False if another running console
        holds it. Taking a lock this store holds already is a no-op."""
        if call_id in self._locks:
            return True
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not on POSIX: no cross-console guard
            return True
        locks = self.directory / "live"
        own_directory(locks)  # never through a symbolic link: OSError, said as trouble
        path = locks / f"{call_id}.lock"
        descriptor = os.open(path, os.O_CREAT | os.O_RDWR | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(descriptor)
            return False
        self._locks[call_id] = descriptor
        return True

    def is_holding(self, call_id: str) -> bool:
        return call_id in self._locks

    @_in_our_words
    def release(self, call_id: str) -> None:
        """Let go of the call's lock. The lock file stays: another console may have it open
        at this moment, and a file removed under it would let a third console take the same
        call through a new file of the same name."""
        descriptor = self._locks.pop(call_id, None)
        if descriptor is not None:
            os.close(descriptor)


def _damage(error: sqlite3.OperationalError) -> bool:
    """An error that says the file itself is damaged, not that it cannot be written."""
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text
