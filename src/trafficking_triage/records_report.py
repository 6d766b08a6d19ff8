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
    from .records.api import CallRow
    from .records.base import StoreBase
    from .reports.qa import Figures
    from .training.rubric import Rubric
    from .training.scenario import Scenario


def last_month(today: date) -> tuple[date, date]:
    """The calendar month before `today`'s: its first and last days."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def period(since: date | None, until: date | None, today: date) -> tuple[date, date]:
    """The days a report covers: as given; neither given, last calendar month; only
    --since, up to today; only --until, from the first of its month."""
    if since is None and until is None:
        return last_month(today)
    if since is None:
        assert until is not None
        return until.replace(day=1), until
    return since, until or today


class Replays:
    """Each call replayed with the protocol it was taken with, and a training call scored
    against its scenario; what cannot be is said once per protocol (a NOT COUNTED line), not
    worked out again for every call."""

    def __init__(self, protocol_path: Path | None) -> None:
        self.protocol_path = protocol_path
        self.protocols: dict[str, LoadedProtocol | str] = {}
        """By sha256: the protocol, or why it cannot be had."""
        self.played: dict[str, tuple[dict[str, Scenario], Rubric | None]] = {}
        self.skipped: list[str] = []

    def protocol(self, row: CallRow) -> LoadedProtocol | None:
        from .protocol.problems import FileProblems
        from .records_cli import _matching_protocol

        found = self.protocols.get(row.protocol_sha256)
        if found is None:
            try:
                found = _matching_protocol(row, self.protocol_path)
            except (ValueError, FileProblems) as error:
                found = str(error).splitlines()[0]
            self.protocols[row.protocol_sha256] = found
        if isinstance(found, str):
            self.skipped.append(f"call {row.id}: {found}")
            return None
        return found

    def scenario(self, loaded: LoadedProtocol, name: str) -> tuple[Scenario | None, Rubric | None]:
        """The scenario a training call played, and the rubric beside it (None, None: the
        call is scored as a real one, and the report says why)."""
        from .protocol.problems import FileProblems
        from .training.rubric import load_rubric
        from .training.scenario import load_scenarios

        if loaded.sha256 not in self.played:
            folder = loaded.scenarios
            try:
                found = load_scenarios(folder, loaded) if folder.is_dir() else []
                rubric = load_rubric(folder) if folder.is_dir() else None
            except FileProblems as error:
                self.skipped.append(
                    f"the scenarios in {folder} have problems ({str(error).splitlines()[0]}): "
                    "their calls are scored as real calls"
                )
                found, rubric = [], None
            self.played[loaded.sha256] = ({s.id: s for s in found}, rubric)
        scenarios, rubric = self.played[loaded.sha256]
        return scenarios.get(name), rubric

    def steps(self) -> dict[int, str]:
        """The steps' titles, from the protocols the calls were taken with."""
        titles: dict[int, str] = {}
        for loaded in self.protocols.values():
            if not isinstance(loaded, str):
                titles.update((step.number, step.title) for step in loaded.protocol.steps)
        return titles


def qa_report(store: StoreBase, args: argparse.Namespace) -> int:
    from .engine import Call
    from .records_cli import _agency_settings
    from .reports.qa import Report, figures, summary, unsaved_periods
    from .reports.qa_page import page

    since, until = period(args.since, args.until, date.today())
    if until < since:
        print(f"records report: --until {until} is before --since {since}", file=sys.stderr)
        return 2
    wanted = CallFilter(
        training=bool(args.training),
        since=day_start(since),
        before=day_start(until + timedelta(days=1)),
    )
    replays = Replays(args.protocol)
    counted: list[Figures] = []
    unsaved: list[tuple[str, str, datetime, datetime]] = []
    unknown = 0
    for row in store.listing(wanted):
        loaded = replays.protocol(row)
        if loaded is None:
            continue
        call, _leftover, anomaly = Call.as_far_as_it_goes(loaded.protocol, store.events(row.id))
        started = call.state.started
        scenario, rubric = None, None
        if started is not None and started.scenario is not None:
            scenario, rubric = replays.scenario(loaded, started.scenario)
        counted.append(figures(row, call, scenario, rubric))
        times = store.written_times(row.id)
        unknown += any(saved is None for _, saved in times)
        console = row.console or "(not given)"
        for began, ended in unsaved_periods(times):
            unsaved.append((console, row.id, began.astimezone(), ended.astimezone()))
        if anomaly is not None:
            replays.skipped.append(f"call {row.id}: counted as far as it replays ({anomaly})")
    counted.sort(key=lambda f: f.started)
    unsaved.sort(key=lambda found: found[2])
    report = Report(
        since,
        until,
        bool(args.training),
        counted,
        unsaved=unsaved,
        unsaved_unknown=unknown,
        skipped=[*replays.skipped, *store.anomalies],
        steps=replays.steps(),
    )
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
