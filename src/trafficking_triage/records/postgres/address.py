"""A center's database named and reached: its address (never with a password), how it is
named in messages, what libpq said when it could not be reached, and a call's lock key."""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from ..api import RecordsError

if TYPE_CHECKING:
    pass


_UNREACHABLE = "the center's database cannot be reached"


class RecordsRefused(RecordsError):
    """The center's database refused this role something (a privilege it lacks)."""


def _state(error: Exception) -> str:
    """What the server said went wrong, by its SQLSTATE: never the statement or its values."""
    code = getattr(error, "sqlstate", None)
    name = type(error).__name__
    return f"SQLSTATE {code}, {name}" if code else name


_UNREACHABLE_SIGNS = (
    "No such file",
    "Connection refused",
    "timeout expired",
    "could not translate host name",
    "unreachable",
    "No route to host",
    "server closed the connection",
)


def _libpq_says(error: Exception) -> str:
    """libpq's reason, without the socket or host it names first (the store's description
    says which database): "password authentication failed for user ...", "database ... does
    not exist", "definition of service ... not found". An address never holds a password
    (refused before connecting), so none can be repeated here."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    text = lines[0] if lines else type(error).__name__
    text = re.sub(r"^connection (failed|is bad): ", "", text)
    text = re.sub(r"^connection to server (on socket|at) .*? failed: ", "", text)
    text = re.sub(r"^(FATAL|ERROR):\s+", "", text)
    return "".join(c for c in text if c.isprintable())[:200]


def _lock_key(call_id: str) -> int:
    """The advisory lock of a call: 64 bits of its id's SHA-256, as PostgreSQL's bigint."""
    digest = hashlib.sha256(f"trafficking-triage call {call_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def describe(url: str) -> str:
    """The database named for messages: its name and host, never a password or user."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception:
        return "the center's database (its address could not be read)"
    host = str(parts.get("host") or "the local socket")
    name = str(parts.get("dbname") or parts.get("service") or "(default)")
    return f"PostgreSQL database {name} on {host}"


def check_address(url: str) -> None:
    """Refuse an address that holds a password: process arguments, shell histories and CAD
    launch lines show it to others."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        parts = conninfo_to_dict(url)
    except Exception as error:
        raise RecordsError(f"the store's address cannot be read ({type(error).__name__})") from None
    if "password" in parts or "sslpassword" in parts:
        raise RecordsError(
            "the store's address holds a password, which others can read in process lists "
            "and shell histories. Take it out, and give it in a password file (PGPASSFILE or "
            "~/.pgpass), a service file (PGSERVICEFILE, service=NAME), or PGPASSWORD."
        )
