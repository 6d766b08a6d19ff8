"""`records list` at the size of a busy center: every filter is the database's, the list has a
window (the newest 50, said in its last line), the call's row is written only when what it
lists changes, and calls kept before the row held the incident and place get them."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Opener, known
from trafficking_triage.cli import main
from trafficking_triage.clock import day_start
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.base import Listing, StoreBase
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.records.sql import CallFilter


def taken(
    shipped: LoadedProtocol, at: datetime, *, console: str = "north", place: str = "Main St"
) -> Call:
    """A call started at `at`, its place said, closed."""
    call = Call.start(shipped.protocol, shipped.sha256, clock=lambda: at, console=console)
    call.answer(place)
    call.close("interrupted")
    return call


def fill(store: StoreBase, calls: list[Call]) -> list[str]:
    ids = []
    for call in calls:
        call_id = store.begin(call)
        store.release(call_id)
        ids.append(call_id)
    return ids


NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def test_each_filter_finds_what_it_says(opened: Opener, shipped: LoadedProtocol) -> None:
    store = opened()
    calls = [
        taken(shipped, NOON - timedelta(days=n), console=("north", "south")[n % 2],
              place=f"{n} Elm St")
        for n in range(6)
    ]  # fmt: skip
    ids = fill(store, calls)
    everything = list(store.listing(CallFilter(training=False)))
    assert [row.id for row in everything] == ids  # newest first
    assert [row.place for row in everything] == [f"{n} Elm St" for n in range(6)]
    assert store.count(CallFilter()) == 6
    south = list(store.listing(CallFilter(console="south")))
    assert [row.id for row in south] == ids[1::2]
    since = CallFilter(since=NOON - timedelta(days=2, hours=1))
    assert [row.id for row in store.listing(since)] == ids[:3]
    before = CallFilter(before=NOON - timedelta(days=3, hours=23))
    assert [row.id for row in store.listing(before)] == ids[4:]
    assert [row.id for row in store.listing(CallFilter(place="3 ELM"))] == [ids[3]]
    assert list(store.listing(CallFilter(place="%"))) == []  # a wildcard is a character here
    assert [row.id for row in store.listing(CallFilter(), limit=2)] == ids[:2]
    assert store.routes() == []
    assert list(store.listing(CallFilter(status="open"))) == []


def test_the_incident_and_place_follow_what_the_dispatcher_entered(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    store = opened()
    call = Call.start(shipped.protocol, shipped.sha256, context={"incident": "INC-1"})
    recorder = Recorder(store, call)
    call.answer("Motel on Route 9")
    row = store.row(known(recorder.call_id))
    assert (row.incident, row.place) == ("INC-1", "Motel on Route 9")
    call.give_details({"incident": "INC-2", "location": "Room 12, Motel on Route 9"})
    row = store.row(known(recorder.call_id))
    assert (row.incident, row.place) == ("INC-2", "Room 12, Motel on Route 9")
    call.give_details({"location": ""})  # taken away: the caller's words again
    assert store.row(known(recorder.call_id)).place == "Motel on Route 9"
    found = list(store.listing(CallFilter(incident="inc-2")))
    assert [r.id for r in found] == [recorder.call_id]
    recorder.release()


def written_rows(store: StoreBase, during: Any) -> list[str]:
    """The statements that changed a call's row while `during` ran."""
    said: list[str] = []
    if isinstance(store, SqliteStore):
        store.db.set_trace_callback(said.append)
        try:
            during()
        finally:
            store.db.set_trace_callback(None)
        # SQLite traces a statement again for each trigger it runs: once is once.
        said = [s for n, s in enumerate(said) if n == 0 or said[n - 1] != s]
    else:
        import psycopg

        real = psycopg.Connection.execute

        def traced(db: Any, query: Any, *args: Any, **kwargs: Any) -> Any:
            said.append(str(query))
            return real(db, query, *args, **kwargs)

        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(psycopg.Connection, "execute", traced)
            during()
    return [s for s in said if re.match(r"\s*UPDATE calls", s)]


