"""The console with a record store: every answer saved, unfinished calls offered, a full disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import disk_full, known
from tests.tui.conftest import LOADED, build_app, frozen_clock, press_in_one_burst
from trafficking_triage.engine import Call
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.tui.screens.call_screen import CallScreen
from trafficking_triage.tui.screens.resume_screen import ResumeScreen
from trafficking_triage.tui.screens.save_elsewhere_screen import SaveElsewhereScreen
from trafficking_triage.tui.widgets.key_hints import KeyHints


def crashed_call(directory: Path) -> str:
    """An open call whose console is gone, as a kill -9 leaves it."""
    store = SqliteStore(directory)
    call = Call.start(LOADED.protocol, LOADED.sha256, console="c9", clock=frozen_clock)
    recorder = Recorder(store, call)
    for value in ["Motel on Route 9", "yes", "no", "no", "no"]:
        recorder.call.answer(value)
    recorder.release()
    store.close()
    return known(recorder.call_id)


def app_with(directory: Path):  # type: ignore[no-untyped-def]
    return build_app(data_dir=directory)


async def test_each_answer_is_in_the_records_before_the_next_question(tmp_path: Path) -> None:
    app = app_with(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y", "n")
        assert app.session.recorder is not None
        stored = SqliteStore(tmp_path).events(app.session.recorder.call_id)
        assert [e.kind for e in stored] == [
            "call_started",
            "question_answered",
            "question_answered",
            "question_answered",
        ]


async def test_an_unfinished_call_resumes_with_every_answer(tmp_path: Path) -> None:
    call_id = crashed_call(tmp_path)
    app = app_with(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert app.session.call is not None and len(app.session.call.state.answers) == 5
        assert app.session.call.state.prompt is not None
        assert app.session.call.state.prompt.question == "held_now"
        await pilot.press("n")
        assert app.session.recorder is not None and app.session.recorder.call_id == call_id
    assert len(SqliteStore(tmp_path).events(call_id)) == 7


async def test_an_unfinished_call_can_be_closed_as_interrupted(tmp_path: Path) -> None:
    call_id = crashed_call(tmp_path)
    app = app_with(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert app.session.call is not None and app.session.call.state.answers == []  # a new call
    row = SqliteStore(tmp_path).row(call_id)
    assert row.status == "interrupted"
    assert len(SqliteStore(tmp_path).events(call_id)) == 7  # 6 kept + the closing


async def test_a_full_disk_is_told_and_the_call_saved_elsewhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = app_with(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        assert app.session.store is not None
        assert "SAVE ELSEWHERE" not in str(app.screen.query_one(KeyHints).render())

        def full(*args: object, **kwargs: object) -> None:
            raise disk_full()

        monkeypatch.setattr(app.session.store, "append", full)
        await pilot.press("n")
        await pilot.pause()
        assert app.session.records_trouble == "the disk is full"
        header = str(app.screen.query_one("#header").render())
        assert "NOT SAVED" in header
        # The key line offers the way out only now that it is needed.
        assert "^s SAVE ELSEWHERE" in str(app.screen.query_one(KeyHints).render())
        await pilot.press("n", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveElsewhereScreen)
        target = tmp_path / "elsewhere.json"
        field = app.screen.query_one("#save-path")
        field.value = str(target)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        saved = json.loads(target.read_text())
        assert [e["kind"] for e in saved["events"]][:4] == [
            "call_started",
            "question_answered",
            "question_answered",
            "question_answered",
        ]
        assert app.session.call is not None and len(app.session.call.state.answers) == 4


async def test_the_outcome_screen_copies_the_narrative(tmp_path: Path) -> None:
    app = app_with(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y", "y", "f2")
        await pilot.pause()  # the outcome screen is up before its keys are used
        await pilot.press("x")
        await pilot.pause()
        assert app.session.recorder is not None
        path = tmp_path / "exports" / f"{app.session.recorder.call_id}.txt"
        text = path.read_text()
        assert text.startswith(f"TRAFFICKING TRIAGE CALL {app.session.recorder.call_id}")
        assert "Route: Officer to the scene" in text
        assert (path.stat().st_mode & 0o777) == 0o600


@pytest.mark.parametrize("width", [80, 100, 180])
async def test_every_key_of_the_outcome_screen_fits_its_line(tmp_path: Path, width: int) -> None:
    """Recording, the outcome screen the danger-now key opens offers thirteen keys: the
    danger-now key first, a second line for those that do not fit, none cut."""
    app = app_with(tmp_path)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "f2")
        await pilot.pause()
        text = str(app.screen.query_one(KeyHints).render())
    keys = ["f2 DANGER NOW", "esc Back", "f6 Questions", "e End questions", "c Close call"]
    keys += ["x Copy for CAD", "f8 Note", "f9 Yes/no", "f10 Hung up", "f12 Incident"]
    keys += ["^q Quit", "f1 Help"]
    keys += ["f4 Language"]
    lines = text.splitlines()
    assert lines[0].startswith(" f2 DANGER NOW") and "…" not in text
    assert len(lines) == (1 if width == 180 else 2)
    assert all(len(line) <= width for line in lines)
    separator = "  " if width == 180 else " "
    assert separator.join(line.strip() for line in lines) == separator.join(keys)


@pytest.mark.parametrize("gap", [0.0, 0.003])
async def test_keys_right_behind_saving_elsewhere_answer_the_question(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gap: float
) -> None:
    """The field for another file saves from a message it posts after Enter: the next key
    waits until the call screen is back, and answers its question."""
    app = app_with(tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")

        def full(*_args: object, **_kwargs: object) -> None:
            raise disk_full()

        monkeypatch.setattr(app.session.store, "append", full)
        await pilot.press("n")
        await pilot.pause()
        target = tmp_path / "out.json"
        await press_in_one_burst(pilot, "ctrl+s", "ctrl+u", *str(target), "enter", "y", gap=gap)
        assert target.exists()
        assert app.session.call is not None
        assert app.session.call.state.answers[-1].question == "injured"
        assert app.session.call.state.answers[-1].answer == "yes"
