"""`trafficking-triage records ...`: list, show, export and replay call records. No Textual."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .clock import stamp
from .paths import default_data_dir
from .records.api import CallRow, RecordsDamaged
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
            from .records_list import list_records

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
        if args.action == "report":
            from .records_report import qa_report

            return qa_report(store, args)
        return replay(store, args.id, args.protocol)
    except RecordsDamaged as error:
        # The quick check as the store opened found nothing; a page read now did.
        print(f"records: {error}", file=sys.stderr)
        return 1
    finally:
        store.close()


def _settings_store() -> str | None:
    """The store the agency settings name, read from the file the console reads."""
    from .paths import default_settings_path

    path = default_settings_path()
    if not path.is_file():
        return None
    from .settings.loader import load_settings

    return load_settings(path).settings.store


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
