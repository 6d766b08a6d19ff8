"""`trafficking-triage records ...`: list, show, export and replay call records. No Textual."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .clock import day_start, stamp
from .paths import default_data_dir
from .records.api import CallRow, RecordsDamaged, row_fields
from .records.base import StoreBase
from .records.sql import CallFilter
from .records.where import open_store, store_address
from .shown import safe, safe_json

if TYPE_CHECKING:
    # What shows, exports and replays a call (its events, the protocol) is imported by
    # those commands alone: `records list` reads rows, and starts in a third of the time.
    from .engine import Call
    from .engine.events import Event
    from .protocol import LoadedProtocol
    from .settings.models import AgencySettings


def run_records(args: argparse.Namespace) -> int:
    """Every records command only reads: the store is opened read-only (nothing created or
    changed, a read-only disk is fine)."""
    from .records.where import records_dir

    base = args.data_dir or default_data_dir()
    folder = records_dir(base, args.training)
    if args.action == "list" and args.training and not folder.exists() and base.is_dir():
        print("no training calls recorded")  # none taken here yet: no store of their own
        return 0
    # A data directory named alone is read, whatever store the settings or environment name.
    own = args.training or (args.data_dir is not None and args.store is None)
    address = None if own else store_address(args.store, _settings_store())
    store = open_store(address, folder, read_only=True)
    try:
        if args.action == "list":
            listed = list_records(store, args)
            for anomaly in store.anomalies:  # a damaged or hand-made row: said, not fatal
                print(f"ANOMALY: {anomaly}", file=sys.stderr)
            return listed
        if args.action == "show":
            return show(store, args.id, args.protocol)
        if args.action == "export" and args.id is None:
            if args.format != "eido":
                print("records export: give the call's id", file=sys.stderr)
                return 2
            return export_all_eido(store, args.output, args.protocol, args.force)
        if args.action == "export":
            return export(store, args.id, args.format, args.output, args.protocol, args.force)
        if args.action == "review":
            return review_call(store, args.id, args.format, args.protocol)
        return replay(store, args.id, args.protocol)
    except RecordsDamaged as error:
        # The quick check as the store opened found nothing; a page read now did.
        print(f"records: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


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


def _settings_store() -> str | None:
    """The store the agency settings name, read from the file the console reads."""
    from .paths import default_settings_path

    path = default_settings_path()
    if not path.is_file():
        return None
    from .settings.loader import load_settings

    return load_settings(path).settings.store


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


def _matching_protocol(row: CallRow, protocol_path: Path | None) -> LoadedProtocol:
    """The protocol the call was taken with, or a ValueError naming both files' digests.
    With no --protocol, an earlier shipped version whose bytes match is used."""
    from .protocol import load_protocol

    loaded = load_protocol(protocol_path, for_records=True)
    if loaded.sha256 != row.protocol_sha256 and protocol_path is None:
        import hashlib

        from .paths import earlier_protocol_paths

        for path in earlier_protocol_paths():
            if hashlib.sha256(path.read_bytes()).hexdigest() == row.protocol_sha256:
                return load_protocol(path, for_records=True)
    if loaded.sha256 != row.protocol_sha256:
        raise ValueError(
            f"call {row.id} was taken with protocol {row.protocol_id} {row.protocol_version} "
            f"(sha256 {row.protocol_sha256}); {loaded.name} is "
            f"{loaded.protocol.protocol.id} {loaded.protocol.protocol.version} "
            f"(sha256 {loaded.sha256}). Not replayed: give the matching file with --protocol."
        )
    return loaded


class Record(NamedTuple):
    row: CallRow
    call: Call
    """As far as its events replay."""
    leftover: list[Event]
    """Events that do not follow the ones before them: shown and exported all the same."""
    anomaly: str | None


def _record(store: StoreBase, call_id: str, protocol_path: Path | None) -> Record:
    """The record and its call, rebuilt with the protocol it was taken with."""
    from .engine import Call

    row = store.row(call_id)
    loaded = _matching_protocol(row, protocol_path)
    return Record(row, *Call.as_far_as_it_goes(loaded.protocol, store.events(row.id)))


def show(store: StoreBase, call_id: str, protocol_path: Path | None) -> int:
    from .reports.export import timeline

    try:
        record = _record(store, call_id, protocol_path)
    except ValueError as error:
        print(f"records show: {error}", file=sys.stderr)
        return 1
    print(f"call {record.row.id}, started {stamp(record.row.started_at)}")
    call = record.call
    for when, what in timeline(call.protocol, [*call.events, *record.leftover]):
        print(f"{when}  {safe(what)}")
    if record.anomaly is not None:
        print(f"ANOMALY: the record goes on past what replays ({safe(record.anomaly)})")
    return 0


def review_call(store: StoreBase, call_id: str, form: str, protocol_path: Path | None) -> int:
    """The QA review of one call, scored as the debrief scores (a training call with its
    scenario, from the scenarios beside the protocol it was taken with)."""
    from .engine import Call
    from .protocol.problems import FileProblems
    from .reports import review
    from .training.debrief import debrief
    from .training.rubric import load_rubric
    from .training.scenario import load_scenarios

    try:
        row = store.row(call_id)
        loaded = _matching_protocol(row, protocol_path)
    except ValueError as error:
        print(f"records review: {error}", file=sys.stderr)
        return 1
    events = store.events(row.id)
    call, _leftover, anomaly = Call.as_far_as_it_goes(loaded.protocol, events)
    started = call.state.started
    name = started.scenario if started is not None else None
    played, rubric = None, None
    folder = loaded.scenarios
    if name is not None and folder.is_dir():
        try:
            played = next((s for s in load_scenarios(folder, loaded) if s.id == name), None)
            rubric = load_rubric(folder)
        except FileProblems as error:
            print(f"records review: the scenarios in {folder} have problems:", file=sys.stderr)
            print(error, file=sys.stderr)
            return 1
        if played is None:
            print(f"records review: scenario '{name}' is not in {folder}", file=sys.stderr)
    found = review.review(row, call, debrief(played, call, rubric), name, anomaly)
    if form == "json":
        print(review.as_json(found), end="")
    else:
        print(review.as_text(found, markdown=form == "markdown"), end="")
    return 0


def export(
    store: StoreBase,
    call_id: str,
    form: str,
    output: Path | None,
    protocol_path: Path | None,
    force: bool = False,
) -> int:
    from .reports.export import as_json, markdown, narrative

    try:
        record = _record(store, call_id, protocol_path)
    except ValueError as error:
        print(f"records export: {error}", file=sys.stderr)
        return 1
    row, call, leftover, anomaly = record
    if form == "eido":
        text = safe_json(eido_of(row, call, anomaly))
    elif form == "narrative":
        text = narrative(row, call, anomaly=anomaly)
    elif form == "markdown":
        text = markdown(row, call, leftover=leftover, anomaly=anomaly)
    else:
        text = as_json(row, call, leftover=leftover, anomaly=anomaly)
    return _written(text, output, force)


def eido_of(row: CallRow, call: Call, anomaly: str | None = None) -> dict[str, object]:
    """The call as a NENA EIDO, the agency's domain from the settings the console reads."""
    from .reports.eido import ANONYMOUS_WITHHELD, UNSET_DOMAIN, anonymous, as_eido
    from .reports.export import narrative

    settings = _agency_settings()
    if settings is None or settings.agency.domain is None:
        print(
            f"records export: the agency settings give no domain; the EIDO names the agency "
            f"{UNSET_DOMAIN} (set agency: domain:)",
            file=sys.stderr,
        )
    withheld = ANONYMOUS_WITHHELD if anonymous(call) else frozenset()
    told = narrative(row, call, anomaly=anomaly, withheld=withheld)
    return as_eido(row, call, settings, narrative=told)


