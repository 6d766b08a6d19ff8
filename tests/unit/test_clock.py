"""The one clock rule: local time with its UTC offset wherever a person reads a time (the
tests run in US Central time, pinned in conftest.py)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from trafficking_triage.clock import iso, local_day, stamp, time_of_day
from trafficking_triage.console import ConsoleOptions, open_session


@pytest.mark.parametrize(
    ("utc", "shown", "day"),
    [
        (datetime(2026, 11, 30, 20, 5, 9, tzinfo=UTC), "2026-11-30 14:05:09 -06:00", 30),
        (datetime(2026, 3, 14, 9, 30, 7, tzinfo=UTC), "2026-03-14 04:30:07 -05:00", 14),  # DST
        (datetime(2026, 12, 1, 2, 0, 0, tzinfo=UTC), "2026-11-30 20:00:00 -06:00", 30),
    ],
)
def test_a_time_is_local_with_its_offset(utc: datetime, shown: str, day: int) -> None:
    assert stamp(utc) == shown
    assert time_of_day(utc) == shown[11:]
    assert local_day(utc).day == day
    assert datetime.fromisoformat(iso(utc)) == utc  # the same instant, in local terms
    assert iso(utc).endswith(shown[-6:])


def test_records_list_days_and_times_are_local(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A call at 02:00 UTC on 1 December was taken on the evening of 30 November here."""
    from trafficking_triage.cli import main

    at = datetime(2026, 12, 1, 2, 0, 0, tzinfo=UTC)
    session = open_session(ConsoleOptions(data_dir=tmp_path, clock=lambda: at))
    session.start()
    session.answer("Main St")
    session.close_abandoned()
    session.end_console()
    base = ["records", "list", "--data-dir", str(tmp_path)]
    assert main(base) == 0
    out = capsys.readouterr().out
    assert "STARTED" in out and "2026-11-30 20:00:00 -06:00" in out
    assert main([*base, "--since", "2026-12-01"]) == 0
    assert capsys.readouterr().out == "no calls match\n"
    assert main([*base, "--until", "2026-11-30", "--json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["calls"]
    assert row["started_at"] == "2026-11-30T20:00:00-06:00"
    assert date.fromisoformat(row["started_at"][:10]) == date(2026, 11, 30)
    call_id = row["id"]
    assert main(["records", "show", call_id, "--data-dir", str(tmp_path)]) == 0
    shown = capsys.readouterr().out
    assert "started 2026-11-30 20:00:00 -06:00" in shown and "20:00:00 -06:00" in shown
    assert shown.startswith("call 261130-")  # the id names the local day too


def test_a_call_past_midnight_says_the_day_it_ended(shipped: object) -> None:
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import LoadedProtocol
    from trafficking_triage.records.api import CallRow
    from trafficking_triage.reports.export import narrative

    assert isinstance(shipped, LoadedProtocol)
    times = iter(
        [datetime(2026, 12, 1, 5, 58, tzinfo=UTC), datetime(2026, 12, 1, 6, 3, tzinfo=UTC)]
    )
    call = Call.start(shipped.protocol, shipped.sha256, clock=lambda: next(times))
    call.close("abandoned")
    row = CallRow(
        "261130-K7QM",
        datetime(2026, 12, 1, 5, 58, tzinfo=UTC),
        None,
        "abandoned",
        None,
        None,
        None,
        {},
        "p",
        "1",
        "0" * 64,
        False,
    )
    text = narrative(row, call)
    assert "started 2026-11-30 23:58:00 -06:00, ended 2026-12-01 00:03:00 -06:00" in text
