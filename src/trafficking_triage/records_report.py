"""`records report`: the QA report over a period, read from the store (only the calls started
in it, found on the start's index) and each call replayed with the protocol it was taken
with, scored as `records review` scores one call."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from .clock import day_start
from .records.sql import CallFilter

if TYPE_CHECKING:
    from .protocol import LoadedProtocol
    from .records.base import StoreBase
    from .reports.qa import Figures
    from .training.rubric import Rubric
    from .training.scenario import Scenario


def last_month(today: date) -> tuple[date, date]:
    """The calendar month before `today`'s: its first and last days."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def qa_report(store: StoreBase, args: argparse.Namespace) -> int:
    from .engine import Call
    from .protocol.problems import FileProblems
    from .records_cli import _agency_settings, _matching_protocol
    from .reports.qa import Report, figures, page, summary, unsaved_periods
    from .training.rubric import load_rubric
    from .training.scenario import load_scenarios

    first, last = last_month(date.today())
    since, until = args.since or first, args.until or last
    if until < since:
        print(f"records report: --until {until} is before --since {since}", file=sys.stderr)
        return 2
    wanted = CallFilter(
        training=bool(args.training),
        since=day_start(since),
        before=day_start(until + timedelta(days=1)),
    )
    protocols: dict[str, LoadedProtocol] = {}
    played: dict[str, tuple[dict[str, Scenario], Rubric | None]] = {}
    counted: list[Figures] = []
    unsaved: list[tuple[str, str, datetime, datetime]] = []
    unknown = 0
    skipped: list[str] = []
    for row in store.listing(wanted):
        try:
            loaded = protocols.get(row.protocol_sha256)
            if loaded is None:
                loaded = protocols[row.protocol_sha256] = _matching_protocol(row, args.protocol)
        except (ValueError, FileProblems) as error:
            skipped.append(f"call {row.id}: {str(error).splitlines()[0]}")
            continue
        call, _leftover, anomaly = Call.as_far_as_it_goes(loaded.protocol, store.events(row.id))
        started = call.state.started
        scenario, rubric = None, None
        if started is not None and started.scenario is not None:
            if loaded.sha256 not in played:
                folder = loaded.scenarios
                found = load_scenarios(folder, loaded) if folder.is_dir() else []
                played[loaded.sha256] = (
                    {s.id: s for s in found},
                    load_rubric(folder) if folder.is_dir() else None,
                )
            scenarios, rubric = played[loaded.sha256]
            scenario = scenarios.get(started.scenario)
        counted.append(figures(row, call, scenario, rubric))
        times = store.written_times(row.id)
        unknown += any(saved is None for _, saved in times)
        console = row.console or "(not given)"
        for began, ended in unsaved_periods(times):
            unsaved.append((console, row.id, began.astimezone(), ended.astimezone()))
        if anomaly is not None:
            skipped.append(f"call {row.id}: counted as far as it replays ({anomaly})")
    counted.sort(key=lambda f: f.started)
    from .protocol import load_protocol

    steps = load_protocol(args.protocol, for_records=True).protocol.steps
    unsaved.sort(key=lambda period: period[2])
    report = Report(
        since,
        until,
        bool(args.training),
        counted,
        unsaved=unsaved,
        unsaved_unknown=unknown,
        skipped=skipped,
        steps=steps,
    )
    for anomaly in store.anomalies:
        skipped.append(anomaly)
    settings = _agency_settings()
    agency = settings.agency.name if settings is not None else "No agency settings"
    target = args.html or Path(f"qa-report-{since}-{until}.html")
    from .files import write_private

    try:
        write_private(target, page(report, agency))
    except FileExistsError:
        print(f"records report: nothing written: {target} is there already", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"records report: {error.strerror}: {target}", file=sys.stderr)
        return 1
    print(summary(report), end="")
    print(f"\nThe page: {target}")
    return 0
