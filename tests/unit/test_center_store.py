"""What only a center's PostgreSQL store has to prove: a lost connection mid-call, an event
sent again after a lost reply, credentials kept out of addresses, a least-privilege role,
copying a console's records in, and the `records` commands reading the center."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import psycopg
import pytest

from tests.conftest import known
from tests.postgres_server import Server
from trafficking_triage.cli import main
from trafficking_triage.console import CallSession, ConsoleOptions, open_session
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import RecordsError, SqliteStore
from trafficking_triage.records.api import RecordsUnwritable
from trafficking_triage.records.postgres import MIGRATIONS as PG_MIGRATIONS
from trafficking_triage.records.postgres import PostgresStore, describe
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.records.store import MIGRATIONS, SCHEMA_VERSION
from trafficking_triage.records.where import open_store

ROOT = Path(__file__).resolve().parents[2]


def console_on(center: str, tmp_path: Path) -> CallSession:
    """A console's session on the center's store, with a data directory of its own."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    return open_session(ConsoleOptions(data_dir=data, store=center))


def start(loaded: LoadedProtocol, console: str = "c1") -> Call:
    return Call.start(loaded.protocol, loaded.sha256, console=console, dispatcher="d1")


def test_both_stores_have_the_same_schema_version_and_columns(center: str) -> None:
    assert len(MIGRATIONS) == len(PG_MIGRATIONS) == SCHEMA_VERSION

    def columns(sql: str) -> dict[str, list[str]]:
        tables = re.findall(r"CREATE TABLE (\w+) \((.*?)\n    \);", sql, flags=re.S)
        return {
            name: [line.split()[0] for line in body.strip().splitlines() if "KEY (" not in line]
            for name, body in tables
        }

    assert columns(MIGRATIONS[0]) == columns(PG_MIGRATIONS[0])
    store = PostgresStore(center)
    store.close()
    with psycopg.connect(center) as db:
        db.execute("UPDATE trafficking_triage_schema SET version = 99")
    with pytest.raises(RecordsError, match="newer version of this program"):
        PostgresStore(center)


def test_an_event_sent_again_after_a_lost_reply_is_written_once(
    center: str, shipped: LoadedProtocol
) -> None:
    store = PostgresStore(center)
    call = start(shipped)
    said: list[str] = []
    recorder = Recorder(store, call, on_trouble=said.append)
    call.answer("Main St")
    # The commit went through but its reply was lost: the recorder sends the event again.
    store._next[known(recorder.call_id)] -= 1
    store.append(known(recorder.call_id), call.events[-1], call)
    assert len(store.events(known(recorder.call_id))) == 2
    # Another event at a number already taken is another console writing this call: refused.
    store._next[known(recorder.call_id)] -= 1
    call.answer("yes")
    assert not recorder.saved and recorder.troubled
    assert "a second console is writing this call" in said[-1]
    assert [e.kind for e in store.events(known(recorder.call_id))].count("question_answered") == 1
    store.close()


def test_a_server_gone_mid_call_says_not_saved_and_writes_everything_once_back(
    postgres: Server, center: str, tmp_path: Path
) -> None:
    session = console_on(center, tmp_path)
    session.start()
    session.answer("Main St")
    assert session.recorder is not None and session.records_trouble is None
    call_id = session.recorder.call_id
    postgres.stop()
    try:
        session.answer("yes")
        session.answer("no")
        assert session.records_trouble == (
            "the center's database cannot be reached (No such file or directory)"
        )
        assert session.unsaved_events() == 2  # kept in memory: NOT SAVED on screen
    finally:
        postgres.start()
    session.answer("no")  # the next action writes everything still pending
    assert session.records_trouble is None and session.unsaved_events() == 0
    call = session.call
    assert call is not None
    stored = PostgresStore(center, read_only=True)
    assert [e.model_dump_json() for e in stored.events(known(call_id))] == [
        e.model_dump_json() for e in call.events
    ]
    assert stored.unfinished() == []  # its lock was taken again with the new connection
    stored.close()
    session.end_console()


def test_a_password_in_the_address_is_refused_and_never_repeated(center: str) -> None:
    secret = center.replace("triage@", "triage:hunter2@")
    with pytest.raises(RecordsError) as refused:
        PostgresStore(secret)
    assert "hunter2" not in str(refused.value) and "PGPASSFILE" in str(refused.value)
    assert "hunter2" not in describe(secret)
    assert describe(center).startswith("PostgreSQL database t")


