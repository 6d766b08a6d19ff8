"""The record store: durable, private, shared safely between consoles, and honest when broken."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pytest

from tests.conftest import disk_full, known
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import RecordsError, SqliteStore
from trafficking_triage.records.recorder import Recorder

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def start(loaded: LoadedProtocol, **context: str) -> Call:
    return Call.start(
        loaded.protocol, loaded.sha256, console="c1", dispatcher="d1", context=context
    )


def test_every_event_is_stored_as_it_happens(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = SqliteStore(tmp_path / "data")
    call = start(shipped, incident="INC-1")
    recorder = Recorder(store, call)
    call.answer("Main St")
    call.answer("no")
    # A second connection (another process, in effect) sees every event already.
    other = SqliteStore(tmp_path / "data")
    events = other.events(known(recorder.call_id))
    assert [e.kind for e in events] == ["call_started", "question_answered", "question_answered"]
    row = other.row(known(recorder.call_id))
    assert row.status == "open" and row.console == "c1" and row.context == {"incident": "INC-1"}
    assert row.protocol_sha256 == shipped.sha256
    assert Call(shipped.protocol, events).state == call.state


def test_files_are_private(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = SqliteStore(tmp_path / "data")
    Recorder(store, start(shipped)).call.answer("x")
    assert mode(tmp_path / "data") == 0o700
    for name in ("calls.sqlite3", "calls.sqlite3-wal", "calls.sqlite3-shm"):
        path = tmp_path / "data" / name
        if path.exists():
            assert mode(path) == 0o600, name


def test_call_ids_are_readable_and_unique(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = SqliteStore(tmp_path)
    ids = {Recorder(store, start(shipped)).call_id for _ in range(50)}
    assert len(ids) == 50
    for call_id in ids:
        date, _, suffix = known(call_id).partition("-")
        assert date.isdigit() and len(date) == 6
        assert len(suffix) == 4 and not set(suffix) & set("0O1IL5S8B")


def test_a_newer_schema_is_refused_and_left_untouched(tmp_path: Path) -> None:
    SqliteStore(tmp_path).close()
    db = tmp_path / "calls.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA user_version = 99")
    before = db.read_bytes()
    with pytest.raises(RecordsError, match="written by a newer version"):
        SqliteStore(tmp_path)
    assert db.read_bytes() == before


def test_a_corrupt_file_gets_a_message_and_is_not_overwritten(tmp_path: Path) -> None:
    db = tmp_path / "calls.sqlite3"
    db.write_bytes(b"this is not a database, but it may be someone's only copy" * 100)
    before = db.read_bytes()
    with pytest.raises(RecordsError, match=r"are damaged .* left untouched"):
        SqliteStore(tmp_path)
    assert db.read_bytes() == before


def test_an_unwritable_directory_is_a_clear_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        target = Path("/proc/trafficking-triage-test")  # not even root can write here
    else:
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        target = locked / "data"
    with pytest.raises(RecordsError, match="cannot be written"):
        SqliteStore(target)


def test_a_full_disk_keeps_the_call_in_memory_and_recovers(
    tmp_path: Path, shipped: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStore(tmp_path)
    call = start(shipped)
    troubles: list[str] = []
    recovered: list[bool] = []
    recorder = Recorder(
        store, call, on_trouble=troubles.append, on_recovered=lambda: recovered.append(True)
    )
    real_append = store.append

    def full(*args: object, **kwargs: object) -> None:
        raise disk_full()

    monkeypatch.setattr(store, "append", full)
    call.answer("Main St")
    call.answer("yes")
    assert troubles == ["the disk is full", "the disk is full"]
    assert not recorder.saved and len(recorder.pending) == 2
    assert [g.question for g in call.state.answers] == ["location", "can_speak_freely"]
    monkeypatch.setattr(store, "append", real_append)
    call.answer("no")
    assert recorder.saved and recovered == [True]
    assert len(store.events(recorder.call_id)) == len(call.events)


def test_unfinished_calls_are_those_no_running_console_holds(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    mine = SqliteStore(tmp_path)
    live = Recorder(mine, start(shipped))
    crashed = Recorder(mine, start(shipped))
    crashed.release()  # as if its process had died: the lock is gone, the call still open
    closed = Recorder(mine, start(shipped))
    closed.call.close()
    closed.release()
    other = SqliteStore(tmp_path)
    assert [row.id for row in other.unfinished()] == [crashed.call_id]
    assert live.call_id not in [row.id for row in other.unfinished()]


KILLED_CALL = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder
    loaded = load_protocol()
    store = SqliteStore(Path(sys.argv[1]))
    call = Call.start(loaded.protocol, loaded.sha256)
    recorder = Recorder(store, call)
    for value in ["Motel on Route 9", "no", "no", "no", "no", "no", "no", "yes", "no", "no"]:
        call.answer(value)
    for value in ["no", "no"]:
        call.answer(value)
    print(recorder.call_id, flush=True)
    time.sleep(60)
    """
)