def test_the_calls_row_is_written_only_when_what_it_lists_changes(
    opened: Opener, shipped: LoadedProtocol, address: str
) -> None:
    if address.startswith("memory:"):
        pytest.skip("a store in memory has no statements to count")
    store = opened()
    call = Call.start(shipped.protocol, shipped.sha256)
    recorder = Recorder(store, call)

    def answers() -> None:
        for value in ["Main St", "yes", "no", "no", "no", "no"]:
            call.answer(value)  # the place once; then nothing the row lists changes
        call.note("caller calm")

    updates = written_rows(store, answers)
    assert len(updates) == 1, updates  # the place, as the first answer gave it
    changed = written_rows(store, lambda: call.give_details({"incident": "INC-7"}))
    assert len(changed) == 1  # the incident
    assert len(written_rows(store, lambda: call.close("interrupted"))) == 1  # the close
    recorder.release()


def schema_two_store(directory: Path, shipped: LoadedProtocol) -> list[Call]:
    """A store as schema 2 left it (before the row held the incident and place)."""
    from trafficking_triage.records.sqlite_schema import MIGRATIONS

    directory.mkdir(mode=0o700)
    db = sqlite3.connect(directory / "calls.sqlite3", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for migration in MIGRATIONS[:2]:
        db.executescript(migration)
    db.execute("PRAGMA user_version = 2")
    calls = [
        taken(shipped, NOON, place="Main St"),
        Call.start(shipped.protocol, shipped.sha256, context={"incident": "CAD-9"}),
    ]
    calls[1].answer("Bus station")
    calls[1].give_details({"location": "Gate 4, bus station", "incident": "CAD-10"})
    columns = "id, started_at, status, context, protocol_id, protocol_version, protocol_sha256"
    for n, call in enumerate(calls):
        started = call.state.started
        assert started is not None
        call_id = f"261120-AAA{n}"
        db.execute(
            f"INSERT INTO calls ({columns}) VALUES (?, ?, 'open', ?, 'p', '3', ?)",
            (call_id, started.at.isoformat(), started.model_dump_json(include={"context"})[11:-1],
             "0" * 64),
        )  # fmt: skip
        for seq, event in enumerate(call.events):
            db.execute(
                "INSERT INTO events VALUES (?, ?, ?, ?, ?)",
                (call_id, seq, event.at.isoformat(), event.kind, event.model_dump_json()),
            )
    db.execute("UPDATE calls SET status = 'interrupted' WHERE id = '261120-AAA0'")
    # A row changed by hand before the checks: read as it is, and it stops no migration.
    db.execute("DROP TRIGGER open_checked")
    db.execute("UPDATE calls SET route = 'Officer Route' WHERE id = '261120-AAA1'")
    db.close()
    (directory / "calls.sqlite3").chmod(0o600)
    return calls


def test_calls_kept_before_get_their_incident_and_place(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    calls = schema_two_store(tmp_path / "data", shipped)
    SqliteStore(tmp_path / "data").close()  # as a console opens it: migrated
    store = SqliteStore(tmp_path / "data", read_only=True)
    rows = {row.id: row for row in store.listing(CallFilter())}
    for n, call in enumerate(calls):
        started = call.state.started
        assert started is not None
        expected = Listing.of(started.context, call.events)
        row = rows[f"261120-AAA{n}"]
        assert (row.incident, row.place) == (expected.incident, expected.place)
    assert (rows["261120-AAA1"].incident, rows["261120-AAA1"].place) == (
        "CAD-10",
        "Gate 4, bus station",
    )
    assert rows["261120-AAA0"].status == "interrupted"  # a closed call stays as it was
    store.close()


def plan(store: SqliteStore, wanted: CallFilter, limit: int | None = 50) -> str:
    from trafficking_triage.records import sql

    query, args = sql.listed_calls(sql.SQLITE, wanted, limit)
    return " ".join(row[-1] for row in store.db.execute(f"EXPLAIN QUERY PLAN {query}", args))


def test_the_lists_filters_use_the_indexes(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path)
    assert "calls_open" in plan(store, CallFilter(status="open"))
    assert "calls_started" in plan(store, CallFilter(since=NOON))
    assert "calls_incident" in plan(store, CallFilter(incident="INC-1", training=None))
    assert "SCAN calls USING INDEX calls_started" in plan(store, CallFilter())  # no sort
    store.close()


@pytest.fixture
def sixty(tmp_path: Path, shipped: LoadedProtocol) -> Iterator[Path]:
    store = SqliteStore(tmp_path)
    fill(store, [taken(shipped, NOON - timedelta(hours=n)) for n in range(60)])
    store.close()
    yield tmp_path


def test_the_list_shows_the_newest_fifty_and_says_how_many_more(
    sixty: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["records", "list", "--data-dir", str(sixty)]
    assert main(base) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == "the newest 50 of 60 calls that match; --limit N or --all for more"
    assert main([*base, "--limit", "5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 5 + 1
    assert main([*base, "--all"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1 + 60
    assert main([*base, "--csv"]) == 0
    out, err = capsys.readouterr()
    assert len(out.splitlines()) == 1 + 50 and "the newest 50 of 60" in err
    day = (NOON - timedelta(hours=12)).astimezone().date()
    assert main([*base, "--since", day.isoformat(), "--all"]) == 0
    listed = capsys.readouterr().out.splitlines()[1:]
    expected = sum(1 for n in range(60) if (NOON - timedelta(hours=n)).astimezone().date() >= day)
    assert len(listed) == expected
    with pytest.raises(SystemExit):
        main([*base, "--limit", "0"])


def test_a_local_day_begins_at_its_own_midnight() -> None:
    start = day_start(date(2026, 11, 20))
    assert start.tzinfo is UTC
    assert start.astimezone().replace(tzinfo=None) == datetime(2026, 11, 20)


def test_the_place_as_said_comes_back_when_the_entered_one_is_taken_away(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    store = opened()
    call = Call.start(shipped.protocol, shipped.sha256)
    recorder = Recorder(store, call)
    call.give_details({"location": "Entered by the dispatcher"})
    call.answer("Motel on Route 9")  # not shown while the entered place stands
    assert store.row(known(recorder.call_id)).place == "Entered by the dispatcher"
    call.give_details({"location": ""})  # taken away: the caller's words again
    assert store.row(known(recorder.call_id)).place == "Motel on Route 9"
    recorder.release()


def test_days_at_the_calendars_edges_and_separators_in_the_words(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    store = SqliteStore(tmp_path)
    fill(store, [taken(shipped, NOON, place="Main\u2028St")])
    store.close()
    base = ["records", "list", "--data-dir", str(tmp_path)]
    for edges in (["--until", "9999-12-31"], ["--since", "0001-01-01"]):
        assert main([*base, *edges]) == 0, edges
        assert "Main" in capsys.readouterr().out
    assert main([*base, "--json"]) == 0
    (listed,) = json.loads(capsys.readouterr().out)["calls"]
    assert listed["location"] == "Main\u2028St"  # kept whole, not split as a line


def test_a_place_is_found_whatever_the_case_of_its_letters(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    store = opened()
    (call_id,) = fill(store, [taken(shipped, NOON, place="Calle Ñandú 12")])
    for text in ("ñandú", "ÑANDÚ", "calle ñ"):
        assert [row.id for row in store.listing(CallFilter(place=text))] == [call_id], text


def test_an_earlier_schema_is_said_by_the_commands_that_only_read(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    schema_two_store(tmp_path / "data", shipped)
    before = (tmp_path / "data" / "calls.sqlite3").read_bytes()
    assert main(["records", "list", "--data-dir", str(tmp_path / "data")]) == 1
    err = capsys.readouterr().err
    assert "schema 2" in err and "Start a console on this data directory once" in err
    assert (tmp_path / "data" / "calls.sqlite3").read_bytes() == before  # left as it was
    SqliteStore(tmp_path / "data").close()  # a console brings it up to date
    assert main(["records", "list", "--data-dir", str(tmp_path / "data")]) == 0
