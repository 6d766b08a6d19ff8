"""How the embedded store's file is opened, and when it is trusted without reading it whole.

SQLite's quick check reads every page (400 ms at 50,000 calls), so the store runs it only
when the file may have changed since this program last left it after a clean check: the
file's identity, size and time (and its write-ahead log's), remembered beside it in
`checked-records.json` as a console closes its store. A console that was killed, or any other
writer, leaves them changed."""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from pathlib import Path

from .api import RecordsError

CHECKED_RECORDS = "checked-records.json"
"""Beside the records: the file as this program last left it after a clean check."""


def connect(path: Path, target: str, *, read_only: bool) -> sqlite3.Connection:
    """The connection, with `casefold` for the searches (see sql.Dialect)."""
    db = _connected(path, target, read_only)
    db.create_function("casefold", 1, _casefold, deterministic=True)
    return db


def _connected(path: Path, target: str, read_only: bool) -> sqlite3.Connection:
    if not read_only:
        # A console's writes run on its records thread (worker.py), one at a time.
        return sqlite3.connect(target, timeout=10, isolation_level=None, check_same_thread=False)
    try:
        db = sqlite3.connect(target, timeout=10, isolation_level=None, uri=True)
        try:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db
    except sqlite3.OperationalError:
        # A read-only disk: SQLite cannot make the side files that reading a WAL database
        # needs. Nothing can write to it either, so it is read as a file that cannot change
        # unless its write-ahead log holds calls, which that way would go unseen.
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            raise RecordsError(
                f"the call records in {path} cannot be read here: the newest calls "
                f"are in {wal.name}, which cannot be read on a read-only disk. Copy the "
                "data directory to a disk that can be written, and read it there."
            ) from None
        target += "&immutable=1"
        return sqlite3.connect(target, timeout=10, isolation_level=None, uri=True)


def use_write_ahead_log(db: sqlite3.Connection) -> None:
    """Switch a new file to WAL. SQLite answers this pragma "locked" at once, without
    waiting the busy timeout, while another console is switching the same new file, so it
    is tried again for as long as the busy timeout would have waited."""
    deadline = time.monotonic() + 10
    while True:
        try:
            db.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def signature(path: Path) -> list[int]:
    """The records file and its write-ahead log as they are now (which file, its size,
    when it last changed): another program's write changes it, and so does damage
    written through the file system. (A fault of the disk that changes neither is found
    when the page is read: the console says so then.)"""
    found: list[int] = []
    for suffix in ("", "-wal"):
        try:
            info = os.stat(f"{path}{suffix}")
        except OSError:
            info = None
        if info is None or (suffix and info.st_size == 0):
            # No log, or an empty one (which a command that only reads leaves behind:
            # it holds nothing, so it changes nothing).
            found += [0, 0, 0]
            continue
        found += [info.st_ino, info.st_size, info.st_mtime_ns]
    return found


def unchanged_since_checked(path: Path) -> bool:
    """The file is as this program left it after a clean check: it need not be read whole."""
    try:
        remembered = json.loads((path.parent / CHECKED_RECORDS).read_text("utf-8"))
    except (OSError, ValueError):
        return False
    return bool(remembered == {"file": signature(path)})


def remember_checked(path: Path) -> None:
    """As a console closes its store (its writes done, the log folded back into the file):
    the file as it is now, to be trusted without a check at the next opening."""
    from ..files import write_private

    with contextlib.suppress(OSError):
        text = json.dumps({"file": signature(path)})
        write_private(path.parent / CHECKED_RECORDS, text, replace=True)


def _casefold(text: str | None) -> str | None:
    return text.casefold() if isinstance(text, str) else None
