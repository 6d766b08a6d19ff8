"""The records on a bad day: a write that fails at its commit, a damaged page, a disk that
cannot be written as the console opens, files others can reach, links planted where a file
should be. Each: nothing lost, nothing overwritten, and a message instead of a traceback."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import disk_full, known
from trafficking_triage.cli import main
from trafficking_triage.console import CallSession, ConsoleOptions, open_session
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import RecordsError, SqliteStore
from trafficking_triage.records.api import RecordsDamaged, RecordsUnwritable
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.records.store import SCHEMA_VERSION


class FailingCommit:
    """The store's connection, with its next COMMIT failing as on a full disk."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.fail = True

    def execute(self, sql: str, *args: Any) -> Any:
        if sql == "COMMIT" and self.fail:
            self.fail = False
            raise sqlite3.OperationalError("database or disk is full")
        return self.db.execute(sql, *args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.db, name)


def test_a_failed_commit_leaves_no_gap_in_the_event_numbers(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    recorder.call.answer("Main St")
    real = store.db
    store.db = FailingCommit(real)  # type: ignore[assignment]
    recorder.call.answer("no")  # its commit fails: kept in memory, not saved
    assert not recorder.saved
    recorder.call.answer("no")  # writes both
    assert recorder.saved
    store.db = real
    seqs = [row[0] for row in real.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(len(recorder.call.events))) == [0, 1, 2, 3]


def damaged_store(directory: Path, shipped: LoadedProtocol, calls: int = 40) -> Path:
    """A records file with many calls and garbage written over a page in its middle."""
    store = SqliteStore(directory)
    for _ in range(calls):
        recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
        for value in ["Main St " * 40, "no", "no", "no"]:
            recorder.call.answer(value)
        recorder.release()
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    path = directory / "calls.sqlite3"
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.seek((size // 4096 // 2) * 4096 + 100)
        handle.write(b"\xde\xad\xbe\xef" * 200)
    return path


def test_a_damaged_page_is_found_as_the_store_opens_and_the_file_left_alone(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    path = damaged_store(tmp_path, shipped)
    before = path.read_bytes()
    with pytest.raises(RecordsDamaged, match=r"are damaged \(SQLite's check found .* untouched"):
        SqliteStore(tmp_path)
    # The commands that only read never read the whole file first: each says the damage
    # as it reads a damaged page (never a traceback), and shows what it can read.
    ids = [row[0] for row in sqlite3.connect(path).execute("SELECT id FROM calls")]
    said = []
    for command in (["list", "--all"], *(["show", call_id] for call_id in ids)):
        code = main(["--data-dir", str(tmp_path), "records", *command])
        err = capsys.readouterr().err
        assert "Traceback" not in err
        assert code == 0 or "are damaged" in err, (command, err)
        said.append("are damaged" in err)
    assert any(said)  # the damaged page holds some call's events
    assert path.read_bytes() == before


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Each time a store reads its whole file (SQLite's quick check), the file."""
    found: list[Path] = []
    real = SqliteStore._check_pages

    def counted(self: SqliteStore) -> None:
        found.append(self.path)
        real(self)

    monkeypatch.setattr(SqliteStore, "_check_pages", counted)
    return found


def test_the_whole_file_is_checked_only_when_it_may_have_changed(
    tmp_path: Path, shipped: LoadedProtocol, checks: list[Path]
) -> None:
    store = SqliteStore(tmp_path)  # a new file: checked
    Recorder(store, Call.start(shipped.protocol, shipped.sha256)).release()
    store.close()  # a clean close: remembered as checked
    assert len(checks) == 1
    SqliteStore(tmp_path).close()  # as this program left it: not read whole again
    assert len(checks) == 1
    killed = SqliteStore(tmp_path)
    Recorder(killed, Call.start(shipped.protocol, shipped.sha256)).release()
    # (never closed: the console was killed with its writes in the log)
    SqliteStore(tmp_path).close()
    assert len(checks) == 2
    killed.db.close()
    other = sqlite3.connect(tmp_path / "calls.sqlite3")  # another program writes to it
    other.execute("VACUUM")  # the same calls, the file written again
    other.close()
    SqliteStore(tmp_path).close()
    assert len(checks) == 3
    # The commands that only read never check it, and leave nothing that makes a console
    # check it again (an empty log of their own).
    assert main(["--data-dir", str(tmp_path), "records", "list"]) == 0
    assert len(checks) == 3
    SqliteStore(tmp_path).close()
    assert len(checks) == 3


def test_reading_commands_change_nothing_in_the_data_directory(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    recorder.call.answer("Main St")
    recorder.release()
    store.close()
    db = tmp_path / "calls.sqlite3"
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    for command in (["list"], ["show", recorder.call_id], ["replay", recorder.call_id]):
        assert main(["--data-dir", str(tmp_path), "records", *command]) == 0
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before  # SQLite's side files aside
    assert known(recorder.call_id) in capsys.readouterr().out


@contextmanager
def unwritable_records(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Opening the records fails as on a full disk until the list holds True."""
    space = [False]
    real_init = SqliteStore.__init__

    def init(self: SqliteStore, directory: Path, **options: Any) -> None:
        if not space[0]:
            raise RecordsUnwritable("the disk is full", "the records cannot be written")
        real_init(self, directory, **options)

    monkeypatch.setattr(SqliteStore, "__init__", init)
    yield space


def test_the_console_opens_on_a_full_disk_and_writes_the_call_once_it_can(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with unwritable_records(monkeypatch) as space:
        session = open_session(ConsoleOptions(data_dir=tmp_path))
        assert session.records_trouble == "the disk is full" and session.store is None
        told: list[str] = []
        session.on_notice = lambda notice: told.append(notice.message)
        call = session.start()
        for value in ["Main St", "no"]:
            assert session.answer(value) is None
        assert session.recorder is None  # nothing can be written yet; the call goes on
        space[0] = True
        assert session.answer("no") is None
        assert session.records_trouble is None
        assert told[-1] == "Call records are being written again."
        assert session.recorder is not None
        stored = SqliteStore(tmp_path).events(session.recorder.call_id)
        assert [e.kind for e in stored] == [e.kind for e in call.events]  # the whole call
        assert len(stored) == 4


def begin_on_a_full_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[CallSession, Callable[[Call], str]]:
    """A console whose records cannot begin a call (the disk filled up after it opened);
    the store's own `begin`, to put back."""
    session = open_session(ConsoleOptions(data_dir=tmp_path))
    assert session.store is not None
    real_begin = session.store.begin

    def full(call: Call) -> str:
        raise disk_full()

    monkeypatch.setattr(session.store, "begin", full)
    return session, real_begin


def test_a_call_begun_while_its_first_write_fails_is_written_later(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, real_begin = begin_on_a_full_disk(tmp_path, monkeypatch)
    call = session.start()
    assert session.recorder is None and session.records_trouble is None  # nothing to keep yet
    session.answer("Main St")
    assert session.recorder is None and session.records_trouble == "the disk is full"
    monkeypatch.setattr(session.store, "begin", real_begin)
    session.answer("no")
    assert session.recorder is not None and session.records_trouble is None
    stored = SqliteStore(tmp_path).events(session.recorder.call_id)
    assert [e.kind for e in stored] == [e.kind for e in call.events]


@pytest.mark.parametrize(
    ("error", "cause"),
    [
        (OSError(28, "No space left on device"), "the disk is full"),
        (OSError(30, "Read-only file system"), "the disk is read-only"),
        (PermissionError(13, "Permission denied"), "writing there is not permitted"),
        (sqlite3.OperationalError("attempt to write a readonly database"), "read-only"),
        (sqlite3.OperationalError("database or disk is full"), "the disk is full"),
    ],
)
def test_the_message_names_the_real_cause(error: Exception, cause: str) -> None:
    from trafficking_triage.records.api import cause_of

    assert cause in cause_of(error)


@pytest.mark.parametrize(
    ("error", "raised", "said"),
    [
        (sqlite3.OperationalError("database or disk is full"), "RecordsUnwritable", "disk is full"),
        (sqlite3.OperationalError("database is locked"), "RecordsUnwritable", "held the records"),
        (OSError(28, "No space left on device"), "RecordsUnwritable", "disk is full"),
        (sqlite3.DatabaseError("database disk image is malformed"), "RecordsDamaged", "damaged"),
        (sqlite3.OperationalError("file is not a database"), "RecordsDamaged", "damaged"),
        (sqlite3.IntegrityError("call is closed"), "RecordsError", "refused the write"),
        (sqlite3.InterfaceError("bad parameter"), "RecordsError", "cannot be used"),
    ],
)
def test_a_stores_driver_errors_come_out_as_the_stores_own(
    tmp_path: Path, shipped: LoadedProtocol, error: Exception, raised: str, said: str
) -> None:
    """Whoever uses a store catches RecordsError alone: SQLite's and the system's errors
    never leave the store (records/api.py)."""
    from trafficking_triage.records import api

    store = SqliteStore(tmp_path)
    call = Call.start(shipped.protocol, shipped.sha256)
    call.answer("Main St")
    call_id = store.begin(call)

    def fails(*_args: object) -> None:
        raise error

    store._insert_event = fails  # type: ignore[method-assign,assignment]
    with pytest.raises(api.RecordsError) as caught:
        store.append(call_id, call.events[-1], call)
    assert type(caught.value).__name__ == raised
    assert said in api.cause_of(caught.value) + str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__
    store.close()


def test_a_data_directory_others_can_write_is_refused_and_left_as_it_is(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    with pytest.raises(RecordsError, match="can be written by other users"):
        SqliteStore(shared)
    assert stat.S_IMODE(shared.stat().st_mode) == 0o1777
    assert list(shared.iterdir()) == []


def test_records_others_can_read_are_refused_and_left_as_they_are(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    SqliteStore(tmp_path).close()
    db = tmp_path / "calls.sqlite3"
    db.chmod(0o666)
    with pytest.raises(RecordsError, match="can be read or written by other users"):
        SqliteStore(tmp_path)
    assert stat.S_IMODE(db.stat().st_mode) == 0o666


def test_directories_made_for_the_records_are_private_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        SqliteStore(tmp_path / "home" / ".local" / "share" / "trafficking-triage").close()
    finally:
        os.umask(old)
    for made in (
        "home",
        "home/.local",
        "home/.local/share",
        "home/.local/share/trafficking-triage",
    ):
        assert stat.S_IMODE((tmp_path / made).stat().st_mode) == 0o700, made
    assert stat.S_IMODE((tmp_path / made / "calls.sqlite3").stat().st_mode) == 0o600


def test_a_link_where_the_records_file_should_be_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.db"
    (tmp_path / "data").mkdir(mode=0o700)
    (tmp_path / "data" / "calls.sqlite3").symlink_to(target)
    with pytest.raises(RecordsError, match="symbolic link"):
        SqliteStore(tmp_path / "data")
    assert not target.exists()


@pytest.mark.parametrize("where", ["missing/out.txt", "folder", "/proc/version", "link"])
def test_export_to_a_place_it_cannot_write_is_a_message(
    where: str, tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path / "data")
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    (tmp_path / "folder").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "victim.txt")
    output = Path(where) if where.startswith("/") else tmp_path / where
    args = ["--data-dir", str(tmp_path / "data"), "records", "export", known(recorder.call_id)]
    assert main([*args, "--output", str(output), "--force"]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"records export: cannot write {output}") and "Traceback" not in err
    assert not (tmp_path / "victim.txt").exists()


def test_export_never_replaces_a_file_unless_told(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path / "data")
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    kept = tmp_path / "kept.txt"
    kept.write_text("someone's notes")
    kept.chmod(0o600)
    args = ["--data-dir", str(tmp_path / "data"), "records", "export", known(recorder.call_id)]
    assert main([*args, "--output", str(kept)]) == 1
    assert "exists; not replaced" in capsys.readouterr().err
    assert kept.read_text() == "someone's notes"
    assert main([*args, "--output", str(kept), "--force"]) == 0
    assert kept.read_text().startswith("TRAFFICKING TRIAGE CALL")


def test_a_call_id_with_escapes_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SqliteStore(tmp_path).close()
    assert main(["--data-dir", str(tmp_path), "records", "show", "\x1b[2J\x1b]0;pwned\x07"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J" in err


def test_records_on_a_read_only_disk_are_read_all_the_same(
    tmp_path: Path, shipped: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Reading a WAL database needs side files SQLite cannot make on a read-only disk; the
    store then reads the file as one that cannot change."""
    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    recorder.release()
    store.close()
    real_connect = sqlite3.connect
    opened: list[str] = []

    def read_only_disk(target: str, *args: Any, **options: Any) -> sqlite3.Connection:
        opened.append(target)
        if "immutable=1" not in target:
            raise sqlite3.OperationalError("unable to open database file")
        connection: sqlite3.Connection = real_connect(target, *args, **options)
        return connection

    monkeypatch.setattr(sqlite3, "connect", read_only_disk)
    assert [row.id for row in SqliteStore(tmp_path, read_only=True).rows()] == [recorder.call_id]
    assert opened[-1].endswith("?mode=ro&immutable=1")


def test_a_record_written_on_after_its_close_is_shown_and_exported_whole(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    """As two consoles left a call before closing took its lock: one closed it as
    interrupted while the other kept answering."""
    from trafficking_triage.engine.events import QuestionAnswered

    store = SqliteStore(tmp_path)
    recorder = Recorder(store, Call.start(shipped.protocol, shipped.sha256))
    call = recorder.call
    call.answer("Motel 6")
    call.close("interrupted")
    late = QuestionAnswered(at=call.clock(), question="danger_now", answer="yes")
    with pytest.raises(
        RecordsError, match=r"refused the write: .*no event is added after its close"
    ):
        store.append(known(recorder.call_id), late, None)  # refused now
    store.db.execute("DROP TRIGGER no_event_after_close")  # as a file of version 1.0 could be
    store.append(known(recorder.call_id), late, None)
    recorder.release()
    data = ["--data-dir", str(tmp_path), "records"]
    assert main([*data, "show", known(recorder.call_id)]) == 0
    out = no_traceback_out(capsys)
    assert "Is anyone in danger right now? -> Yes" in out  # the late answer, shown
    assert "ANOMALY: the record goes on past what replays (event 4 of 4: the call is closed)" in out
    assert main([*data, "export", known(recorder.call_id), "--format", "json"]) == 0
    exported = json.loads(no_traceback_out(capsys))
    assert [e["kind"] for e in exported["events"]][-2:] == ["call_closed", "question_answered"]
    assert "event 4 of 4" in exported["anomaly"]
    assert main([*data, "export", known(recorder.call_id)]) == 0
    assert "ANOMALY: the record goes on past what replays" in no_traceback_out(capsys)
    assert main([*data, "replay", known(recorder.call_id)]) == 1
    assert "does not replay" in capsys.readouterr().err


def no_traceback_out(capsys: pytest.CaptureFixture[str]) -> str:
    said = capsys.readouterr()
    assert "Traceback" not in said.err
    return said.out


BUSY_CONSOLE = """
import sys
from pathlib import Path
from trafficking_triage.console import CallSession, ConsoleOptions, open_session
session = open_session(ConsoleOptions(data_dir=Path(sys.argv[1])))
for _ in range(int(sys.argv[2])):
    session.start()
    session.answer("Main St")
    session.escalate()
    session.close_call()
print(len(session.store.rows()), flush=True)
"""


def test_a_live_call_is_never_offered_to_another_console(tmp_path: Path) -> None:
    """One console takes calls one after another while another looks for unfinished calls
    all along: a call is locked before its row exists, and closed before it is let go."""
    import subprocess
    import sys

    SqliteStore(tmp_path).close()
    busy = subprocess.Popen(
        [sys.executable, "-c", BUSY_CONSOLE, str(tmp_path), "150"],
        stdout=subprocess.PIPE,
        text=True,
    )
    looking = SqliteStore(tmp_path)
    offered: set[str] = set()
    looks = 0
    while busy.poll() is None:
        offered |= {row.id for row in looking.unfinished()}
        looks += 1
    assert busy.stdout is not None and busy.stdout.read().strip() == "150"
    assert busy.returncode == 0
    assert looks > 10 and offered == set()


def test_a_call_closed_while_the_disk_is_full_is_written_once_it_can_be(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = open_session(ConsoleOptions(data_dir=tmp_path))
    call = session.start()
    session.answer("Motel")
    store = session.store
    assert store is not None and session.recorder is not None
    call_id = session.recorder.call_id
    real_append = store.append

    def full(*args: object, **kwargs: object) -> None:
        raise disk_full()

    monkeypatch.setattr(store, "append", full)
    session.answer("yes")
    session.escalate()
    session.close_call()
    assert session.unsaved_events() > 0
    question = session.quit_question()
    assert question is not None and "not saved" in question[0]  # quitting asks first
    monkeypatch.setattr(store, "append", real_append)
    session.start()  # the next call's first action writes the last one's events
    session.answer("Elm")
    assert session.unsaved_events() == 0 and session.records_trouble is None
    stored = SqliteStore(tmp_path).events(known(call_id))
    assert [e.kind for e in stored] == [e.kind for e in call.events]
    assert SqliteStore(tmp_path).row(known(call_id)).status == "completed"


def test_closing_a_call_taken_with_another_protocol_replays_nothing_and_keeps_its_route(
    tmp_path: Path, shipped: LoadedProtocol
) -> None:
    other = tmp_path / "other.yaml"
    text = (Path(__file__).resolve().parents[1] / "data" / "settling.yaml").read_text()
    other.write_text(text)
    first = open_session(ConsoleOptions(data_dir=tmp_path / "d", protocol=other))
    first.start()
    for value in ["no", "yes", "witness"]:
        first.answer(value)
    call_id = first.recorder.call_id  # type: ignore[union-attr]
    first.recorder = None  # the console is gone (its lock with it, below)
    first.store.release(known(call_id))  # type: ignore[union-attr]
    renamed = text.replace("goto: tip_line", "goto: tips").replace("  tip_line: {", "  tips: {")
    assert renamed.count("tips") == 2
    other.write_text(renamed)  # the tip line outcome renamed: the old events name no outcome
    second = open_session(ConsoleOptions(data_dir=tmp_path / "d", protocol=other))
    found = second.unfinished()
    assert found is not None and found.not_resumable is not None
    assert second.close_unfinished(found) is None
    row = SqliteStore(tmp_path / "d").row(known(call_id))
    assert row.status == "interrupted"


def test_a_killed_training_call_is_never_offered_at_a_dispatchers_console(
    tmp_path: Path,
) -> None:
    training = open_session(
        ConsoleOptions(data_dir=tmp_path, training=True, scenario="hotel_housekeeper")
    )
    training.start()
    training.answer("Motel")
    training.recorder.release()  # type: ignore[union-attr]
    assert open_session(ConsoleOptions(data_dir=tmp_path)).unfinished() is None


def test_a_call_that_could_not_be_begun_is_written_after_the_console_moved_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session, real_begin = begin_on_a_full_disk(tmp_path, monkeypatch)
    first = session.start()
    session.answer("Motel")
    assert session.close_call() is None
    session.start()  # the next call: the first must not be dropped
    session.answer("Elm")
    assert session.unsaved_events() == len(first.events) + 2
    monkeypatch.setattr(session.store, "begin", real_begin)
    session.answer("yes")
    assert session.unsaved_events() == 0 and session.records_trouble is None
    rows = SqliteStore(tmp_path).rows()
    assert sorted(row.status for row in rows) == ["completed", "open"]
    [done] = [row for row in rows if row.status == "completed"]
    assert [e.kind for e in SqliteStore(tmp_path).events(done.id)] == [e.kind for e in first.events]
    session.end_console()


@pytest.mark.parametrize("fails", ["append", "begin"])
def test_the_timer_writes_a_call_closed_on_a_full_disk_once_and_changes_no_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fails: str
) -> None:
    """The console's timer (`keep_alive`) writes what waits, with no key pressed: a closed
    call once (never begun again under a second id), and without asking the screens to
    follow (that would take a dialog, such as saving elsewhere, from the dispatcher)."""
    session = open_session(ConsoleOptions(data_dir=tmp_path))
    store = session.store
    assert store is not None
    real = getattr(store, fails)

    def full(*args: object, **kwargs: object) -> object:
        raise disk_full()

    if fails == "begin":
        monkeypatch.setattr(store, "begin", full)
    call = session.start()
    session.answer("Motel")
    monkeypatch.setattr(store, fails, full)
    session.answer("yes")
    session.escalate()
    session.close_call()
    assert session.records_trouble == "the disk is full" and session.unsaved_events() > 0
    changes: list[None] = []
    said: list[str] = []
    session.on_change = lambda: changes.append(None)
    session.on_notice = lambda notice: said.append(notice.message)
    session.keep_alive()  # still full: nothing changes on screen
    monkeypatch.setattr(store, fails, real)
    for _tick in range(3):
        session.keep_alive()
    assert session.unsaved_events() == 0 and session.records_trouble is None
    assert said == ["Call records are being written again."] and changes == []
    [row] = SqliteStore(tmp_path).rows()
    assert row.status == "completed"
    stored = SqliteStore(tmp_path).events(row.id)
    assert [e.kind for e in stored] == [e.kind for e in call.events]


def test_a_call_saved_with_ctrl_s_is_imported_once_and_never_over_a_closed_call(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The disk full from the start of the call: ctrl+s saves it; `records import` brings it
    in once the records can be written, and a second import adds nothing."""
    session, _real_begin = begin_on_a_full_disk(tmp_path, monkeypatch)
    call = session.start()
    for value in ["Main St", "yes", "no"]:
        session.answer(value)
    assert session.recorder is None and session.records_trouble == "the disk is full"
    saved = tmp_path / "call.json"
    notice = session.save_elsewhere(saved)
    assert "records import" in notice.message
    session.end_console()
    data = ["--data-dir", str(tmp_path), "records"]
    assert main([*data, "list"]) == 0
    assert "no calls recorded" in capsys.readouterr().out
    assert main([*data, "import", str(saved)]) == 0
    said = capsys.readouterr().out
    assert f"{len(call.events)} events (new in the store)" in said
    call_id = said.split()[2].rstrip(":")
    stored = SqliteStore(tmp_path).events(call_id)
    assert [e.model_dump_json() for e in stored] == [e.model_dump_json() for e in call.events]
    assert main([*data, "import", str(saved)]) == 0  # again: found by its start
    assert "nothing imported" in capsys.readouterr().out
    assert len(SqliteStore(tmp_path).events(call_id)) == len(call.events)


def test_an_import_adds_only_what_the_store_lacks_and_refuses_a_closed_call(
    tmp_path: Path, shipped: LoadedProtocol, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from trafficking_triage.reports.export import as_json

    store = SqliteStore(tmp_path)
    call = Call.start(shipped.protocol, shipped.sha256)
    recorder = Recorder(store, call)
    call.answer("Main St")
    call_id = known(recorder.call_id)
    recorder.release()
    store.close()
    call.answer("yes")  # after the store stopped taking them: only in the saved file
    call.answer("no")
    saved = tmp_path / "call.json"
    saved.write_text(as_json(None, call, call_id=call_id))
    data = ["--data-dir", str(tmp_path), "records"]
    assert main([*data, "import", str(saved)]) == 0
    assert f"imported 2 events into call {call_id}" in capsys.readouterr().out
    assert len(SqliteStore(tmp_path).events(call_id)) == len(call.events)
    # Closed in the store since (an unfinished call closed as interrupted, say): refused.
    store = SqliteStore(tmp_path)
    store.hold(call_id)
    store.close_as(call_id, "interrupted", None, at=call.clock())
    store.close()
    call.answer("no")
    saved.unlink()
    saved.write_text(as_json(None, call, call_id=call_id))
    assert main([*data, "import", str(saved)]) == 1
    err = capsys.readouterr().err
    assert "closed in the store" in err and "Traceback" not in err
    # A file that is not a saved call says so.
    saved.unlink()
    saved.write_text(json.dumps({"events": [{"kind": "note_added", "at": "x"}]}))
    assert main([*data, "import", str(saved)]) == 1
    assert "event 0 cannot be read" in capsys.readouterr().err


def test_a_file_changed_while_a_console_runs_is_checked_at_the_next_opening(
    tmp_path: Path, shipped: LoadedProtocol, checks: list[Path]
) -> None:
    SqliteStore(tmp_path).close()
    store = SqliteStore(tmp_path)  # as this program left it: not read whole
    assert len(checks) == 1
    Recorder(store, Call.start(shipped.protocol, shipped.sha256)).release()
    other = sqlite3.connect(tmp_path / "calls.sqlite3")  # another program, meanwhile
    other.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")  # as it was
    other.execute("CREATE TABLE IF NOT EXISTS notes_by_hand (x)")
    other.close()
    store.close()  # not remembered as checked: the file is not as this console left it
    SqliteStore(tmp_path).close()
    assert len(checks) == 2
