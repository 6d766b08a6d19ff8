"""`records list`: the calls that match, newest first, in a window, as a table, CSV or JSON.
Every filter is the store's (SQL on an index), and rows are read as they are printed, so the
list is as quick on a year of calls as on a day's."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from .clock import day_start, stamp
from .records.api import CallRow, row_fields
from .records.base import StoreBase
from .records.sql import CallFilter
from .shown import safe, safe_json

WINDOW = 50
"""Calls `records list` shows unless told otherwise (`--limit`, `--all`): the newest."""


def list_filter(args: argparse.Namespace) -> CallFilter:
    """The list's filters, each one a condition the store puts in SQL (a local day turned
    into the UTC moments it begins and ends, so the start time's index serves)."""
    return CallFilter(
        training=args.training,
        status=args.status,
        since=_moment(lambda: day_start(args.since)) if args.since is not None else None,
        before=(
            _moment(lambda: day_start(args.until + timedelta(days=1)))
            if args.until is not None
            else None
        ),
        route=args.route,
        console=args.taken_at,
        dispatcher=args.taken_by,
        incident=args.incident,
        place=args.where,
    )


def _moment(made: Callable[[], datetime]) -> datetime | None:
    """A day's bound as a UTC moment, or None (no bound) for a day at the calendar's edge
    (9999-12-31, or 0001-01-01 east of UTC), which every call falls inside."""
    try:
        return made()
    except (OverflowError, ValueError):
        return None


def list_records(store: StoreBase, args: argparse.Namespace) -> int:
    """`records list`: the newest calls that match (a window of WINDOW unless `--limit` or
    `--all`), read as they are printed; every row that can be read, the others said in
    `store.anomalies`. The last line says how many more match."""
    wanted = list_filter(args)
    limit = None if args.all else (args.limit if args.limit is not None else WINDOW)
    rows = store.listing(wanted, limit)
    if args.csv:
        shown = list_csv(rows)
    elif args.json:
        shown = list_json(store, rows, args.training)
    else:
        shown = list_calls(store, rows, args.training)
    if shown == 0:
        return _say_none(store, args)
    if limit is not None and shown == limit:
        total = store.count(wanted)
        if total > shown:
            more = (
                f"the newest {shown:,} of {total:,} calls that match; --limit N or --all for more"
            )
            # A table says it in its last line; CSV and JSON keep their output clean.
            print(more, file=sys.stderr if args.csv or args.json else sys.stdout)
    return 0


def _say_none(store: StoreBase, args: argparse.Namespace) -> int:
    if args.json or args.csv:
        return 0
    training = args.training
    if args.route is not None:  # a route misspelt, or never reached
        routes = store.routes(training=training)
        if args.route not in routes:
            print(
                f"no call has route {safe(repr(args.route))} (routes recorded: "
                f"{', '.join(safe(route) for route in routes) or 'none'})"
            )
            return 0
    if store.count(CallFilter(training=training)):
        print("no calls match")
    else:
        print("no training calls recorded" if training else "no calls recorded")
    return 0


def list_csv(rows: Iterable[CallRow]) -> int:
    """The list for a spreadsheet: one row a call, times in ISO form. A cell that a
    spreadsheet would run as a formula (=, +, -, @ first) is quoted with a leading '.
    Returns the calls written."""
    import csv

    def cell(text: str) -> str:
        text = safe(text)
        return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text

    out = csv.writer(sys.stdout)
    out.writerow(["id", "started_at", "ended_at", "route", "status", "console", "dispatcher",
                  "incident", "location"])  # fmt: skip
    shown = 0
    for row in rows:
        fields = row_fields(row)
        out.writerow(
            [cell(str(fields[k] or "")) for k in
             ("id", "started_at", "ended_at", "route", "status", "console", "dispatcher")]
            + [cell(row.incident), cell(row.place)]
        )  # fmt: skip
        shown += 1
    return shown


def list_json(store: StoreBase, rows: Iterable[CallRow], training: bool) -> int:
    """One JSON document, written call by call as the rows are read. Returns the calls."""
    import textwrap

    scored = _scorer(store) if training else None
    shown = 0
    for row in rows:
        item = {**row_fields(row), "protocol": f"{row.protocol_id} {row.protocol_version}"}
        item["incident"], item["location"] = row.incident, row.place
        if scored is not None:
            item["scenario"], item["score"] = scored(row)
        opening = f'{{\n  "training": {"true" if training else "false"},\n  "calls": [\n'
        print(opening if not shown else ",\n", end="")
        print(textwrap.indent(safe_json(item).rstrip("\n"), "    "), end="")
        shown += 1
    if shown:
        print("\n  ]\n}")
    else:
        print(safe_json({"training": training, "calls": []}), end="")
    return shown


def list_calls(store: StoreBase, rows: Iterable[CallRow], training: bool) -> int:
    """The table, a line a call as it is read; the heading once there is one. Returns the
    calls listed."""
    scored = _scorer(store) if training else None
    heading = f"{'ID':<12} {'STARTED':<27} {'ROUTE':<10} {'STATUS':<11}"
    # A center's list says where each call was taken; a training list, what it played.
    more = (
        " SCENARIO                  SCORE"
        if scored
        else " CONSOLE    DISPATCHER INCIDENT     WHERE"
    )
    shown = 0
    for row in rows:
        if not shown:
            print((heading + more).rstrip())
        line = (
            f"{safe(row.id):<12} {stamp(row.started_at)}  {safe(row.route or '-'):<10}"
            f" {safe(row.status):<11}"
        )
        if scored is not None:
            scenario, score = scored(row)
            line += f" {scenario:<25} {score}"
        else:
            line += f" {safe(row.console or '-'):<10} {safe(row.dispatcher or '-'):<10}"
            line += f" {safe(row.incident or '-'):<12} {safe(row.place or '-')[:40]}"
        print(line.rstrip())
        shown += 1
    return shown


def _scorer(store: StoreBase) -> Callable[[CallRow], tuple[str, str]]:
    """For a training call: its scenario and its debrief's score (the shipped protocol and
    the scenarios beside it; "-" where the call was taken with another protocol, is still
    open, or its scenario is not there)."""
    from .engine import Call
    from .engine.events import CallStarted
    from .protocol import load_protocol
    from .protocol.problems import FileProblems
    from .training.debrief import debrief
    from .training.rubric import load_rubric
    from .training.scenario import load_scenarios

    loaded = load_protocol(None, for_records=True)
    folder = loaded.scenarios
    try:
        scenarios = {s.id: s for s in load_scenarios(folder, loaded)} if folder.is_dir() else {}
        rubric = load_rubric(folder)
    except FileProblems:
        scenarios, rubric = {}, None

    def scored(row: CallRow) -> tuple[str, str]:
        events = store.events(row.id)
        started = events[0] if events and isinstance(events[0], CallStarted) else None
        name = started.scenario if started is not None and started.scenario else "-"
        played = scenarios.get(name)
        if played is None or row.protocol_sha256 != loaded.sha256 or row.status == "open":
            return name, "-"
        call, _leftover, anomaly = Call.as_far_as_it_goes(loaded.protocol, events)
        if anomaly is not None:
            return name, "- (the record does not replay: see records show)"
        return name, f"{debrief(played, call, rubric).score}/100"

    return scored
