"""Call records: every event of a call written as it happens, to the data directory's SQLite
store or a center's PostgreSQL database. No Textual."""

from ..paths import default_data_dir
from .api import CallRow, RecordsError
from .store import SqliteStore

__all__ = ["CallRow", "RecordsError", "SqliteStore", "default_data_dir"]
