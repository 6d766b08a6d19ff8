"""Call records: every event of a call written to SQLite as it happens. No Textual."""

from .store import CallRow, RecordsError, RecordStore, default_data_dir

__all__ = ["CallRow", "RecordStore", "RecordsError", "default_data_dir"]
