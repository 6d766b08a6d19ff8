"""Which store a console or a `records` command uses: chosen by address.

`sqlite:///DIR` is the embedded store in DIR (without an address: the data directory, as
always); `postgresql://...` (or a libpq keyword string such as `service=center`) is a center's
PostgreSQL database. The address comes from `--store`, else `TRAFFICKING_TRIAGE_STORE`, else
the agency settings' `store`. Training calls always stay in the data directory's own training
store, so a classroom never writes to the center's records."""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..paths import TRAINING
from .api import RecordsError
from .base import StoreBase
from .store import SqliteStore

STORE_ENV = "TRAFFICKING_TRIAGE_STORE"


def store_address(flag: str | None, settings: str | None = None) -> str | None:
    """The address in force: the flag, the environment, then the agency settings."""
    return flag or os.environ.get(STORE_ENV) or settings or None


def is_center(address: str | None) -> bool:
    """The address names a PostgreSQL database."""
    return address is not None and not address.startswith(("sqlite:", "memory:"))


def address_problem(address: str) -> str | None:
    """What is wrong with a store's address as written, or None: checked by `agency
    validate` as by every console, before anything is opened."""
    if address.startswith("memory:"):
        return None  # tests' and demonstrations' store: gone with the process
    if address.startswith("sqlite:"):
        if not address.removeprefix("sqlite://").startswith("/"):
            return (
                f"{address!r} names no directory: an embedded store is sqlite:///DIR, with "
                "the directory's full path"
            )
        return None
    if address.startswith(("postgresql://", "postgres://")) or "=" in address:
        try:
            from .postgres import check_address

            check_address(address)
        except ImportError:
            # Without the driver the address cannot be read whole: a password in it is
            # still refused; the missing driver is said as the console opens (NOT SAVED).
            if "password=" in address or re.match(r"postgres(ql)?://[^/@?]*:[^/@?]*@", address):
                return "the store's address holds a password: take it out"
            return None
        except RecordsError as error:
            return str(error)
        return None
    return (
        "the store's address is neither sqlite:///DIR nor postgresql://... (nor a libpq "
        "keyword string such as service=center)"
    )


def open_store(address: str | None, data_dir: Path, *, read_only: bool = False) -> StoreBase:
    """The store at `address`, or the embedded one in `data_dir` when there is none."""
    if address is None:
        return SqliteStore(data_dir, read_only=read_only)
    problem = address_problem(address)
    if problem is not None:
        raise RecordsError(problem)
    if address.startswith("sqlite:"):
        return SqliteStore(Path(address.removeprefix("sqlite://")), read_only=read_only)
    if address.startswith("memory:"):
        from .memory import MemoryStore

        return MemoryStore(address.removeprefix("memory:"))
    from .postgres import PostgresStore

    # Consoles never make or change a center's tables: its owner does (`store init`).
    return PostgresStore(address, read_only=read_only)


def records_dir(data_dir: Path, training: bool) -> Path:
    """Where the calls are kept: training calls in their own store inside the data directory
    (a symbolic link there is refused, never followed: RecordsError)."""
    if training and (data_dir / TRAINING).is_symlink():
        raise RecordsError(
            f"{data_dir / TRAINING} is a symbolic link: training calls are never kept through "
            "one. It was left as it is."
        )
    return data_dir / TRAINING if training else data_dir
