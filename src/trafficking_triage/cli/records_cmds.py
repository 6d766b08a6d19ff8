"""`records list|show|export|replay|review|import`: the parsers; the commands themselves are
in records_cli.py (all but `import` only read the records)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .parser import Command, _day, _shared, option


def _count(text: str) -> int:
    """A number of calls, 1 or more."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of calls: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("at least 1")
    return number


def run_records(args: argparse.Namespace) -> int:
    """The `records` commands (records_cli.py), whose store code only they import."""
    from ..records_cli import run_records as run

    return run(args)


def add(command: Command) -> None:
    records = command(
        "records",
        help="list, show, export and replay call records",
        description="Call records kept in the data directory (see --data-dir).",
    )
    records.set_defaults(run=run_records)
    actions = records.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, *shared: str, **options: Any) -> argparse.ArgumentParser:
        return actions.add_parser(
            name, parents=[_shared("--data-dir", "--store", *shared)], **options
        )

    listing = action("list", help="calls, newest first: id, start, route, status")
    listing.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="calls started on or after this day (local time, as listed)",
    )
    listing.add_argument(
        "--until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="calls started on or before this day (local time, as listed)",
    )
    listing.add_argument("--route", help="calls that reached this outcome (its id)")
    # Fields of their own: the CAD's --console and --dispatcher, given before the command,
    # name this console; these filter the list (one would overwrite the other).
    listing.add_argument(
        "--console", dest="taken_at", help="calls taken at this console (its name)"
    )
    listing.add_argument("--dispatcher", dest="taken_by", help="calls taken by this dispatcher")
    listing.add_argument(
        "--status", choices=["open", "completed", "abandoned", "interrupted"], help="by status"
    )
    listing.add_argument("--incident", help="calls with this incident number")
    listing.add_argument(
        "--where", help="calls whose location holds this text (any case)", metavar="TEXT"
    )
    window = listing.add_mutually_exclusive_group()
    window.add_argument(
        "--limit",
        type=_count,
        metavar="N",
        help="the newest N calls that match (without it: the newest 50)",
    )
    window.add_argument("--all", action="store_true", help="every call that matches")
    shape = listing.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help="one JSON document, for tools")
    shape.add_argument("--csv", action="store_true", help="comma-separated, for a spreadsheet")
    show = action("show", "--protocol", help="the timeline of one call")
    option(show, "id")
    export = action(
        "export", "--protocol", help="one call as narrative, markdown, json or NENA EIDO"
    )
    option(
        export,
        "id",
        nargs="?",
        help="the call's id, as `records list` shows it (with --format eido and no id: every "
        "real call, one JSON array, for a CAD's import)",
    )
    export.add_argument(
        "--format",
        choices=["narrative", "markdown", "json", "eido"],
        default="narrative",
        help="narrative: plain text for a CAD remarks field; eido: NENA's Emergency Incident "
        "Data Object (JSON)",
    )
    export.add_argument(
        "--output",
        type=Path,
        help="write to this new file (owner-only) instead of standard output",
    )
    option(export, "--force", help="replace the --output file if it exists")
    brought = action(
        "import",
        help="bring a call saved to a file (ctrl+s, or export --format json) into the store",
    )
    brought.add_argument("file", type=Path, help="the saved call (JSON)")
    brought.set_defaults(run=run_import)  # the one records command that writes
    replay = action(
        "replay",
        "--protocol",
        help="rebuild a call from its events and check it reaches the same route",
    )
    option(replay, "id")
    review = action(
        "review",
        "--protocol",
        help="a QA review of one call against the protocol, scored as the training debrief",
    )
    option(review, "id")
    review.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text for the terminal, markdown for a review meeting, json",
    )
    report = action(
        "report",
        "--protocol",
        help="the QA report over a period (last calendar month): a summary, and one HTML page",
        description=(
            "Every call started in the period, replayed and scored as `records review` "
            "scores one: calls by route and week, when the route was known, safety first, "
            "steps left open, danger-now presses, interrupted and abandoned calls, review "
            "scores per dispatcher and console (with --training: per trainee and scenario). "
            "The summary is printed; the page (charts inline, nothing fetched) is written "
            "owner-only, never over a file."
        ),
    )
    report.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="first day (default: the first of --until's month, else of last month)",
    )
    report.add_argument(
        "--until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="last day (default: today with --since, else last month's last)",
    )
    report.add_argument(
        "--html",
        type=Path,
        metavar="FILE",
        help="where the page goes (default: qa-report-SINCE-UNTIL.html here)",
    )
    for parser in (listing, show, export, replay, review, brought, report):
        parser.add_argument(
            "--training",
            action="store_true",
            help="training calls (kept apart from real ones, in the data directory's "
            "training folder)",
        )


def run_import(args: argparse.Namespace) -> int:
    """`records import FILE`: the one records command that writes (the store this console
    writes to, as the console would open it)."""
    from ..paths import default_data_dir
    from ..records.where import records_dir

    folder = records_dir(args.data_dir or default_data_dir(), args.training)
    from ..files import read_regular
    from ..records.importing import import_call, read_saved_call
    from ..records.where import open_store, store_address
    from ..records_cli import _settings_store
    from ..shown import safe

    shown = safe(str(args.file))
    try:
        text = read_regular(args.file).decode("utf-8")
    except UnicodeDecodeError:
        print(f"records import: {shown} is not UTF-8 text", file=sys.stderr)
        return 1
    call_id, events = read_saved_call(text, shown)  # RecordsError: said by main
    own = args.training or (args.data_dir is not None and args.store is None)
    address = None if own else store_address(args.store, _settings_store())
    store = open_store(address, folder)
    try:
        done = import_call(store, call_id, events)
    finally:
        store.close()
    if done.new:
        print(f"imported call {done.call_id}: {done.added} events (new in the store)")
    elif done.added:
        print(f"imported {done.added} events into call {done.call_id}")
    else:
        print(f"call {done.call_id} has every event of {shown} already: nothing imported")
    return 0
