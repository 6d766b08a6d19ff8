"""A center's database against its own users and faults, as the README's roles: a live call
belongs to the console that holds it through a server restart; another console's role can
neither change it, write to it, nor end its connection; a closed call stays closed; a bad row
stops no console and no supervisor's list."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg
import pytest

from tests.postgres_server import Server
from tests.unit.test_center_store import make_readme_roles
from trafficking_triage.cli import main
from trafficking_triage.console import CallSession, ConsoleOptions, open_session
from trafficking_triage.records.postgres import PostgresStore


def as_role(center: str, role: str) -> str:
    return center.replace("//triage@", f"//{role}@")


def console(center: str, role: str, name: str, tmp_path: Path) -> CallSession:
    data = tmp_path / name
    data.mkdir(mode=0o700, exist_ok=True)
    return open_session(ConsoleOptions(data_dir=data, store=as_role(center, role), console=name))


@pytest.fixture
def north_mid_call(center: str, tmp_path: Path) -> tuple[CallSession, str]:
    make_readme_roles(center)
    north = console(center, "triage_north", "north", tmp_path)
    north.start()
    north.answer("12 Main St")
    assert north.recorder is not None and north.recorder.call_id is not None
    return north, north.recorder.call_id


def test_a_restart_never_offers_a_live_call_to_another_console(
    postgres: Server, center: str, tmp_path: Path, north_mid_call: tuple[CallSession, str]
) -> None:
    """20 restarts of the server, a console opened at once after each: none is offered the
    call north has on the line, and north goes on writing it."""
    north, call_id = north_mid_call
    offered = 0
    for trial in range(20):
        postgres.stop()
        postgres.start()
        south = PostgresStore(as_role(center, "triage_south"))
        south.console = "south"
        offered += any(row.id == call_id for row in south.unfinished())
        assert not south.hold(call_id)
        south.close()
        north.keep_alive()  # north's timer: it finds the restart and holds its call again
        assert north.records_trouble is None, trial
        assert north.note(f"note {trial}") is None
    assert offered == 0
    assert north.unsaved_events() == 0 and north.records_trouble is None
    north.end_console()


def test_a_console_silent_past_the_grace_lets_another_take_its_call(
    center: str, tmp_path: Path, north_mid_call: tuple[CallSession, str]
) -> None:
    north, call_id = north_mid_call
    south = PostgresStore(as_role(center, "triage_south"))
    south.console = "south"
    north.store.db.close()  # type: ignore[union-attr]  # north's connection gone: lock freed
    assert south.unfinished() == []  # its lease is fresh
    with psycopg.connect(center, autocommit=True) as owner:  # 61 s later, as if
        owner.execute("ALTER TABLE calls DISABLE TRIGGER calls_guard")
        owner.execute("UPDATE calls SET renewed_at = now() - interval '61 seconds'")
        owner.execute("ALTER TABLE calls ENABLE TRIGGER calls_guard")
    assert [row.id for row in south.unfinished()] == [call_id]
    assert south.hold(call_id)
    south.close()


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE calls SET status = 'interrupted', ended_at = now()"
        " WHERE console = 'north' AND status = 'open'",
        "UPDATE calls SET route = 'hotline' WHERE console = 'north'",
        "UPDATE calls SET holder = NULL WHERE console = 'north'",
        "INSERT INTO events (call_id, seq, at, kind, body)"
        " SELECT id, 99, now(), 'note_added', '{}' FROM calls WHERE console = 'north'",
    ],
)
def test_another_consoles_role_cannot_change_or_write_a_live_call(
    center: str, tmp_path: Path, north_mid_call: tuple[CallSession, str], attack: str
) -> None:
    north, call_id = north_mid_call
    with (
        psycopg.connect(as_role(center, "triage_south")) as south,
        pytest.raises(psycopg.Error, match="held by another console"),
    ):
        south.execute(attack)
    assert north.close_call() is None  # north's own close is not refused
    assert north.unsaved_events() == 0 and north.records_trouble is None
    with psycopg.connect(center) as owner:
        status, route = owner.execute(
            "SELECT status, route FROM calls WHERE id = %s", (call_id,)
        ).fetchone() or ("?", "?")
    assert (status, route) == ("completed", None)  # north's answers settled no route
    north.end_console()


def test_another_console_cannot_end_a_consoles_connection(
    center: str, tmp_path: Path, north_mid_call: tuple[CallSession, str]
) -> None:
    north, _call_id = north_mid_call
    pid = north.store.db.info.backend_pid  # type: ignore[union-attr]
    with (
        psycopg.connect(as_role(center, "triage_south")) as south,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        south.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert north.note("still here") is None and north.unsaved_events() == 0
    north.end_console()


@pytest.mark.parametrize("role", ["triage_south", "triage"])
def test_closed_calls_stay_closed_for_every_role(
    center: str, tmp_path: Path, north_mid_call: tuple[CallSession, str], role: str
) -> None:
    north, call_id = north_mid_call
    assert north.close_call() is None
    north.end_console()
    with psycopg.connect(as_role(center, role)) as db:
        for attack in (
            "UPDATE calls SET route = 'hotline' WHERE status <> 'open' AND route IS NULL",
            "UPDATE calls SET status = 'open' WHERE status <> 'open'",
        ):
            with pytest.raises(psycopg.Error, match="is closed"):
                db.execute(attack)
            db.rollback()
        with pytest.raises(psycopg.Error, match="no event is added after its close"):
            db.execute(
                "INSERT INTO events (call_id, seq, at, kind, body)"
                " VALUES (%s, 99, now(), 'note_added', '{}')",
                (call_id,),
            )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("context", "{not json"),
        ("context", "[1, 2]"),
        ("id", "\x1b[2J\x1b]0;owned\x07"),
        ("route", "\x1b]52;c;ZWNobyBoaQ==\x07"),
        ("status", "\x1b[31mopen"),
    ],
)
def test_the_database_refuses_a_row_it_would_not_write(
    center: str, tmp_path: Path, column: str, value: str
) -> None:
    make_readme_roles(center)
    row = {
        "id": "261207-ACDE",
        "started_at": "2026-12-07T10:00:00Z",
        "context": "{}",
        "protocol_id": "p",
        "protocol_version": "1",
        "protocol_sha256": "0" * 64,
        column: value,
    }
    names = ", ".join(row)
    marks = ", ".join(["%s"] * len(row))
    with (
        psycopg.connect(as_role(center, "triage_south")) as db,
        pytest.raises(psycopg.errors.DataError if value == "{not json" else psycopg.Error),
    ):
        db.execute(f"INSERT INTO calls ({names}) VALUES ({marks})", list(row.values()))


def damage_sqlite(data: Path) -> None:
    """Rows no console writes (a file of version 1.0 changed by hand, say), past its checks."""
    db = sqlite3.connect(data / "calls.sqlite3", isolation_level=None)
    db.execute("DROP TRIGGER calls_checked")
    columns = (
        "id, started_at, status, route, context, protocol_id, protocol_version, protocol_sha256"
    )
    for values in (
        ("261207-BAD1", "2026-12-07T10:00:00+00:00", "open", None, "{not json"),
        ("261207-BAD2", "yesterday", "open", None, "{}"),
        (
            "\x1b[2J\x1b]0;owned\x07",
            "2026-12-07T11:00:00+00:00",
            "\x1b[31mdone",
            "\x1b]52;c;aGk=\x07",
            "{}",
        ),
    ):
        db.execute(
            f"INSERT INTO calls ({columns}) VALUES (?, ?, ?, ?, ?, 'p', '1', ?)",
            (*values, "0" * 64),
        )
    db.close()


def test_a_bad_row_stops_no_console_and_no_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    open_session(ConsoleOptions(data_dir=data)).end_console()
    damage_sqlite(data)
    session = open_session(ConsoleOptions(data_dir=data))
    said: list[str] = []
    session.on_notice = lambda notice: said.append(notice.message)
    assert session.unfinished() is None  # the console opens, and says so
    assert said and "2 call records in the store cannot be read" in said[0]
    session.start()
    assert session.answer("12 Main St") is None and session.unsaved_events() == 0
    session.end_console()
    # The filters are the database's: a bad row is read, and said, by a list it belongs to.
    for extra, bad in (([], 2), (["--status", "open"], 2), (["--route", "officer"], 0),
                       (["--json"], 2), (["--all", "--csv"], 2)):  # fmt: skip
        assert main(["records", "list", "--data-dir", str(data), *extra]) == 0
        out, err = capsys.readouterr()
        assert "\x1b" not in out + err
        assert err.count("ANOMALY: call record 261207-BAD") == bad
    assert main(["records", "list", "--data-dir", str(data)]) == 0
    out, _err = capsys.readouterr()
    assert "\\x1b[2J\\x1b]0;owned\\x07" in out  # the id shown, escaped
