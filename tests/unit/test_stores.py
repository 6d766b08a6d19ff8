"""One suite, both stores: the embedded SQLite store and a center's PostgreSQL store, against
a real server (tests/postgres_server.py). Nothing lost, nothing taken twice, nothing mixed."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading

import pytest

from tests.conftest import Opener, known
from trafficking_triage.engine import Call
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import RecordsError
from trafficking_triage.records.base import StoreBase
from trafficking_triage.records.recorder import Recorder


def in_other_processes(address: str) -> None:
    """A store in memory is one process's: the tests of consoles in processes of their own
    (killed, or eight writing at once) do not apply to it."""
    if address.startswith("memory:"):
        pytest.skip("a store in memory lives in one process; these consoles are processes")


def start(loaded: LoadedProtocol, console: str = "c1") -> Call:
    return Call.start(loaded.protocol, loaded.sha256, console=console, dispatcher="d1")


def test_a_call_is_written_as_it_happens_and_read_back_whole(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    store = opened()
    call = start(shipped)
    recorder = Recorder(store, call)
    call.answer("Main St")
    call.answer("yes")
    call.escalate()
    other = opened()  # another console, another connection: every event is there already
    events = other.events(known(recorder.call_id))
    assert [e.model_dump_json() for e in events] == [e.model_dump_json() for e in call.events]
    assert Call(shipped.protocol, events).state == call.state
    row = other.row(known(recorder.call_id))
    assert (row.status, row.console, row.dispatcher) == ("open", "c1", "d1")
    assert row.started_at == call.state.started.at  # type: ignore[union-attr]
    call.close("completed")
    assert other.row(known(recorder.call_id).lower()).status == "completed"
    [listed] = other.rows()
    assert listed.id == recorder.call_id and other.rows(training=True) == []
    assert other.rows(status="open") == [] and len(other.rows(training=None)) == 1
    with pytest.raises(RecordsError, match="no call record with id X"):
        other.row("X")


def test_a_live_call_is_held_and_an_orphan_offered_once(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    first, second, third = opened(), opened(), opened()
    call = start(shipped)
    recorder = Recorder(first, call)
    call.answer("Main St")
    assert second.unfinished() == []  # its console is running
    first.close()  # the console is gone (as a killed one is)
    [found] = second.unfinished()
    assert found.id == recorder.call_id
    assert second.hold(found.id)
    assert third.unfinished() == [] and not third.hold(found.id)  # taken: offered once
    resumed = Call(shipped.protocol, second.events(found.id))
    Recorder(second, resumed, found.id)
    resumed.answer("yes")
    assert [e.kind for e in third.events(found.id)].count("question_answered") == 2


def test_two_consoles_racing_for_an_orphan_exactly_one_wins(
    opened: Opener, shipped: LoadedProtocol
) -> None:
    for _round in range(5):
        owner = opened()
        recorder = Recorder(owner, start(shipped))
        recorder.call.answer("Main St")
        owner.close()
        racers = [opened() for _ in range(2)]
        barrier = threading.Barrier(len(racers))
        won: list[bool] = []

        def race(
            store: StoreBase, call_id: str, barrier: threading.Barrier, won: list[bool]
        ) -> None:
            barrier.wait()
            won.append(store.hold(call_id))

        threads = [
            threading.Thread(target=race, args=(store, recorder.call_id, barrier, won))
            for store in racers
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(won) == [False, True]
        for store in racers:
            store.close()


CONSOLE = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records.recorder import Recorder
    from trafficking_triage.records.where import open_store
    address, name, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    loaded = load_protocol()
    store = open_store(address, Path("unused"))
    call = Call.start(loaded.protocol, loaded.sha256, console=name)
    recorder = Recorder(store, call)
    print(recorder.call_id, flush=True)
    sys.stdin.readline()  # every console starts writing at once
    for n in range(count):
        call.note(f"{name} note {n}")
    if count:
        call.close()
        print("done", flush=True)
    else:
        call.answer("Motel on Route 9")
        print("answered", flush=True)
        sys.stdin.readline()  # killed here
    """
)


def consoles(address: str, count: int, events: int) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            [sys.executable, "-c", CONSOLE, address, f"console{n}", str(events)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(count)
    ]


def test_eight_consoles_writing_500_events_each_at_once_lose_repeat_and_mix_nothing(
    address: str, opened: Opener
) -> None:
    in_other_processes(address)
    running = consoles(address, 8, 500)
    ids = [p.stdout.readline().strip() for p in running]  # type: ignore[union-attr]
    for process in running:
        process.stdin.write("go\n")  # type: ignore[union-attr]
        process.stdin.flush()  # type: ignore[union-attr]
    outputs = [p.communicate(timeout=300) for p in running]
    assert [p.returncode for p in running] == [0] * 8, [err for _, err in outputs]
    store = opened()
    for n, call_id in enumerate(ids):
        events = store.events(call_id)
        notes = [e.text for e in events if e.kind == "note_added"]
        assert notes == [f"console{n} note {i}" for i in range(500)]  # none lost, none twice
        assert events[0].kind == "call_started" and len(events) == 502
        assert store.row(call_id).status == "completed"
        assert store.row(call_id).console == f"console{n}"  # nothing mixed


def test_a_console_killed_mid_call_is_resumed_from_another(
    address: str, opened: Opener, shipped: LoadedProtocol
) -> None:
    in_other_processes(address)
    [process] = consoles(address, 1, 0)
    assert process.stdout is not None and process.stdin is not None
    call_id = process.stdout.readline().strip()
    process.stdin.write("go\n")
    process.stdin.flush()
    assert process.stdout.readline().strip() == "answered"
    process.kill()  # SIGKILL: its connection (or its file lock) dies with it
    process.wait()
    store = opened()
    [row] = store.unfinished()
    assert row.id == call_id and store.hold(call_id)
    call = Call(shipped.protocol, store.events(call_id))
    assert call.state.answers[0].value == "Motel on Route 9"
    Recorder(store, call, call_id)
    call.answer("yes")
    assert [e.kind for e in opened().events(call_id)][-1] == "question_answered"


def test_eight_consoles_in_threads_writing_to_one_store_in_memory_mix_nothing(
    shipped: LoadedProtocol,
) -> None:
    """The memory store's own form of the eight consoles: threads of one process, each a
    console with its own store object on the shared store."""
    from trafficking_triage.records.memory import MemoryStore

    ids: list[str] = [""] * 8
    barrier = threading.Barrier(8)

    def console(n: int) -> None:
        store = MemoryStore("eight")
        recorder = Recorder(store, start(shipped, f"console{n}"))
        ids[n] = str(recorder.call_id)
        barrier.wait()
        for i in range(500):
            recorder.call.note(f"console{n} note {i}")
        recorder.call.close("completed")

    try:
        threads = [threading.Thread(target=console, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        store = MemoryStore("eight")
        for n, call_id in enumerate(ids):
            notes = [e.text for e in store.events(call_id) if e.kind == "note_added"]
            assert notes == [f"console{n} note {i}" for i in range(500)]
            assert (store.row(call_id).status, store.row(call_id).console) == (
                "completed",
                f"console{n}",
            )
    finally:
        MemoryStore.forget("eight")
