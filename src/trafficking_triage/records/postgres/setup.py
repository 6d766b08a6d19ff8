"""A center in one command: `store setup` makes the tables and the roles with exactly the
grants the README lists, and `store check` says whether a console can work with the store.

The roles: `triage_console`, a group with what consoles may do (insert and read, take and
close a call); one login role for each console in it (`triage_north`...), so the database can
tell consoles apart and none can end another's connection; `triage_review`, a login role that
may only read, for supervisors. Passwords are never set here: they are given with psql's
`\\password`, kept out of process lists and the server's log.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..api import RecordsError
from ..sql import LISTED

CONSOLE_GROUP = "triage_console"
REVIEW_ROLE = "triage_review"
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,40}$")

CALL_COLUMNS = ("status", "ended_at", *LISTED, "holder", "holder_console", "renewed_at")
"""The columns of a call a console may change (its route, incident and place, its close, its
lease)."""


RESERVED = {"console": "the group of the consoles", "review": "the supervisors' role"}
"""Names a console cannot take: their roles are already the group's and the supervisors'."""


def console_role(name: str) -> str:
    """A console's login role: `north` -> `triage_north` (lower-case letters, digits, _)."""
    if not _NAME.match(name):
        raise RecordsError(f"a console's name is lower-case letters, digits and _ (not {name!a})")
    if name in RESERVED:
        raise RecordsError(f"a console cannot be named {name}: triage_{name} is {RESERVED[name]}")
    return f"triage_{name}"


def grants(consoles: list[str]) -> list[str]:
    """The statements `store setup` runs after the tables, in order: what the README lists.
    Each may run again (a role that exists is kept, a grant given twice is one grant)."""
    columns = ", ".join(CALL_COLUMNS)
    found = [
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        _role(CONSOLE_GROUP, "NOLOGIN"),
        f"GRANT USAGE ON SCHEMA public TO {CONSOLE_GROUP}",
        f"GRANT SELECT, INSERT ON calls, events TO {CONSOLE_GROUP}",
        f"GRANT UPDATE ({columns}) ON calls TO {CONSOLE_GROUP}",
        f"GRANT SELECT ON trafficking_triage_schema TO {CONSOLE_GROUP}",
    ]
    for name in consoles:
        role = console_role(name)
        found += [_role(role, "LOGIN"), f"GRANT {CONSOLE_GROUP} TO {role}"]
    found += [
        _role(REVIEW_ROLE, "LOGIN"),
        f"GRANT USAGE ON SCHEMA public TO {REVIEW_ROLE}",
        f"GRANT SELECT ON calls, events, trafficking_triage_schema TO {REVIEW_ROLE}",
    ]
    return found


def _role(name: str, login: str) -> str:
    return (
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = "
        f"'{name}') THEN CREATE ROLE {name} {login}; END IF; END $$"
    )


def set_up(address: str, consoles: list[str]) -> None:
    """The tables (as `store init`), then the roles and grants. Raises RecordsError."""
    import psycopg

    from .store import PostgresStore

    for name in consoles:
        console_role(name)  # every name checked before anything is made
    PostgresStore(address, migrate=True).close()
    try:
        with psycopg.connect(address, autocommit=True) as db:
            for statement in grants(consoles):
                db.execute(statement)  # our own SQL, with no value from outside
    except psycopg.errors.InsufficientPrivilege:
        raise RecordsError(
            "the tables are made, but this role may not make roles: run `store setup` as a "
            "role with CREATEROLE (the database's owner made with `createuser --createrole`, "
            "or the server's administrator)"
        ) from None


def where_parts(address: str) -> dict[str, str]:
    """The address's host, port, database and any other settings (never a password)."""
    from psycopg.conninfo import conninfo_to_dict

    return {key: str(value) for key, value in conninfo_to_dict(address).items()}


class Check(NamedTuple):
    """One line of `store check`: what was tried, whether it worked, and what it found."""

    what: str
    ok: bool
    found: str


CANNOT_CONNECT, NO_TABLES, MAY_NOT_WRITE = 2, 3, 4
"""`store check`'s exit codes beyond 0 (ready) and 1 (a command-line error): the server
cannot be reached or refuses the role; the tables are not there (or of another schema); the
role may read but not write or hold a call (a supervisor's role)."""


