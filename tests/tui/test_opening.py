"""Opening on the saved first question: the screen is the same one, and nothing typed in the
opening moment (before the protocol checks and the engine are done) is lost or reordered."""

from __future__ import annotations

import threading
from pathlib import Path

from textual.pilot import Pilot

from tests.tui.conftest import FROZEN, build_app, frozen_clock, saved_opening
from trafficking_triage.records import RecordStore
from trafficking_triage.tui.app import TriageApp, make_app
from trafficking_triage.tui.screens.confirm_screen import ConfirmScreen


def opening_app(gate: threading.Event | None = None, **options: object) -> TriageApp:
    return make_app(opening=saved_opening(gate), clock=frozen_clock, blink=False, **options)


def release_soon(gate: threading.Event) -> None:
    """Let the checks finish a moment after a key has started waiting for them."""
    threading.Timer(0.2, gate.set).start()


async def screen_of(app: TriageApp, pilot: Pilot[int]) -> str:
    await pilot.pause()
    return app.export_screenshot()


async def test_the_opening_screen_is_the_first_question_screen() -> None:
    async with build_app().run_test(size=(80, 24)) as pilot:
        checked = await screen_of(pilot.app, pilot)  # type: ignore[arg-type]
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        before = await screen_of(app, pilot)
        assert app.call is None, "the checks were held back: no call yet"
        gate.set()
        for _ in range(20):
            if app.call is not None:
                break
            await pilot.pause(0.05)
        after = await screen_of(app, pilot)
        assert app.call is not None and app.call.state.started is not None
        assert app.call.state.started.at == FROZEN  # the call began when the question showed
    assert before == checked
    assert after == checked


async def test_keys_typed_before_the_call_starts_reach_it_in_order() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press(*"12 Main St", "enter", "n", "n", "n")
        await pilot.pause()
        assert app.call is not None
        answers = [(g.question, g.answer, g.value) for g in app.call.state.answers]
    assert answers == [
        ("location", None, "12 Main St"),
        ("danger_now", "no", None),
        ("weapons", "no", None),
        ("controller_nearby", "no", None),
    ]


async def test_danger_key_in_the_opening_moment_goes_to_the_officer() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press("f2")
        await pilot.pause()
        assert app.call is not None and app.call.state.route is not None
        assert app.call.state.route.outcome == "officer"
        assert app.call.state.route.escalated_at == "location"


async def test_quitting_in_the_opening_moment_asks_and_records_the_call(tmp_path: Path) -> None:
    gate = threading.Event()
    store = RecordStore(tmp_path)
    app = opening_app(gate, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
    rows = store.rows()
    assert [row.status for row in rows] == ["abandoned"]


async def test_the_call_starts_on_its_own_once_the_checks_are_done(tmp_path: Path) -> None:
    store = RecordStore(tmp_path)
    app = opening_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(40):
            if app.call is not None:
                break
            await pilot.pause(0.05)
        assert app.call is not None
        # Written at once, like any call, though nobody has pressed a key yet.
        assert [row.status for row in store.rows()] == ["open"]
