"""A monkey at the console: thousands of random keys and resizes on every screen, seeded.

The console must never raise, and the call's record must always match the call: the events
stored re-fold to the state on screen. A failure names its seed, so it can be replayed."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from textual import events

from tests.tui.conftest import LOADED, build_app, scenario_folder
from tests.tui.test_records_in_console import crashed_call
from trafficking_triage.engine import Call
from trafficking_triage.records.base import StoreBase
from trafficking_triage.tui.app import TriageApp

KEYS = [
    *"0123456789",
    *"ynyncxqabri? ",
    "enter",
    "enter",
    "escape",
    "escape",
    "backspace",
    "tab",
    "shift+tab",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "f1",
    "f2",
    "f3",
    "f4",
    "ctrl+s",
]
QUITS = ["ctrl+q", "ctrl+c"]
"""Pressed now and then (one key in a hundred): a "y" behind them ends the run, which is then
checked as it ended (the call closed as abandoned, every event in the record)."""


def send(app: TriageApp, key: str) -> None:
    event = events.Key(key, key if len(key) == 1 else None)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)


def consistent(app: TriageApp, store: StoreBase, call_id: str | None) -> None:
    """The call on screen re-folds from its events, and its record holds exactly those
    events, field by field."""
    call = app.session.call
    if call is None:
        return  # still on the scenario list or the resume screen: no call yet
    again = Call(LOADED.protocol, call.events)
    assert again.state == call.state
    if call_id is not None:
        stored = [event.model_dump() for event in store.events(call_id)]
        assert stored == [event.model_dump() for event in call.events]


def recorded_id(app: TriageApp) -> str | None:
    recorder = app.session.recorder
    return recorder.call_id if recorder is not None and recorder.call is app.session.call else None


# Three ways in, so every screen is reached: a plain call (call, outcome, reference,
# confirm, closed), after a crash (the resume screen first), training (picker, debrief).
@pytest.mark.parametrize(
    ("seed", "start"),
    [(1, "call"), (2, "call"), (3, "call"), (4, "resume"), (5, "training"), (6, "call")],
)
async def test_random_keys_and_resizes_never_break_a_call(
    seed: int, start: str, tmp_path: Path
) -> None:
    rng = random.Random(seed)
    if start == "resume":
        crashed_call(tmp_path)
    extra: dict[str, Any] = {}
    if start == "training":
        names = ("hotel_housekeeper", "wage_dispute", "boss_returns_mid_call")
        extra = {"training": True, "scenarios": scenario_folder(tmp_path / "scenarios", *names)}
    app = build_app(data_dir=tmp_path, **extra)
    store = app.session.store
    assert store is not None
    async with app.run_test(size=(80, 24)) as pilot:
        for _burst in range(40):
            call_id = recorded_id(app)
            for _ in range(rng.randint(5, 40)):
                send(app, rng.choice(QUITS) if rng.random() < 0.01 else rng.choice(KEYS))
            if rng.random() < 0.3:
                await pilot.resize_terminal(rng.randint(40, 130), rng.randint(12, 45))
            for _ in range(3):
                await pilot.pause()
            if app.quitting:
                break  # quit, and confirmed by a "y": checked below
            call_id = recorded_id(app) or call_id
            consistent(app, store, call_id)
        else:
            # Let every key still queued be handled before the app is shut down: keys
            # arriving during shutdown would meet an empty screen stack, which no person
            # can cause.
            for _ in range(20):
                await pilot.pause()
    if not app.quitting or app.session.call is None:
        return  # the run ended with the call open, as a console killed mid-call leaves it
    call = app.session.call
    assert call.state.closed is not None, f"seed {seed}: quit with the call still open"
    if call_id is not None and call.state.started is not None and not call.state.started.training:
        assert [e.model_dump() for e in store.events(call_id)] == [
            e.model_dump() for e in call.events
        ], f"seed {seed}: the record of the quit call differs from the call"
