"""Call records: every event of a call written to SQLite as it happens. No Textual."""

from ..paths import default_data_dir
from .store import CallRow, RecordsError, RecordStore

__all__ = ["CallRow", "RecordStore", "RecordsError", "default_data_dir"]
