"""Shared fixtures: the shipped protocol, loaded once, and the test data folder."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.postgres_server import WITHOUT, Server
from trafficking_triage.protocol import LoadedProtocol, load_protocol
from trafficking_triage.records.base import StoreBase
from trafficking_triage.records.where import open_store

T = TypeVar("T")

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def shipped() -> LoadedProtocol:
    return load_protocol()


@pytest.fixture(scope="session")
def minimal() -> LoadedProtocol:
    return load_protocol(DATA / "minimal.yaml", "minimal.yaml")


SLOW = (
    "tests/unit/test_serve.py",
    "tests/unit/test_browser.py",
    "tests/unit/test_install.py",
    "tests/unit/test_readme_commands.py",
    "tests/robustness/test_monkey.py",
    "tests/robustness/test_fuzz_commands.py",
    "tests/robustness/test_hung_store.py",
    "tests/robustness/test_center_attacks.py::test_a_restart_never_offers",
    "tests/tui/test_training.py",
    "tests/tui/test_calls.py",
    "tests/tui/test_snapshots.py",
    "tests/tui/test_dispatch.py",
    "tests/unit/test_random_walks.py::test_random_walk_ends_at_an_outcome",
    "tests/unit/test_proofs.py::test_generated_protocols_against_brute_force",
    "tests/unit/test_reach.py::test_what_a_walk_keeps",
    "tests/unit/test_stores.py::test_eight_consoles",
    # Over 2 s each in the quick subset on 2 cores (a whole validate, a subprocess, letters
    # typed one by one, a store that does not answer):
    "tests/unit/test_import_hygiene.py::test_screen_free_commands_do_not_import_textual",
    "tests/unit/test_cli.py::test_validate_shipped_protocol_prints",
    "tests/unit/test_cli.py::test_the_readme_table_says",
    "tests/unit/test_cli.py::test_validate_reports_a_scenario_that_misses",
    "tests/unit/test_broken_protocols.py::test_validate_says_where_each_case",
    "tests/unit/test_settings.py::test_agency_init_writes_a_template",
    "tests/unit/test_settings.py::test_validate_agency_reports_problems",
    "tests/unit/test_bad_input.py::test_a_number_of_five_thousand_digits",
    "tests/unit/test_center_store.py::test_a_database_that_does_not_answer",
    "tests/tui/test_readme_picture.py",
    "tests/tui/test_large_protocol.py",
    "tests/tui/test_records_in_console.py::test_keys_right_behind_saving_elsewhere",
    "tests/tui/test_answers_in_console.py::test_danger_now_from_the_note_dialog",
    "tests/tui/test_answers_in_console.py::test_a_number_question_keeps_the_words",
    "tests/tui/test_answers_in_console.py::test_dont_know_declined_a_rough_number",
    "tests/tui/test_answers_in_console.py::test_danger_now_then_the_questions_go_on",
    "tests/tui/test_agency_and_language.py::test_an_unset_tip_line_says",
)
"""The tests that take seconds each (whole calls by keys, servers, installs, generated input):
marked `slow`, so `-m "not slow"` runs the rest in a minute before a commit."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Marks: `postgres` on every test that uses the PostgreSQL server (`-m "not postgres"`
    runs without one), `slow` on those in SLOW."""
    for item in items:
        if "postgres" in getattr(item, "fixturenames", ()) or "[postgresql" in item.nodeid:
            item.add_marker(pytest.mark.postgres)
        if item.nodeid.startswith(SLOW):
            item.add_marker(pytest.mark.slow)
    # The long ones first, so that with -n the short ones fill in around them instead of
    # one long test running alone at the end (a stable sort: the rest keep their order).
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_configure(config: pytest.Config) -> None:
    # Screens and records show local times with their offset; pin a zone that is not UTC (US
    # Central, written out so no zone database is needed) so pictures and texts are the same on
    # every machine, and a time shown in UTC by mistake differs from the right one.
    os.environ["TZ"] = "CST6CDT,M3.2.0,M11.1.0"
    time.tzset()


@pytest.fixture(scope="session")
def postgres() -> Iterator[Server]:
    """The throwaway PostgreSQL server (see tests/postgres_server.py)."""
    if os.environ.get(WITHOUT):
        pytest.skip(f"{WITHOUT} is set: the center store's tests do not run")
    server = Server()
    try:
        yield server
    finally:
        server.remove()


@pytest.fixture(scope="session")
def center_template(postgres: Server) -> str:
    """A database with the call tables made by its owner (as `store init` does: consoles
    never make them), copied for each test: a copy is quicker than making the tables."""
    from trafficking_triage.records.postgres import PostgresStore

    address = postgres.database("made_by_store_init")
    PostgresStore(address, migrate=True).close()
    return "made_by_store_init"


@pytest.fixture
def center(postgres: Server, center_template: str, request: pytest.FixtureRequest) -> str:
    """The address of a new database for one test, as `store init` leaves it."""
    import hashlib

    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    return postgres.database(f"t{digest}", template=center_template)


@pytest.fixture(autouse=True)
def patient_writes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key waits `WRITE_WAIT` (50 ms) for a write; a busy test machine can take longer
    for a commit, and a test that reads the store just after would find it not written yet.
    Tests wait as long as it takes, unless marked `console_waits` (the tests of a store that
    does not answer, which wait as a console does)."""
    if request.node.get_closest_marker("console_waits") is None:
        from trafficking_triage.records import worker

        monkeypatch.setattr(worker, "WRITE_WAIT", 30.0)


def disk_full() -> Exception:
    """What a store raises (records/api.py) when its disk is full: for a store's method
    replaced in a test. A store's own translation is tested in test_records_bad_days."""
    from trafficking_triage.records.api import RecordsUnwritable

    return RecordsUnwritable("the disk is full", "the call records cannot be written (full)")


def known(value: T | None) -> T:
    """A value the test has just made sure of (a call's id once its recorder has begun it)."""
    assert value is not None
    return value


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto`: two workers a core. The tests wait more than they compute (the console's
    timers, a PostgreSQL server, subprocesses, `serve`): measured on 2 cores, 4 workers take
    the whole suite from about 4 min 50 s to 3 min 30 s (benchmarks/suite.md)."""
    return 2 * (os.cpu_count() or 1)


Opener = Callable[[], StoreBase]
"""Opens the store under test as a console would (the `opened` fixture)."""


@pytest.fixture(params=["sqlite", "postgresql", "memory"])
def address(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The store's address: a data directory's embedded store, a new database, or a store in
    this process's memory (the interface whole, with no file and no server)."""
    if request.param == "sqlite":
        yield f"sqlite://{tmp_path / 'data'}"
    elif request.param == "postgresql":
        yield str(request.getfixturevalue("center"))
    else:
        from trafficking_triage.records.memory import MemoryStore

        name = f"t{id(request)}"
        yield f"memory:{name}"
        MemoryStore.forget(name)


@pytest.fixture
def opened(address: str, tmp_path: Path) -> Iterator[Opener]:
    """Opens the store as a console would (each a connection of its own); all closed after."""
    stores: list[StoreBase] = []

    def opener() -> StoreBase:
        store = open_store(address, tmp_path / "unused")
        stores.append(store)
        return store

    yield opener
    for store in stores:
        store.close()
