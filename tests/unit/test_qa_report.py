"""`records report`: a month of calls made for the test (known routes, times, dispatchers,
consoles, a danger-now press, an interrupted and an abandoned call), read from SQLite and
PostgreSQL alike; the text summary against a golden file; the page opened in headless
Chromium, its charts and numbers read back."""

from __future__ import annotations

import argparse
import os
import re
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from tests.conftest import Opener
from tests.unit.test_shipped_protocol import PATHS, answered_as_given
from trafficking_triage.cli import main
from trafficking_triage.engine import Call, CallError
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records.api import Written
from trafficking_triage.records.base import StoreBase
from trafficking_triage.records_report import last_month, qa_report

GOLDEN = Path(__file__).parent.parent / "data" / "golden" / "qa_report.txt"
START = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
"""Monday 2 November 2026: one call a day from here, twelve of them, and one in October."""


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC here, so weeks and days are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def whole_call(
    shipped: LoadedProtocol, n: int, answers: dict[str, object], how: str = "completed"
) -> Call:
    """Call n: answered to its end, every event 5 s after the last, by one of two dispatchers
    at one of three consoles; every third ticks its steps."""
    at = [START + timedelta(days=n)]

    def clock() -> datetime:
        at[0] += timedelta(seconds=5)
        return at[0]

    call = Call.start(
        shipped.protocol,
        shipped.sha256,
        clock=clock,
        console=f"C{n % 3}",
        dispatcher=("ana", "ben")[n % 2],
    )
    if n == 4:
        call.escalate()  # the danger-now key, at the first question
    answered_as_given(call, answers)
    if n % 3 == 0:
        for number in call.open_steps():
            if number != 1:
                call.tick(number)
    call.close(how)  # type: ignore[arg-type]
    return call


def month(shipped: LoadedProtocol) -> list[Call]:
    made = [
        whole_call(shipped, n, dict(PATHS[n % len(PATHS)][1]), how)
        for n, how in enumerate(["completed"] * 10 + ["interrupted", "abandoned"])
    ]
    made.append(whole_call(shipped, -5, dict(PATHS[0][1])))  # October: not in the report
    return made


def stored(store: StoreBase, calls: list[Call]) -> None:
    """Each call written as a console writes it, event by event, each taken by the store a
    moment after it happened; but for the eighth call, whose events 5 to 8 waited 40 s
    (the console said NOT SAVED)."""
    for n, call in enumerate(calls):
        events = call.events

        def late(index: int, n: int = n) -> timedelta:
            return timedelta(seconds=40 if n == 7 and 5 <= index <= 8 else 0.2)

        store.saved_clock = lambda e=events[0]: e.at + late(0)  # type: ignore[method-assign,misc]
        started = call.state.started
        assert started is not None
        call_id = store.begin(Written(started, (events[0],), None))
        for index, event in enumerate(events[1:], 1):
            store.saved_clock = lambda e=event, i=index: e.at + late(i)  # type: ignore[method-assign,misc]
            store.append(call_id, event, call)
        store.release(call_id)


def args(**given: object) -> argparse.Namespace:
    base = {"since": None, "until": None, "html": None, "protocol": None, "training": False}
    return argparse.Namespace(**{**base, **given})


