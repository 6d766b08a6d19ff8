"""Call records: every event of a call written as it happens, to the data directory's SQLite
store or a center's PostgreSQL database. No Textual."""

from ..paths import default_data_dir
from .store import CallRow, RecordsError, RecordStore

__all__ = ["CallRow", "RecordStore", "RecordsError", "default_data_dir"]
