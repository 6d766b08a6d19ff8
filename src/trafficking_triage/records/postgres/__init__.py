"""A center's record store: PostgreSQL, for many consoles and one supervisor (store.py says
how). Needs the optional driver: pip install 'trafficking-triage[postgres]'."""

from .address import RecordsRefused, check_address, describe
from .schema import GUARD, LEASE_GRACE, MIGRATIONS
from .store import PostgresStore

__all__ = [
    "GUARD",
    "LEASE_GRACE",
    "MIGRATIONS",
    "PostgresStore",
    "RecordsRefused",
    "check_address",
    "describe",
]