def export_all_eido(
    store: StoreBase, output: Path | None, protocol_path: Path | None, force: bool
) -> int:
    """Every real call as an EIDO, oldest first, in one JSON array (a CAD's import). A call
    that does not replay against the protocol is said on stderr and left out."""
    found = []
    for row in reversed(list(store.listing(CallFilter(training=False)))):
        try:
            _row, call, _leftover, anomaly = _record(store, row.id, protocol_path)
        except ValueError as error:
            print(f"records export: {error}", file=sys.stderr)
            continue
        found.append(eido_of(row, call, anomaly))
    for unread in store.anomalies:  # a damaged or hand-made row: said, and the rest written
        print(f"ANOMALY: {unread}", file=sys.stderr)
    return _written(safe_json(found), output, force)


def _agency_settings() -> AgencySettings | None:
    from .paths import default_settings_path

    path = default_settings_path()
    if not path.is_file():
        return None
    from .settings.loader import load_settings

    return load_settings(path).settings


def _written(text: str, output: Path | None, force: bool) -> int:
    from .files import write_private

    if output is None:
        sys.stdout.write(text)
        return 0
    try:
        write_private(output, text, replace=force)
    except FileExistsError:
        print(
            f"records export: {output} exists; not replaced (--force replaces it)", file=sys.stderr
        )
        return 1
    except OSError as error:
        print(f"records export: cannot write {output}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"written to {output}")
    return 0


def replay(store: StoreBase, call_id: str, protocol_path: Path | None) -> int:
    from .engine import Call, CallError
    from .engine.events import RouteReached, WentBack

    row = store.row(call_id)
    events = store.events(row.id)
    try:
        call = Call(_matching_protocol(row, protocol_path).protocol, events)
    except ValueError as error:
        print(f"records replay: {error}", file=sys.stderr)
        return 1
    except CallError as error:
        print(f"records replay: call {row.id} does not replay: {error}", file=sys.stderr)
        return 1
    was = None  # the route as written down: reached, and taken away by any Back after it
    for event in events:
        if isinstance(event, RouteReached):
            was = event.outcome
        elif isinstance(event, WentBack):
            was = None
    now = call.state.route.outcome if call.state.route else None
    if was == now:
        print(f"call {row.id}: replayed {len(events)} events; same route: {now or 'none'}")
        return 0
    print(f"call {row.id}: replayed {len(events)} events; route was {was}, replay gives {now}")
    return 1
