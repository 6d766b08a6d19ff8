"""`store init` and `store copy`: a center's record store on PostgreSQL."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..records.api import BadRow
from ..records.store import DB_NAME
from .parser import Command, _shared
from .protocol_cmds import _count

if TYPE_CHECKING:
    pass


def store_command(args: argparse.Namespace) -> int:
    """`store init` and `store copy`."""
    from ..paths import default_data_dir
    from ..records.where import is_center, open_store, store_address

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
    from ..records import SqliteStore

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
