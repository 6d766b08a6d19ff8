"""`store setup`, `store check`, `store init` and `store copy`: a center's record store on
PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..records.api import BadRow
from .parser import Command, _shared
from .protocol_cmds import _count

if TYPE_CHECKING:
    pass


def store_command(args: argparse.Namespace) -> int:
    """`store init` and `store copy`."""
    from ..paths import default_data_dir
    from ..records.where import is_center, open_store, store_address

    if args.action in {"setup", "check"}:
        address = store_address(args.store)
        if not is_center(address):
            print(f"store {args.action}: give the center's database with --store", file=sys.stderr)
            return 2
        assert address is not None
        if args.action == "check":
            return check(address)
        if args.sql:
            from ..records.postgres.setup import grants

            print(";\n".join(grants(args.consoles)) + ";")
            return 0
        return set_up(address, args.consoles)
    if args.action == "init":
        address = store_address(args.store)
        if not is_center(address):
            print("store init: give the center's database with --store", file=sys.stderr)
            return 2
        from ..records.postgres import PostgresStore

        assert address is not None
        made = PostgresStore(address, migrate=True)
        print(f"{made.where}: call tables ready")
        made.close()
        return 0
    from ..records.store import DB_NAME, SqliteStore

    if not is_center(args.to):
        print("store copy: --to names the center's PostgreSQL database", file=sys.stderr)
        return 2
    directory = args.data_dir or default_data_dir()
    if not (directory / DB_NAME).is_file():  # a console that kept no records of its own
        print(f"nothing to copy: no call records in {directory}")
        return 0
    source = SqliteStore(directory, read_only=True)
    target = open_store(args.to, Path())
    try:
        calls = added = live = skipped = 0
        for row in reversed(source.rows(training=False)):  # oldest first; real calls only
            if row.status == "open" and not source.hold(row.id):
                live += 1  # its console is taking it now: the next copy brings it
                continue
            try:
                more = target.copy_call(row, source.events(row.id))
            except BadRow as error:  # that call only: said, and the others copied
                print(f"not copied: {error}", file=sys.stderr)
                skipped += 1
                continue
            finally:
                source.release(row.id)
            calls += bool(more)
            added += more
        print(
            f"copied {_count(added, 'event')} of {_count(calls, 'call')} from {source.where} "
            f"to {target.where}"
        )
        if live:
            print(
                f"left {_count(live, 'call')} a running console holds: copy again once "
                f"{'it is' if live == 1 else 'they are'} closed"
            )
        for anomaly in source.anomalies:
            print(f"not copied: {anomaly}", file=sys.stderr)
        if skipped or source.anomalies:
            return 1
    finally:
        source.close()
        target.close()
    return 0


def set_up(address: str, consoles: list[str]) -> int:
    """`store setup`: the tables and roles, then what each console and the supervisor need."""
    from ..records.postgres.address import describe
    from ..records.postgres.setup import REVIEW_ROLE, console_role, set_up, where_parts

    set_up(address, consoles)
    parts = where_parts(address)
    host, port = parts.get("host", "localhost"), parts.get("port", "5432")
    name = parts.get("dbname", "")
    # libpq's password file names a Unix socket's connections "localhost".
    pgpass_host = "localhost" if host.startswith("/") else host
    print(f"{describe(address)}: call tables and roles ready")
    print("Give each login role a password in psql (kept out of shell history and the log):")
    roles = [console_role(c) for c in consoles] + [REVIEW_ROLE]
    print("  " + "; ".join(f"\\password {role}" for role in roles))
    print("Then, on each machine: its password in ~/.pgpass (chmod 600), the center as a")
    print("service in ~/.pg_service.conf, and the store named by the service (in the agency")
    print('settings\' store:, TRAFFICKING_TRIAGE_STORE or --store): "postgresql://?service=triage"')
    for console, role in zip([*consoles, None], roles, strict=True):
        machine = f"console {console}" if console else "the supervisor"
        print(f"  {machine}:")
        print(f"    ~/.pgpass            {pgpass_host}:{port}:{name}:{role}:THE-PASSWORD")
        print("    ~/.pg_service.conf   [triage]")
        for key, value in (("host", host), ("port", port), ("dbname", name), ("user", role)):
            print(f"                         {key}={value}")
        if console:
            print(f"    start                trafficking-triage --console {console}")
    print("Check each console with `trafficking-triage store check --store ADDRESS`.")
    return 0


def check(address: str) -> int:
    """`store check`: each step on a line, and an exit code a script can read."""
    from ..records.postgres.setup import check

    steps, code = check(address)
    for step in steps:
        print(f"{step.what:8} {'ok' if step.ok else 'NO'}  {step.found}")
    print("ready for a console" if code == 0 else f"not ready (exit {code})")
    return code


def add(command: Command) -> None:
    center = command("store", help="a center's record store on PostgreSQL")
    actions = center.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "init",
        parents=[_shared("--store")],
        help="make or bring up to date the call tables (run once by the database's owner)",
        description=(
            "Make the call tables in the store (--store or $TRAFFICKING_TRIAGE_STORE), or "
            "bring them up to this program's schema. Consoles connect as a role that may only "
            "insert and read: the database's owner runs this once, and after each upgrade."
        ),
    )
    setup = actions.add_parser(
        "setup",
        parents=[_shared("--store")],
        help="make the tables and the roles of a center (run once by the database's owner)",
        description=(
            "Make the call tables (as init) and the roles: triage_console with what consoles "
            "may do, a login role for each console named (triage_NAME), and triage_review, "
            "which may only read. Running it again changes nothing that is there. Prints what "
            "each console and the supervisor need. Run as a role with CREATEROLE."
        ),
    )
    setup.add_argument(
        "--sql",
        action="store_true",
        help="print the roles' statements for psql instead (nothing is run)",
    )
    setup.add_argument(
        "--consoles",
        nargs="+",
        default=[],
        metavar="NAME",
        help="the consoles' names (north south east): one login role each",
    )
    actions.add_parser(
        "check",
        parents=[_shared("--store")],
        help="can a console work with the store? (exit 0 ready, 2 no connection, 3 no "
        "tables, 4 may not write)",
        description=(
            "Connect as the console would, and say: the server, the role, the schema, "
            "whether the role can write (a call written and taken back) and hold a call. "
            "Exit codes: 0 ready; 2 cannot connect; 3 the call tables are missing or of "
            "another schema; 4 the role may not write or hold a call."
        ),
    )
    copy = actions.add_parser(
        "copy",
        parents=[_shared("--data-dir")],
        help="copy a console's own records into the center's store (again adds nothing)",
        description=(
            "Copy every call of a data directory's embedded store into the center's store: "
            "a call not there yet, whole; a call there, the events it lacks, each checked "
            "against what is there at its number. Running it twice adds nothing."
        ),
    )
    copy.add_argument("--to", required=True, metavar="ADDRESS", help="the center's store")
    center.set_defaults(run=store_command)
