"""Shared fixtures: the shipped protocol, loaded once, and the test data folder."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.postgres_server import WITHOUT, Server
from trafficking_triage.protocol import LoadedProtocol, load_protocol

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
