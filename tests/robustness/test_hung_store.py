"""A store that stops answering (a server stopped, a network that swallows packets, a records
file someone holds locked) never holds a key: the call goes on, the danger-now key acts at
once, NOT SAVED is said within two seconds, and every event is written, in order, once the
store answers again."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.postgres_server import HalfOpenProxy, Server
from trafficking_triage.console import CallSession, ConsoleOptions, open_session
from trafficking_triage.records.postgres import PostgresStore
from trafficking_triage.records.store import SqliteStore

pytestmark = pytest.mark.console_waits

KEY_BOUND = 0.5
"""Seconds a key may take here at most: ten times the console's wait, so a slow test machine
does not fail it, and a hundred times less than the minute the store hangs for."""


def keys(session: CallSession) -> list[tuple[str, Callable[[], object]]]:
    return [
        ("note", lambda: session.note("he says the door is locked at night")),
        ("danger now (F2)", session.escalate),
        ("answer", lambda: session.answer("yes")),
        ("note", lambda: session.note("second note")),
    ]


def work_through_a_hang(session: CallSession, hang: Callable[[], object]) -> list[float]:
    """Press keys while the store hangs; what each waited. NOT SAVED is on after 2 s."""
    session.start()
    session.answer("12 Main St")
    assert session.recorder is not None and session.recorder.saved
    waited = []
    with _hung(hang):
        for _name, key in keys(session):
            pressed = time.monotonic()
            assert key() is None
            waited.append(time.monotonic() - pressed)
        assert session.call is not None and session.call.state.escalated is not None
        deadline = time.monotonic() + 2.0
        while session.records_trouble is None and time.monotonic() < deadline:
            pressed = time.monotonic()
            session.tick()
            waited.append(time.monotonic() - pressed)
            time.sleep(0.05)
        assert session.records_trouble is not None, "NOT SAVED within 2 s of a write"
        assert "not answering" in session.records_trouble
        assert session.unsaved_events() >= len(keys(session))
    return waited


@contextmanager
def _hung(hang: Callable[[], object]) -> Iterator[None]:
    resume = hang()
    try:
        yield
    finally:
        assert callable(resume)
        resume()


def all_written_in_order(session: CallSession, reopen: Callable[[], object]) -> None:
    deadline = time.monotonic() + 20
    while (session.unsaved_events() or session.records_trouble) and time.monotonic() < deadline:
        session.tick()
        time.sleep(0.05)
    assert session.unsaved_events() == 0 and session.records_trouble is None
    assert session.call is not None and session.recorder is not None
    store = reopen()
    stored = store.events(session.recorder.call_id)  # type: ignore[attr-defined]
    assert [e.model_dump_json() for e in stored] == [
        e.model_dump_json() for e in session.call.events
    ]
    store.close()  # type: ignore[attr-defined]
    session.end_console()


def test_a_records_file_held_locked_holds_no_key(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    session = open_session(ConsoleOptions(data_dir=data))
    assert isinstance(session.store, SqliteStore)
    path = session.store.path

    def hang() -> Callable[[], None]:
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")

        def let_go() -> None:
            other.execute("ROLLBACK")
            other.close()

        return let_go

    waited = work_through_a_hang(session, hang)
    assert max(waited) < KEY_BOUND
    all_written_in_order(session, lambda: SqliteStore(data, read_only=True))


def test_a_stopped_server_holds_no_key(postgres: Server, center: str, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    session = open_session(ConsoleOptions(data_dir=data, store=center))

    def hang() -> Callable[[], None]:
        postgres.pause()
        return postgres.resume

    waited = work_through_a_hang(session, hang)
    assert max(waited) < KEY_BOUND
    all_written_in_order(session, lambda: PostgresStore(center, read_only=True))


def test_a_network_that_swallows_packets_holds_no_key(
    postgres: Server, center: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    proxy = HalfOpenProxy(str(postgres.socket))
    try:
        session = open_session(ConsoleOptions(data_dir=data, store=proxy.address(center)))

        def hang() -> Callable[[], None]:
            proxy.stall()
            return proxy.flow

        waited = work_through_a_hang(session, hang)
        assert max(waited) < KEY_BOUND
        all_written_in_order(session, lambda: PostgresStore(center, read_only=True))
    finally:
        proxy.close()