def test_last_month_is_the_calendar_month_before() -> None:
    from trafficking_triage.records_report import period

    assert last_month(date(2026, 12, 7)) == (date(2026, 11, 1), date(2026, 11, 30))
    today = date(2026, 12, 7)
    assert period(None, None, today) == (date(2026, 11, 1), date(2026, 11, 30))
    assert period(date(2026, 12, 1), None, today) == (date(2026, 12, 1), today)
    assert period(None, date(2026, 10, 15), today) == (date(2026, 10, 1), date(2026, 10, 15))
    assert last_month(date(2027, 1, 1)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert last_month(date(2026, 3, 31)) == (date(2026, 2, 1), date(2026, 2, 28))


@pytest.mark.slow
def test_the_summary_is_the_same_on_every_store(
    opened: Opener,
    shipped: LoadedProtocol,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-settings"))
    store = opened()
    if store.where.startswith("memory:"):
        pytest.skip("a store in memory keeps no time of saving (nor any call past its process)")
    stored(store, month(shipped))
    html = tmp_path / "report.html"
    given = args(since=date(2026, 11, 1), until=date(2026, 11, 30), html=html)
    assert qa_report(store, given) == 0
    out = capsys.readouterr().out
    summary = re.sub(r"\b\d{6}-[A-Z0-9]{4}\b", "<call id>", out.split("\nThe page: ")[0])
    if os.environ.get("UPDATE_GOLDEN") == "1":
        GOLDEN.write_text(summary, encoding="utf-8")
    assert summary == GOLDEN.read_text(encoding="utf-8")
    assert html.stat().st_mode & 0o777 == 0o600
    page = html.read_text()
    assert not re.search(r'(?:src|href)\s*=\s*"(?:[a-z]+:)?//', page)  # nothing fetched
    assert "<script" not in page and "default-src 'none'" in page
    # Again: the page is never written over.
    assert qa_report(store, given) == 1
    assert "is there already" in capsys.readouterr().err


def test_figures_read_as_the_review_reads_them(shipped: LoadedProtocol, tmp_path: Path) -> None:
    """Each number of the summary from the calls made: twelve in November, the route known on
    every one, the interrupted and the abandoned call, one danger-now press."""
    from trafficking_triage.records.memory import MemoryStore
    from trafficking_triage.reports.qa import Report, figures, numbers

    store = MemoryStore(str(tmp_path))
    stored(store, month(shipped))
    rows = [r for r in store.rows() if r.started_at.month == 11]
    counted = []
    for row in rows:
        call, _, anomaly = Call.as_far_as_it_goes(shipped.protocol, store.events(row.id))
        assert anomaly is None
        counted.append(figures(row, call))
    MemoryStore.forget(str(tmp_path))
    report = Report(date(2026, 11, 1), date(2026, 11, 30), False, counted)
    said = dict(numbers(report))
    assert said["Calls"] == "12"
    assert said["Danger-now presses"] == "1"
    assert said["Closed as interrupted"] == "1" and said["Closed as abandoned"] == "1"
    assert [f"{w:%m-%d}" for w in report.weeks()] == [
        "10-26", "11-02", "11-09", "11-16", "11-23", "11-30"
    ]  # fmt: skip
    assert report.week_names() == [
        "Nov 01 *1d", "Nov 02", "Nov 09", "Nov 16", "Nov 23", "Nov 30 *1d"
    ]  # fmt: skip
    assert sum(sum(c) for c in report.by_week().values()) == 12


@pytest.mark.slow
def test_the_page_in_a_browser_shows_the_charts_and_the_numbers(
    shipped: LoadedProtocol,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Through the command line, on the embedded store; the page opened in headless Chromium
    (the DOM as the browser built it): three charts drawn, the headline numbers there."""
    import subprocess

    from trafficking_triage.reports.printing import browser

    program = browser()
    if program is None:
        pytest.skip("Chromium is not installed (.ci/run installs it)")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-settings"))
    data = tmp_path / "data"
    from trafficking_triage.records import SqliteStore

    store = SqliteStore(data)
    stored(store, month(shipped))
    store.close()
    html = tmp_path / "report.html"
    command = ["--data-dir", str(data), "records", "report", "--since", "2026-11-01"]
    assert main([*command, "--until", "2026-11-30", "--html", str(html)]) == 0
    summary = capsys.readouterr().out
    flags = ["--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom"]  # fmt: skip
    if os.geteuid() == 0:
        flags.append("--no-sandbox")
    dom = subprocess.run(
        [program, *flags, html.as_uri()], capture_output=True, text=True, timeout=120
    ).stdout
    charts = re.findall(r'<svg[^>]*role="img"[^>]*aria-label="([^"]+)"', dom)
    assert charts == [
        "Calls by week and route",
        "Seconds to the route",
        "Review scores by dispatcher",
        "Review scores by console",
    ]
    assert len(re.findall(r"<(?:path|rect|use)\b", dom)) > 50  # drawn, not empty frames
    for label, value in re.findall(r"^  (\S.*?)\s{2,}(\S.*)$", summary, re.M)[:13]:
        assert f'<td>{label}</td><td class="n">{value}</td>' in dom, (label, value)


def test_training_calls_are_reported_per_trainee_and_scenario(
    shipped: LoadedProtocol,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`records report --training`: each training call scored against its scenario, as the
    debrief scores it: a scenario answered as scripted scores more than one answered badly."""
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.training.scenario import load_scenarios, scripted_answers

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-settings"))
    scenarios = {s.id: s for s in load_scenarios(shipped.scenarios, shipped)}
    store = SqliteStore(tmp_path / "data" / "training")
    for n, (trainee, name, scripted) in enumerate(
        [("trainee-a", "hotel_housekeeper", True), ("trainee-b", "hotel_housekeeper", False),
         ("trainee-a", "anonymous_tipster", True)]
    ):  # fmt: skip
        at = [START + timedelta(days=n)]

        def clock(at: list[datetime] = at) -> datetime:
            at[0] += timedelta(seconds=5)
            return at[0]

        call = Call.start(
            shipped.protocol, shipped.sha256, clock=clock, dispatcher=trainee,
            training=True, scenario=name,
        )  # fmt: skip
        answers = scripted_answers(scenarios[name], shipped.protocol) if scripted else {}
        while call.state.prompt is not None:
            question = call.state.prompt.question
            try:
                call.answer(str(answers[question]))
            except (KeyError, CallError):
                call.not_answered("unknown")
        call.close()
        store.release(store.begin(call))
    store.close()
    command = ["--data-dir", str(tmp_path / "data"), "records", "report", "--training"]
    html = tmp_path / "training.html"
    days = ["--since", "2026-11-01", "--until", "2026-11-30"]
    assert main([*command, *days, "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "QA report: training calls from 2026-11-01 to 2026-11-30" in out
    trainees = re.findall(r"^  (trainee-\w)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\d+)$", out, re.M)
    assert [t[:2] for t in trainees] == [("trainee-a", "2"), ("trainee-b", "1")]
    lowest = {name: int(low) for name, _, low, _, _ in trainees}
    assert lowest["trainee-a"] > lowest["trainee-b"]
    assert "By scenario" in out and "hotel_housekeeper" in out
    assert "Review scores by scenario" in html.read_text()


def test_a_period_with_no_calls_says_so() -> None:
    from trafficking_triage.reports.qa import Report, summary
    from trafficking_triage.reports.qa_page import page

    empty = Report(date(2026, 11, 1), date(2026, 11, 30), False, [])
    said = summary(empty)
    assert "  Calls                           0" in said
    assert said.count("  none") == 3  # routes, dispatchers, consoles
    drawn = page(empty, "Example County 911")
    assert "<svg" not in drawn and '<td>Calls</td><td class="n">0</td>' in drawn


def test_not_saved_periods_from_when_the_store_took_each_event() -> None:
    """An event taken by the store more than the console's 1.5 s late was NOT SAVED on screen
    from then until it was taken; periods that overlap are one; an unknown time is none."""
    from trafficking_triage.reports.qa import unsaved_periods

    t = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    s = timedelta(seconds=1)
    written = [
        (t, t + 0.2 * s),
        (t + 5 * s, t + 6.4 * s),  # 1.4 s: never said
        (t + 10 * s, t + 40 * s),  # said from 11.5 s to 40 s
        (t + 15 * s, t + 40 * s),  # the same period
        (t + 50 * s, None),  # not known (kept before schema 4, or copied)
        (t + 60 * s, t + 70 * s),  # another, from 61.5 s
    ]
    assert unsaved_periods(written) == [(t + 11.5 * s, t + 40 * s), (t + 61.5 * s, t + 70 * s)]


@pytest.mark.slow
def test_calls_kept_before_schema_4_or_imported_are_not_known_not_unsaved(
    shipped: LoadedProtocol,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A call whose events have no saving time (a file of schema 3, brought up to date) and a
    call brought in with `records import` long after it was taken: neither shows a NOT SAVED
    period; the report says for how many calls it is not known."""
    import json
    import sqlite3

    from trafficking_triage.records import SqliteStore
    from trafficking_triage.reports.export import as_json

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "no-settings"))
    data = tmp_path / "data"
    store = SqliteStore(data)
    calls = month(shipped)
    stored(store, calls[:2])
    store.close()
    with sqlite3.connect(data / "calls.sqlite3") as db:  # as migration 4 leaves older events
        db.execute("UPDATE events SET saved_at = NULL")
    db.close()
    saved = tmp_path / "saved.json"
    saved.write_text(as_json(None, calls[2]))
    assert json.loads(saved.read_text())["events"]
    days = ["--since", "2026-11-01", "--until", "2026-11-30"]
    assert main(["--data-dir", str(data), "records", "import", str(saved)]) == 0
    html = tmp_path / "r.html"
    assert main(["--data-dir", str(data), "records", "report", *days, "--html", str(html)]) == 0
    out = capsys.readouterr().out
    assert "  NOT SAVED periods               0" in out
    assert "NOT SAVED periods are not known for 3 calls" in out


def test_the_summary_lists_the_longest_not_saved_periods_the_page_every_one() -> None:
    from trafficking_triage.reports.qa import Report, summary
    from trafficking_triage.reports.qa_page import page

    t = datetime(2026, 11, 2, 14, 0, tzinfo=UTC)
    hour, second = timedelta(hours=1), timedelta(seconds=1)
    periods = [
        ("C1", f"261102-AAA{n}", t + n * hour, t + n * hour + (10 * n + 5) * second)
        for n in range(12)
    ]
    periods.append(("C2", "261102-LONG", t, t + timedelta(days=3)))
    report = Report(date(2026, 11, 1), date(2026, 11, 30), False, [], unsaved=periods)
    said = summary(report)
    assert "NOT SAVED (console, call, from, for how long, the 10 longest):" in said
    assert "  C2  261102-LONG  2026-11-02 14:00:00  3 days" in said
    assert "261102-AAA0" not in said and "261102-AAA1 " not in said  # the two shortest
    assert "  and 3 more: the page lists each" in said
    drawn = page(report, "Example County 911")
    assert all(call_id in drawn for _, call_id, _, _ in periods)
