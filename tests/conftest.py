"""Shared fixtures: the shipped protocol, loaded once, and the test data folder."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

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