def test_an_unreachable_server_says_so_without_the_address(tmp_path: Path) -> None:
    address = f"postgresql://nobody@/db?host={tmp_path}&connect_timeout=1"
    with pytest.raises(RecordsError) as refused:
        PostgresStore(address)
    said = str(refused.value)
    assert said.endswith("cannot be reached (No such file or directory)"), said
    assert "nobody" not in said


CONNECT = "cannot connect to the center's database: "


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (("triage@", "nobody@"), CONNECT + 'role "nobody" does not exist'),
        (("?host", "x?host"), CONNECT + 'database "t'),
        (
            ("?host", "?sslmode=bogus&host"),
            CONNECT + 'invalid sslmode value: "bogus"',
        ),
    ],
)
def test_a_server_that_refuses_says_why(center: str, change: tuple[str, str], said: str) -> None:
    """Not "cannot be reached" for a wrong role, database or setting: IT would look for a
    network fault that is not there."""
    with pytest.raises(RecordsUnwritable) as refused:
        PostgresStore(center.replace(*change))
    assert said in str(refused.value) and "cannot be reached" not in str(refused.value)
    assert str(refused.value).startswith("PostgreSQL database t")


def make_readme_roles(center: str) -> None:
    """The README's roles, as `store setup` makes them (roles are the server's, made once for
    every test database; grants are each database's)."""
    from trafficking_triage.records.postgres.setup import grants

    with psycopg.connect(center, autocommit=True) as db:
        for statement in grants(["north", "south", "east"]):
            db.execute(statement)