def test_a_killed_process_leaves_a_call_that_resumes_with_every_answer(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_CALL, str(tmp_path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    call_id = process.stdout.readline().strip()
    process.kill()  # SIGKILL: no cleanup of any kind
    process.wait()
    store = SqliteStore(tmp_path)
    [row] = store.unfinished()
    assert row.id == call_id
    call = Call(shipped.protocol, store.events(call_id))
    assert [g.answer or g.value for g in call.state.answers] == [
        "Motel on Route 9",
        *["no", "no", "no", "no", "no", "no"],  # cannot talk freely; no danger, held, callback
        "victim_inside",  # asked as yes/no: "yes"
        *["no", "no", "no", "no"],  # no minor, no boss near, not free, no ID
    ]
    assert call.state.prompt is not None and call.state.prompt.question == "threats"
    assert call.yes_no_only()


FOUR_CONSOLES = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder
    loaded = load_protocol()
    store = SqliteStore(Path(sys.argv[1]))
    call = Call.start(loaded.protocol, loaded.sha256, console=sys.argv[2])
    recorder = Recorder(store, call)
    for n in range(200):
        call.note(f"{sys.argv[2]} note {n}")
    call.close()
    print(recorder.call_id)
    """
)


def test_four_consoles_appending_at_once_lose_and_mix_nothing(tmp_path: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", FOUR_CONSOLES, str(tmp_path), f"console{n}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0, 0, 0], [err for _, err in outputs]
    ids = [out.strip() for out, _ in outputs]
    store = SqliteStore(tmp_path)
    for n, call_id in enumerate(ids):
        events = store.events(call_id)
        notes = [e.text for e in events if e.kind == "note_added"]
        assert notes == [f"console{n} note {i}" for i in range(200)]
        assert store.row(call_id).status == "completed"


def test_consoles_opening_a_new_directory_together_all_open_it(tmp_path: Path) -> None:
    """Consoles started at the same moment on a new directory: one makes the tables while the
    others look. None may take the half-made file for a foreign database, or give up on the
    switch to WAL, which SQLite refuses at once, without waiting, while another makes it."""
    refused: list[str] = []

    def open_store(directory: Path, ready: threading.Barrier) -> None:
        ready.wait()
        try:
            SqliteStore(directory).close()
        except RecordsError as error:
            refused.append(str(error))

    for n in range(40):
        directory = tmp_path / f"new{n}"
        ready = threading.Barrier(8)
        threads = [threading.Thread(target=open_store, args=(directory, ready)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert refused == []


def test_json_events_round_trip(tmp_path: Path, shipped: LoadedProtocol) -> None:
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, start(shipped))
    recorder.call.answer("\x1b[31mred\x1b[0m 🚨 שלום")
    body = store.db.execute("SELECT body FROM events WHERE seq = 1").fetchone()[0]
    assert json.loads(body)["value"] == "\x1b[31mred\x1b[0m 🚨 שלום"
