"""Which store a console or a `records` command uses: chosen by address.

`sqlite:///DIR` is the embedded store in DIR (without an address: the data directory, as
always); `postgresql://...` (or a libpq keyword string such as `service=center`) is a center's
PostgreSQL database. The address comes from `--store`, else `TRAFFICKING_TRIAGE_STORE`, else
the agency settings' `store`. Training calls always stay in the data directory's own training
store, so a classroom never writes to the center's records."""

from __future__ import annotations

import os
from pathlib import Path

from .base import StoreBase
from .store import RecordsError, RecordStore

STORE_ENV = "TRAFFICKING_TRIAGE_STORE"


def store_address(flag: str | None, settings: str | None = None) -> str | None:
    """The address in force: the flag, the environment, then the agency settings."""
    return flag or os.environ.get(STORE_ENV) or settings or None


def is_center(address: str | None) -> bool:
    """The address names a PostgreSQL database."""
    return address is not None and not address.startswith("sqlite:")


def open_store(address: str | None, data_dir: Path, *, read_only: bool = False) -> StoreBase:
    """The store at `address`, or the embedded one in `data_dir` when there is none."""
    if address is None:
        return RecordStore(data_dir, read_only=read_only)
    if address.startswith("sqlite:"):
        path = address.removeprefix("sqlite://")
        if not path.startswith("/"):
            raise RecordsError(
                f"{address!r} names no directory: an embedded store is sqlite:///DIR, with "
                "the directory's full path"
            )
        return RecordStore(Path(path), read_only=read_only)
    if address.startswith(("postgresql://", "postgres://")) or "=" in address:
        from .postgres import PostgresStore

        # Consoles never make or change a center's tables: its owner does (`store init`).
        return PostgresStore(address, read_only=read_only, migrate=False)
    raise RecordsError(
        "the store's address is neither sqlite:///DIR nor postgresql://... (nor a libpq "
        "keyword string such as service=center)"
    )