def check(address: str) -> tuple[list[Check], int]:
    """Can a console work with the store at `address`? Each step, and the exit code."""
    import psycopg

    from ..store import SCHEMA_VERSION
    from .address import _lock_key, check_address, describe

    steps: list[Check] = []
    try:
        check_address(address)  # a password in it is refused, as a console refuses it
    except RecordsError as error:
        steps.append(Check("address", False, str(error)))
        return steps, CANNOT_CONNECT
    try:
        db = psycopg.connect(address, autocommit=True, connect_timeout=5)
    except psycopg.Error as error:
        steps.append(Check("connect", False, f"{describe(address)}: {_said(error)}"))
        return steps, CANNOT_CONNECT
    with db:
        role, server = _one(db, "SELECT current_user, current_setting('server_version')")
        steps.append(Check("connect", True, f"{describe(address)}, PostgreSQL {server}"))
        groups = _one(
            db,
            "SELECT string_agg(b.rolname, ', ') FROM pg_auth_members m"
            " JOIN pg_roles b ON b.oid = m.roleid JOIN pg_roles r ON r.oid = m.member"
            " WHERE r.rolname = current_user",
        )[0]
        steps.append(Check("role", True, f"{role}" + (f" (in {groups})" if groups else "")))
        try:
            (version,) = _one(db, "SELECT version FROM trafficking_triage_schema")
        except psycopg.Error:
            steps.append(Check("schema", False, "no call tables: the owner runs `store setup`"))
            return steps, NO_TABLES
        if version != SCHEMA_VERSION:
            later = "run `store setup` again" if version < SCHEMA_VERSION else "use the newer"
            found = f"schema {version}; this program knows {SCHEMA_VERSION}: {later}"
            steps.append(Check("schema", False, found))
            return steps, NO_TABLES
        steps.append(Check("schema", True, f"{version}, as this program's"))
        try:
            with db.transaction():
                _write_and_take_back(db)
                raise _TakenBack
        except _TakenBack:
            steps.append(Check("write", True, "a call and an event written, then taken back"))
        except psycopg.Error as error:
            steps.append(Check("write", False, f"{_said(error)}: a supervisor's role, or grants"))
            return steps, MAY_NOT_WRITE
        columns = ", ".join(CALL_COLUMNS)
        (may,) = _one(
            db,
            "SELECT bool_and(has_column_privilege('calls', c, 'UPDATE'))"
            " FROM unnest(string_to_array(%s, ', ')) AS c",
            (columns,),
        )
        if not may:
            found = f"may not change a call's {columns}: the owner runs `store setup` again"
            steps.append(Check("grants", False, found))
            return steps, MAY_NOT_WRITE
        key = _lock_key("store-check")
        (held,) = _one(db, "SELECT pg_try_advisory_lock(%s)", (key,))
        if held:
            db.execute("SELECT pg_advisory_unlock(%s)", (key,))
        steps.append(Check("hold", bool(held), "a call's lock taken and let go" if held else
                           "another session holds the check's lock: try again"))  # fmt: skip
        return steps, 0 if held else MAY_NOT_WRITE


class _TakenBack(Exception):
    """Rolls the trial write back."""


def _write_and_take_back(db: Any) -> None:
    from datetime import UTC, datetime

    from .. import sql

    now = datetime.now(UTC)
    call_id = "STORE-CHECK"
    db.execute(
        sql.insert_call(sql.POSTGRES),
        (call_id, now, "store-check", None, "{}", "store-check", "0", "0" * 64, False),
    )
    db.execute(
        sql.insert_event(sql.POSTGRES),
        (call_id, 0, now, "call_started", '{"kind": "call_started"}', now),
    )


def _one(db: Any, query: str, args: tuple[Any, ...] = ()) -> tuple[Any, ...]:
    row = db.execute(query, args).fetchone()
    return tuple(row) if row is not None else (None,)


def _said(error: Exception) -> str:
    """The server's or libpq's reason, on one line (never the address: it may hold a name)."""
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