def test_the_readme_roles_insert_and_read_and_delete_nothing(
    center: str, shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    make_readme_roles(center)
    console = center.replace("//triage@", "//triage_north@")
    review = center.replace("//triage@", "//triage_review@")
    store = open_store(console, tmp_path)  # as a console opens it
    call = start(shipped)
    recorder = Recorder(store, call)
    call.answer("Main St")
    call.escalate()
    call.close("completed")
    assert store.row(known(recorder.call_id)).status == "completed"
    assert store.row(known(recorder.call_id)).route == "officer"
    for role in (console, review):
        for sql in ("DELETE FROM events", "DELETE FROM calls", "UPDATE events SET body = ''"):
            with psycopg.connect(role) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute(sql)
        with psycopg.connect(role) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
            db.execute("CREATE TABLE mine (x int)")
    with psycopg.connect(review) as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute("INSERT INTO calls (id) VALUES ('X')")
    # A console may close its calls, and no more: a closed call is never made to look open
    # (an orphan to take) nor given another route in the center's list.
    for sql in (
        "UPDATE calls SET status = 'open'",
        "UPDATE calls SET status = 'interrupted'",
        "UPDATE calls SET route = 'hotline'",
        "UPDATE calls SET ended_at = now()",
    ):
        with (
            psycopg.connect(console) as db,
            pytest.raises(psycopg.errors.IntegrityConstraintViolation, match="is closed"),
        ):
            db.execute(sql)
    assert main(["records", "list", "--store", review, "--data-dir", str(tmp_path)]) == 0
    assert known(recorder.call_id) in capsys.readouterr().out
    # A console started as the supervisors' role is told so, and offered no call to resume.
    with pytest.raises(RecordsError, match="role triage_review may only read the calls"):
        PostgresStore(review)
    reading = open_session(ConsoleOptions(data_dir=tmp_path, store=review))
    assert reading.records_trouble is not None and "may only read" in reading.records_trouble
    assert reading.unfinished() is None
    reading.end_console()
    # The console role copies a console's own records in.
    local = SqliteStore(tmp_path / "local")
    Recorder(local, start(shipped)).call.close("abandoned")
    local.close()
    copy = ["store", "copy", "--data-dir", str(tmp_path / "local"), "--to", console]
    assert main(copy) == 0
    assert capsys.readouterr().out.startswith("copied 2 events of 1 call ")
    store.close()
    with psycopg.connect(center, autocommit=True) as db:
        db.execute("DROP TABLE events, calls, trafficking_triage_schema")
    with pytest.raises(RecordsError, match="owner runs `trafficking-triage store init` once"):
        PostgresStore(console)
    # A console opens all the same, says why it cannot save, and keeps the call in memory.
    opened = open_session(ConsoleOptions(data_dir=tmp_path, store=console))
    assert opened.records_trouble is not None and "store init" in opened.records_trouble
    opened.start()
    assert opened.answer("Main St") is None and opened.unsaved_events() == 2
    opened.end_console()


def test_store_copy_brings_a_consoles_records_in_once(
    center: str, shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    local = SqliteStore(tmp_path)
    ids: list[str] = []
    for n in range(3):
        call = start(shipped, console=f"c{n}")
        recorder = Recorder(local, call)
        call.answer(f"Street {n}")
        if n == 0:
            call.escalate()  # routed: the center lists it by its route too
        if n < 2:
            call.close("completed")
        ids.append(known(recorder.call_id))
        recorder.release()
    training = Call.start(shipped.protocol, shipped.sha256, training=True)
    Recorder(local, training).call.answer("a training call stays here")
    base = ["store", "copy", "--data-dir", str(tmp_path), "--to", center]
    assert main(base) == 0
    assert capsys.readouterr().out.startswith("copied 12 events of 3 calls")  # 7 + 3 + 2
    center_rows = {row.id: row for row in PostgresStore(center, read_only=True).rows()}
    for row in local.rows():
        there = center_rows[row.id]
        assert (there.route, there.status, there.ended_at) == (row.route, row.status, row.ended_at)
    assert center_rows[ids[0]].route == "officer"
    # The console's store knows when it took each event; a copy does not say it of the center.
    assert all(saved is not None for _, saved in local.written_times(ids[0]))
    copied = PostgresStore(center, read_only=True).written_times(ids[0])
    assert len(copied) == 7 and all(saved is None for _, saved in copied)
    assert main(base) == 0
    assert capsys.readouterr().out.startswith("copied 0 events of 0 calls")  # nothing twice
    nowhere = tmp_path / "kept-nothing"
    assert main([*base[:3], str(nowhere), *base[4:]]) == 0  # a console that kept no records
    assert capsys.readouterr().out == f"nothing to copy: no call records in {nowhere}\n"
    assert main([*base[:5], f"sqlite://{nowhere}"]) == 2  # into another embedded store: no
    assert not nowhere.exists()
    # The open call went on at its console; the next copy brings only what is new.
    resumed = Call(shipped.protocol, local.events(ids[2]))
    local.hold(ids[2])
    Recorder(local, resumed, ids[2]).call.answer("yes")
    assert main(base) == 0  # its console still holds it: left for the next copy
    assert capsys.readouterr().out.endswith(
        "left 1 call a running console holds: copy again once it is closed\n"
    )
    local.release(ids[2])
    assert main(base) == 0
    assert capsys.readouterr().out.startswith("copied 1 event of 1 call")
    # A call the center closed (an orphan closed as interrupted there) is never opened again.
    center_side = PostgresStore(center)
    assert center_side.hold(ids[2])
    center_side.close_as(ids[2], "interrupted", None, at=resumed.events[-1].at)
    center_side.close()
    assert main(base) == 0
    assert PostgresStore(center, read_only=True).row(ids[2]).status == "interrupted"
    capsys.readouterr()
    center_store = PostgresStore(center, read_only=True)
    for call_id in ids:  # every event as the console wrote it (the center closed one more)
        here = [e.model_dump_json() for e in local.events(known(call_id))]
        assert [e.model_dump_json() for e in center_store.events(known(call_id))][
            : len(here)
        ] == here
    assert center_store.rows(training=None) == center_store.rows()  # no training call came
    center_store.close()
    local.close()


def test_records_read_a_whole_center(
    center: str,
    shipped: LoadedProtocol,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = PostgresStore(center)
    for console, dispatcher in (("north", "D-1"), ("south", "D-2"), ("south", "D-3")):
        call = Call.start(shipped.protocol, shipped.sha256, console=console, dispatcher=dispatcher)
        Recorder(store, call)
        call.answer("Main St")
        call.close("completed")
    store.close()
    base = ["records", "list", "--store", center, "--data-dir", str(tmp_path)]
    assert main(base) == 0
    out = capsys.readouterr().out.splitlines()
    heading = ["ID", "STARTED", "ROUTE", "STATUS", "CONSOLE", "DISPATCHER", "INCIDENT", "WHERE"]
    assert out[0].split() == heading
    assert len(out) == 4 and out[1].split()[-5:] == ["south", "D-3", "-", "Main", "St"]
    assert main([*base, "--console", "south", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)["calls"]
    assert sorted(c["dispatcher"] for c in listed) == ["D-2", "D-3"]
    assert main([*base, "--dispatcher", "D-1", "--json"]) == 0
    [one] = json.loads(capsys.readouterr().out)["calls"]
    assert one["console"] == "north"
    for action in (["show"], ["export", "--format", "json"], ["replay"], ["review"]):
        assert main(["records", *action, one["id"], "--store", center]) == 0, action
    capsys.readouterr()
    # Named by the environment (or the settings), the center is read; a data directory
    # named alone is read instead.
    monkeypatch.setenv("TRAFFICKING_TRIAGE_STORE", center)
    assert main(["records", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["calls"]) == 3
    SqliteStore(tmp_path).close()
    assert main(["records", "list", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == "no calls recorded\n"


def test_a_dropped_connection_is_made_again_unseen_and_the_call_held_again(
    center: str, shipped: LoadedProtocol
) -> None:
    """An idle timeout, a restarted proxy: the server ends the console's connection between
    two answers. The next answer is written on a new connection, with no NOT SAVED, and the
    call's lock is taken again first, so no other console is offered it."""
    store = PostgresStore(center)
    call = start(shipped)
    said: list[str] = []
    recorder = Recorder(store, call, on_trouble=said.append)
    call.answer("Main St")
    with psycopg.connect(center, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'trafficking-triage'"
        )
    call.answer("yes")
    assert said == [] and recorder.saved
    other = PostgresStore(center)
    assert other.unfinished() == [] and not other.hold(known(recorder.call_id))
    assert len(other.events(known(recorder.call_id))) == 3
    other.close()
    store.close()


def test_a_call_begun_again_after_a_lost_reply_keeps_its_id_and_is_written_once(
    center: str, shipped: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = PostgresStore(center)
    call = start(shipped)
    call.answer("Main St")
    real = PostgresStore._run
    lost = [True]

    def commit_then_lose_the_reply(self: PostgresStore, work: Any) -> Any:
        done = real(self, work)  # committed on the server
        if lost and work.__name__ == "write":
            lost.clear()
            raise RecordsUnwritable("the center's database cannot be reached", "no reply")
        return done

    monkeypatch.setattr(PostgresStore, "_run", commit_then_lose_the_reply)
    with pytest.raises(RecordsError):
        store.begin(call)  # no reply: the console does not know whether it was written
    assert len(store.rows()) == 1  # it was
    call_id = store.begin(call)  # sent again
    assert [row.id for row in store.rows()] == [call_id]
    assert len(store.events(call_id)) == 2
    store.close()


def test_a_call_taken_by_another_console_while_the_connection_was_down_is_said(
    center: str, shipped: LoadedProtocol
) -> None:
    """A console holding two calls loses its session; before it reconnects, another console
    takes one of them as an orphan. Writing to that one is refused and said; the other is
    held again and written; nothing is written twice or under two consoles."""
    first = PostgresStore(center)
    said: list[str] = []
    a, b = start(shipped), start(shipped, console="c1-second")
    kept = Recorder(first, a, on_trouble=said.append)
    lost = Recorder(first, b, on_trouble=said.append)
    a.answer("Main St")
    b.answer("Elm St")
    with psycopg.connect(center, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'trafficking-triage'"
        )
    other = PostgresStore(center)
    assert other.hold(known(lost.call_id))  # its lock went with the session: an orphan now
    b.answer("yes")  # the first console reconnects: b is another console's now
    assert said and f"call {lost.call_id} was taken by another console" in said[-1]
    assert not first.is_holding(known(lost.call_id)) and first.is_holding(known(kept.call_id))
    a.answer("yes")  # a is still this console's
    assert kept.saved and not other.hold(known(kept.call_id))
    assert [e.kind for e in other.events(known(lost.call_id))].count("question_answered") == 1
    assert [e.kind for e in other.events(known(kept.call_id))].count("question_answered") == 2
    other.close()
    first.close()


def test_calls_taken_while_the_server_was_down_are_all_written_once_it_is_back(
    postgres: Server, center: str, tmp_path: Path
) -> None:
    """The database is out of reach before a call is even begun in it; the dispatcher takes
    that call to its end and starts the next. Quitting then would lose them, so it asks; once
    the server answers, both calls are written whole."""
    session = console_on(center, tmp_path)
    postgres.stop()
    try:
        first = session.start()
        session.answer("Main St")
        session.escalate()
        assert session.close_call() is None
        second = session.start()
        session.answer("Elm St")
        assert session.records_trouble == (
            "the center's database cannot be reached (No such file or directory)"
        )
        assert session.unsaved_events() == len(first.events) + len(second.events)
        question = session.quit_question()
        assert question is not None and "not saved" in question[0]
    finally:
        postgres.start()
    session.answer("yes")
    assert session.records_trouble is None and session.unsaved_events() == 0
    stored = PostgresStore(center, read_only=True)
    rows = {row.status: row for row in stored.rows()}
    assert set(rows) == {"completed", "open"}
    for call, status in ((first, "completed"), (second, "open")):
        assert [e.model_dump_json() for e in stored.events(rows[status].id)] == [
            e.model_dump_json() for e in call.events
        ]
    stored.close()
    session.end_console()


def test_a_database_that_does_not_answer_says_not_saved_and_holds_no_key_for_long(
    center: str, shipped: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Someone holds the events table locked (a long report, a maintenance job): the write
    is given up after the statement timeout, NOT SAVED is said, the next keys do not wait
    again while the store is paused, and everything is written once it answers."""
    import time

    store = PostgresStore(center)
    call = start(shipped)
    said: list[str] = []
    recorder = Recorder(store, call, on_trouble=said.append)
    with psycopg.connect(center) as blocker:
        blocker.execute("LOCK TABLE events IN ACCESS EXCLUSIVE MODE")
        call.answer("Main St")
        assert said and "did not answer within 2 s" in said[-1] and not recorder.saved
        tries: list[object] = []
        real = PostgresStore._try

        def counted(store: PostgresStore, work: object) -> object:
            tries.append(work)
            return real(store, work)

        monkeypatch.setattr(PostgresStore, "_try", counted)
        call.answer("yes")  # paused: not tried, so no second wait
        assert tries == [] and not recorder.saved
    assert store._paused_until > time.monotonic()
    store._paused_until = 0.0  # the pause over
    call.answer("no")
    assert recorder.saved and tries
    assert len(PostgresStore(center, read_only=True).events(recorder.call_id)) == 4
    store.close()


def test_a_connection_dropped_on_this_side_only_gets_its_calls_back(
    postgres: Server, center: str, shipped: LoadedProtocol
) -> None:
    """Wi-Fi or a VPN drops: the console's side of the connection is gone, but the server
    still has its session, holding the console's call. The console connects again, ends its
    own old session and holds its call again: no NOT SAVED, no call lost to nobody."""
    from tests.postgres_server import HalfOpenProxy

    with psycopg.connect(center, autocommit=True) as db:  # a console's role, no more
        db.execute(
            "CREATE ROLE triage_wifi LOGIN;"
            " GRANT SELECT, INSERT ON calls, events TO triage_wifi;"
            " GRANT UPDATE (status, ended_at, route, incident, place, holder, holder_console,"
            " renewed_at) ON calls TO triage_wifi;"
            " GRANT SELECT ON trafficking_triage_schema TO triage_wifi"
        )
    proxy = HalfOpenProxy(str(postgres.socket))
    try:
        store = PostgresStore(proxy.address(center).replace("//triage@", "//triage_wifi@"))
        call = start(shipped)
        said: list[str] = []
        recorder = Recorder(store, call, on_trouble=said.append)
        call.answer("Main St")
        old_pid = store.db.info.backend_pid
        proxy.drop()
        with psycopg.connect(center) as db:  # the server still has it, holding the call
            (alive,) = db.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE pid = %s", (old_pid,)
            ).fetchone() or (0,)
            assert alive == 1
        call.answer("yes")
        assert said == [] and recorder.saved and store.db.info.backend_pid != old_pid
        other = PostgresStore(center)
        assert not other.hold(known(recorder.call_id)) and other.unfinished() == []
        assert len(other.events(known(recorder.call_id))) == 3
        other.close()
        store.close()
    finally:
        proxy.close()


def test_a_restarted_server_is_found_between_answers_and_the_call_held_again(
    postgres: Server, center: str, tmp_path: Path
) -> None:
    """The console's timer (`keep_alive`) finds the restart while the dispatcher listens, and
    holds the call again at once: a console opened after the restart is not offered it. A
    server down at that moment is said (NOT SAVED) and the call is written once it is back,
    with no key pressed."""
    session = console_on(center, tmp_path)
    session.start()
    session.answer("Main St")
    assert session.recorder is not None
    call_id = session.recorder.call_id
    postgres.stop()
    postgres.start()
    session.keep_alive()
    assert session.records_trouble is None
    other = PostgresStore(center)
    assert other.unfinished() == [] and not other.hold(known(call_id))
    other.close()
    postgres.stop()
    try:
        session.keep_alive()
        assert session.records_trouble is not None
        assert session.records_trouble.startswith("the center's database cannot be reached")
        session.answer("yes")  # kept in memory
        assert session.unsaved_events() == 1
    finally:
        postgres.start()
    session.keep_alive()
    assert session.records_trouble is None and session.unsaved_events() == 0
    other = PostgresStore(center)
    assert other.unfinished() == [] and not other.hold(call_id)
    assert len(other.events(call_id)) == 3
    other.close()
    session.end_console()


def test_a_call_lost_to_another_console_is_never_said_to_be_saved_again(
    center: str, tmp_path: Path
) -> None:
    """The timer finds the call was taken while the connection was down: NOT SAVED stays,
    however often the store answers afterwards."""
    session = console_on(center, tmp_path)
    session.start()
    session.answer("Main St")
    assert session.recorder is not None
    call_id = session.recorder.call_id
    with psycopg.connect(center, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'trafficking-triage'"
        )
    other = PostgresStore(center)
    assert other.hold(known(call_id))
    for _tick in range(3):
        session.keep_alive()
        assert session.records_trouble is not None
        assert "taken by another console" in session.records_trouble
    other.close()
    session.end_console()


def test_an_offered_call_stays_this_consoles_through_a_restart(
    postgres: Server, center: str, shipped: LoadedProtocol, tmp_path: Path
) -> None:
    """The server restarts while the dispatcher reads the offer of an unfinished call: the
    timer holds it again, so a console opened after the restart is not offered it too."""
    first = PostgresStore(center)
    orphan = Recorder(first, start(shipped))
    orphan.call.answer("Main St")
    first.close()  # its console gone: an orphan
    session = console_on(center, tmp_path)
    found = session.unfinished()
    assert found is not None and found.row.id == orphan.call_id
    postgres.stop()
    postgres.start()
    session.keep_alive()
    other = PostgresStore(center)
    assert other.unfinished() == [] and not other.hold(orphan.call_id)
    other.close()
    assert session.resume(found) is None
    session.end_console()


def test_a_center_of_schema_1_is_brought_to_2_keeping_every_row(postgres: Server) -> None:
    """`store init` over a center's database of version 1.0, one row of it not JSON: every
    row is kept, the one that is not JSON with its text under "unreadable", and read."""
    from trafficking_triage.records.postgres import MIGRATIONS as PG

    address = postgres.database("schema_one")
    with psycopg.connect(address, autocommit=True) as db:
        db.execute(PG[0])
        db.execute("CREATE TABLE trafficking_triage_schema (version INTEGER NOT NULL)")
        db.execute("INSERT INTO trafficking_triage_schema VALUES (1)")
        for call_id, context, status in (
            ("261101-AAAA", "{not json", "open"),
            ("261101-CCCC", '{"location": "12 Main St"}', "completed"),
        ):
            db.execute(
                "INSERT INTO calls (id, started_at, context, protocol_id, protocol_version,"
                " protocol_sha256, status) VALUES (%s, now(), %s, 'p', '1', %s, %s)",
                (call_id, context, "0" * 64, status),
            )
    PostgresStore(address, migrate=True).close()
    store = PostgresStore(address, read_only=True)
    rows = {row.id: row for row in store.rows(training=None)}
    assert store.anomalies == []
    assert rows["261101-AAAA"].context == {"unreadable": "{not json"}
    assert rows["261101-CCCC"].context == {"location": "12 Main St"}
    assert rows["261101-CCCC"].status == "completed"
    store.close()
