"""Call records: every event of a call written as it happens, to the data directory's SQLite
store or a center's PostgreSQL database. No Textual.

The names below are imported when first used (PEP 562), so a command that only names the
records' errors (every command does, to say them) never opens sqlite3 or the store's code."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..paths import default_data_dir
    from .api import CallRow, RecordsError
    from .store import SqliteStore

_WHERE = {
    "default_data_dir": "..paths",
    "CallRow": ".api",
    "RecordsError": ".api",
    "SqliteStore": ".store",
}

__all__ = ["CallRow", "RecordsError", "SqliteStore", "default_data_dir"]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
