"""What a record store is, for everything that uses one: the `Store` interface, the rows and
snapshots it takes and gives, and the errors it may raise. Each store (store.py, SQLite; the
postgres package) implements it on base.StoreBase; nothing outside records/ needs more."""

from __future__ import annotations

import errno
from datetime import datetime
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

if TYPE_CHECKING:
    from ..engine import Call
    from ..engine.events import CallStarted, CloseReason, Event


class RecordsError(Exception):
    """The record store cannot be used; the message says why and where, never what was said."""


class RecordsUnwritable(RecordsError):
    """The records cannot be written now (a full disk, a read-only disk, no permission): a
    console still takes calls, unsaved, and writes them once it can."""

    def __init__(self, cause: str, message: str) -> None:
        super().__init__(message)
        self.cause = cause


class RecordsDamaged(RecordsError):
    """The records file is damaged or not one of ours: it is left untouched."""


class CallRow(NamedTuple):
    # A named tuple: a dataclass takes a millisecond to define, before the first question shows.
    id: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    route: str | None
    console: str | None
    dispatcher: str | None
    context: dict[str, str]
    protocol_id: str
    protocol_version: str
    protocol_sha256: str
    training: bool
    incident: str = ""
    """The incident number and the place as they stand (see `base.Listing`)."""
    place: str = ""


class BadRow(ValueError):
    """A call's row that this program would not have written (damaged, or changed by hand):
    reported, never a reason to stop reading the others."""


class Written(NamedTuple):
    """What a store writes of a call, taken on the screen's thread at one moment: its start,
    its events so far, and the route it had then. The records' thread writes it while the
    call goes on (see worker.py)."""

    started: CallStarted
    events: tuple[Event, ...]
    route: str | None
    copied: bool = False
    """Events brought from a file or another store: when a store first took them is not
    known, and none is written (see sql.insert_event)."""


class Store(Protocol):
    """A record store, as the console, the recorder and the `records` commands use it."""

    where: str
    console: str | None
    anomalies: list[str]

    def begin(self, call: Call | Written) -> str: ...
    def append(self, call_id: str, event: Event, call: Call | Written | None = None) -> None: ...
    def rows(
        self, *, training: bool | None = False, status: str | None = None
    ) -> list[CallRow]: ...
    def row(self, call_id: str) -> CallRow: ...
    def events(self, call_id: str) -> list[Event]: ...
    def hold(self, call_id: str) -> bool: ...
    def release(self, call_id: str) -> None: ...
    def is_holding(self, call_id: str) -> bool: ...
    def keep_alive(self) -> None: ...
    def close(self) -> None: ...
    def unfinished(self, *, training: bool = False) -> list[CallRow]: ...
    def close_as(self, call_id: str, how: CloseReason, call: Call | None, at: datetime) -> None: ...


def cause_of(error: BaseException) -> str:
    """What went wrong with writing, in words safe to show: never what was being written."""
    number = getattr(error, "errno", None)
    text = str(error).lower()
    if number == errno.ENOSPC or "full" in text or "no space" in text:
        return "the disk is full"
    if number == errno.EROFS or "readonly" in text or "read-only" in text:
        return "the disk is read-only"
    if number in {errno.EACCES, errno.EPERM} or "permission" in text:
        return "writing there is not permitted"
    if number == errno.EDQUOT or "quota" in text:
        return "the disk quota is used up"
    if number == errno.ELOOP:
        return "a symbolic link stands where a folder of the records should be"
    if isinstance(error, RecordsUnwritable):
        return error.cause
    if isinstance(error, RecordsError):
        return str(error)  # written for people, and never with what a caller said
    if "locked" in text:
        return "another program has held the records file locked for ten seconds"
    return f"the records file cannot be written ({type(error).__name__})"


def row_fields(row: CallRow) -> dict[str, Any]:
    """A record's row as JSON fields: what `records list --json` lists of each call."""
    from ..clock import iso

    return {
        "id": row.id,
        "started_at": iso(row.started_at),
        "ended_at": iso(row.ended_at) if row.ended_at else None,
        "status": row.status,
        "route": row.route,
        "console": row.console,
        "dispatcher": row.dispatcher,
    }
