"""Shared fixtures: the shipped protocol, loaded once, and the test data folder."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.postgres_server import WITHOUT, Server
from trafficking_triage.protocol import LoadedProtocol, load_protocol

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def shipped() -> LoadedProtocol:
    return load_protocol()


@pytest.fixture(scope="session")
def minimal() -> LoadedProtocol:
    return load_protocol(DATA / "minimal.yaml", "minimal.yaml")


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


@pytest.fixture
def center(postgres: Server, request: pytest.FixtureRequest) -> str:
    """The address of a new database for one test, its call tables made by its owner (as
    `store init` does: consoles never make them)."""
    import hashlib

    from trafficking_triage.records.postgres import PostgresStore

    digest = hashlib.sha256(request.node.nodeid.encode()).hexdigest()[:16]
    address = postgres.database(f"t{digest}")
    PostgresStore(address, migrate=True).close()
    return address


@pytest.fixture(autouse=True)
def patient_writes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """A key waits `WRITE_WAIT` (50 ms) for a write; a busy test machine can take longer
    for a commit, and a test that reads the store just after would find it not written yet.
    Tests wait as long as it takes, unless marked `console_waits` (the tests of a store that
    does not answer, which wait as a console does)."""
    if request.node.get_closest_marker("console_waits") is None:
        from trafficking_triage.records import worker

        monkeypatch.setattr(worker, "WRITE_WAIT", 30.0)
