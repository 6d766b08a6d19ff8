"""Opening on the saved first question: the screen is the same one, and nothing typed in the
opening moment (before the protocol checks and the engine are done) is lost or reordered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input

from tests.tui.conftest import (
    FROZEN,
    LOADED,
    answered,
    build_app,
    frozen_clock,
    saved_opening,
)
from trafficking_triage.engine import Call
from trafficking_triage.first_view import Opening
from trafficking_triage.protocol import LoadedProtocol, Problem, ProtocolError
from trafficking_triage.records import RecordStore
from trafficking_triage.tui.app import TriageApp, make_app
from trafficking_triage.tui.screens.confirm_screen import ConfirmScreen


def opening_app(gate: threading.Event | None = None, **options: object) -> TriageApp:
    return make_app(opening=saved_opening(gate), clock=frozen_clock, blink=False, **options)


def release_soon(gate: threading.Event) -> None:
    """Let the checks finish a moment after a key has started waiting for them."""
    threading.Timer(0.2, gate.set).start()


async def until(pilot: Pilot[int], condition: Callable[[], bool], limit: float = 3.0) -> None:
    """Let the console run until `condition` holds: keys that need the call wait for the
    checks, with the console running meanwhile, and act once they are done."""
    for _ in range(int(limit / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the console never got there")


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
        assert app.call is not None
    assert before == checked
    assert after == checked


async def test_the_call_begins_when_its_question_showed() -> None:
    ticks = iter(FROZEN + timedelta(seconds=n) for n in range(10_000))
    gate = threading.Event()
    app = make_app(opening=saved_opening(gate), clock=lambda: next(ticks), blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = app.opened_at
        release_soon(gate)
        await pilot.press("f2")
        await until(pilot, lambda: app.call is not None and len(app.call.events) > 1)
        assert app.call is not None and app.call.state.started is not None
        assert app.call.state.started.at == shown
        assert app.call.events[1].at > shown  # the danger key came later


@pytest.mark.parametrize(
    ("options", "keys"),
    [
        ({"context": {"location": "Motel 6, Route 9"}}, ()),
        ({"language": "es"}, ()),
        ({"language": "es+en"}, ()),
        ({}, ("f3",)),
    ],
    ids=["cad_location", "spanish", "spanish_and_english", "why_shown"],
)
async def test_the_opening_screen_matches_in_every_start(
    options: dict[str, object], keys: tuple[str, ...]
) -> None:
    normal = make_app(loaded=LOADED, clock=frozen_clock, blink=False, **options)  # type: ignore[arg-type]
    async with normal.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        checked = await screen_of(normal, pilot)
    gate = threading.Event()
    app = opening_app(gate, **options)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*keys)
        before = await screen_of(app, pilot)
        assert app.call is None
        gate.set()
    assert before == checked


# Enter typed before the console took the terminal over (as it opens) reaches it as a newline,
# ctrl+j: the terminal was still turning Enter into one. It must answer all the same.
@pytest.mark.parametrize("enter", ["enter", "ctrl+j"])
async def test_keys_typed_before_the_call_starts_reach_it_in_order(enter: str) -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"12 Main St")
        assert app.call is None, "typing needs no call: the checks are still held back"
        release_soon(gate)  # Enter waits for them; the keys after it wait their turn
        await pilot.press(enter, "n", "n", "n")
        await until(pilot, lambda: app.call is not None and len(app.call.state.answers) == 4)
        assert app.call is not None
        answers = [(g.question, g.answer, g.value) for g in app.call.state.answers]
    assert answers == [
        ("location", None, "12 Main St"),
        ("danger_now", "no", None),
        ("weapons", "no", None),
        ("controller_nearby", "no", None),
    ]


@pytest.mark.parametrize("start", ["saved_question", "checked_first"])
async def test_keys_waiting_before_the_console_runs_reach_the_answer_field(start: str) -> None:
    """Keys typed while the console starts are read with its first messages, before its
    screen is built: they wait for the answer field instead of going to the bare screen."""
    app = opening_app() if start == "saved_question" else build_app()
    for key in [*"Main", "enter", "n"]:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            await pilot.pause()
        assert app.call is not None
        answers = answered(app)
    assert answers == [("location", "Main"), ("danger_now", "no")]


async def test_danger_key_in_the_opening_moment_goes_to_the_officer() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press("f2")
        await until(pilot, lambda: app.call is not None and app.call.state.route is not None)
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


def failing_opening(gate: threading.Event) -> Opening:
    """A saved question whose files no longer pass the checks (changed under the same key)."""
    opening = saved_opening()

    def load() -> tuple[LoadedProtocol, None]:
        assert gate.wait(10)
        raise ProtocolError([Problem("protocol.yaml", 3, 1, "questions", "broken", "test")])

    return Opening(opening.view, load)


@pytest.mark.parametrize(
    "keys", [(), ("1", "enter"), ("f1",), ("f2",), ("f4",), ("escape",), ("ctrl+q",)]
)
async def test_checks_failing_after_the_question_showed_close_with_the_reason(
    keys: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    gate = threading.Event()
    app = make_app(opening=failing_opening(gate), clock=frozen_clock, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press(*keys)
        for _ in range(40):  # with no key, the checks end it on their own
            if app.return_code is not None:
                break
            await pilot.pause(0.05)
    assert app.return_code == 1
    assert app.call is None  # nothing recorded on a protocol that failed its checks
    said = capsys.readouterr().err
    assert "protocol.yaml:3:1: questions: broken" in said
    assert "checked again as the console opened" in said


async def test_checks_that_hang_keep_the_console_alive_and_the_keys_waiting(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checks that do not finish (a file that cannot be read) must not freeze the console:
    typing still shows, Enter waits for the call and the screen says why, and quitting
    closes it, saying why, having recorded nothing."""
    monkeypatch.setattr("trafficking_triage.tui.app.OPENING_CHECKS_TIMEOUT", 0.2)
    monkeypatch.setattr("trafficking_triage.tui.app.HELD_NOTICE_AFTER", 0.1)
    gate = threading.Event()
    app = opening_app(gate)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"Main", "enter", *" St")
            await until(pilot, lambda: bool(app._notifications))
            assert app.screen.query_one("#typed", Input).value == "Main"  # the rest waits
            assert any("Still checking" in n.message for n in app._notifications)
            assert app.call is None and app.return_code is None
            await pilot.press("ctrl+q")
            await until(pilot, lambda: app.return_code is not None)
    finally:
        gate.set()  # let the held checks end
    assert app.return_code == 1
    assert app.call is None
    said = " ".join(capsys.readouterr().err.split())  # as one line, however it was wrapped
    assert "checks did not finish within 0.2 seconds" in said
    assert "nothing was recorded" in said
    assert "Main" not in said  # nothing the caller said reaches the terminal


async def test_a_quit_pressed_after_an_answer_in_the_opening_moment_comes_after_it() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press(*"Main", "enter", "ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.call is not None
        assert [given.value for given in app.call.state.answers] == ["Main"]


async def test_a_quit_behind_keys_that_waited_for_slow_checks_asks_after_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Slow checks, then done while a quit waits: the keys before the quit act first, and the
    quit's question is asked after them; a waiting `y` never answers it."""
    monkeypatch.setattr("trafficking_triage.tui.app.HELD_NOTICE_AFTER", 0.1)
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        await until(pilot, lambda: bool(app._notifications))
        threading.Timer(0.3, gate.set).start()
        await pilot.press("ctrl+q")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert app.return_code is None
        assert app.call is not None and app.call.state.closed is None
        answers = answered(app)
    assert answers == [("location", "Main"), ("danger_now", "yes")]


async def test_editing_keys_go_through_while_the_checks_run() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main ", "ctrl+w", *"Elm", "shift+left", "ctrl+left")
        assert app.screen.query_one("#typed", Input).value == "Elm"
        assert not app.key_turns.waiting
        gate.set()


async def test_keys_that_waited_for_slow_checks_act_once_they_are_done() -> None:
    gate = threading.Event()
    app = opening_app(gate)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", *"ny")
        await pilot.pause(0.3)  # the checks take their time: nothing is lost meanwhile
        assert app.call is None
        gate.set()
        await until(pilot, lambda: app.call is not None and len(app.call.state.answers) == 3)
        assert app.call is not None
        answers = answered(app)
    assert answers == [("location", "Main"), ("danger_now", "no"), ("weapons", "yes")]


@pytest.mark.parametrize("key", ["1", "y", "enter"])
async def test_a_saved_question_that_is_not_the_first_one_records_nothing_on_it(key: str) -> None:
    """Should a saved copy ever name another question than the protocol starts with, the
    key pressed on it is not recorded on the real first question, and the screen says so."""
    call = Call.start(LOADED.protocol, LOADED.sha256)
    call.answer("Main St")  # the question after the first: yes/no "danger now"
    assert call.state.prompt is not None and call.state.prompt.question == "danger_now"
    wrong = saved_opening().view._replace(prompt=call.state.prompt)
    gate = threading.Event()
    opening = Opening(wrong, saved_opening(gate).load)
    app = make_app(opening=opening, clock=frozen_clock, blink=False)
    async with app.run_test(size=(80, 24)) as pilot:
        release_soon(gate)
        await pilot.press(key)
        await until(pilot, lambda: app.call is not None and bool(app._notifications))
        assert app.call is not None
        assert app.call.state.answers == []
        assert app.call.state.prompt is not None
        assert app.call.state.prompt.question == "location"
        warnings = [n.message for n in app._notifications]
        assert any("first question has changed" in message for message in warnings)


async def screens_along(app: TriageApp, steps: list[tuple[str, ...]]) -> list[str]:
    """The screen after each group of keys, with the screens beneath it named (leaving out
    Textual's empty base screen, which the opened console does without)."""
    shots = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(40):  # the opening console starts its call once its checks are done
            if app.call is not None:
                break
            await pilot.pause(0.05)
        for keys in steps:
            await pilot.press(*keys)
            shot = await screen_of(app, pilot)
            stack = [type(s).__name__ for s in app.screen_stack if type(s) is not Screen]
            shots.append(f"{' '.join(stack)}\n{shot}")
    return shots


def keys_for(answers: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The keys that answer every question but the last, and those answering the last, as
    answer_with_keys would press them."""
    call = Call.start(LOADED.protocol, LOADED.sha256)
    groups: list[tuple[str, ...]] = []
    while call.state.prompt is not None and call.state.prompt.question in answers:
        prompt, value = call.state.prompt, answers[call.state.prompt.question]
        if prompt.choices:
            groups.append((str([c.id for c in prompt.choices].index(value) + 1),))
        else:
            groups.append((*value, "enter"))
        call.answer(value)
    return tuple(key for group in groups[:-1] for key in group), groups[-1]


async def test_an_opened_console_takes_calls_exactly_like_a_checked_one() -> None:
    """Every screen of three calls, and the screens beneath each, are the same whether the
    console opened on the saved question or checked everything first: the outcome, going back
    from it, the reference, closing and the next call."""
    from tests.tui.test_calls import ROUTES

    first, second = (keys_for(answers) for name, answers, _ in ROUTES if name != "hotline")
    steps = [
        *first,
        ("escape",),  # back from the outcome to the last question
        first[1],
        ("f1",),
        ("escape",),
        ("c",),  # close with steps open: asked first
        ("y",),
        ("enter",),  # the next call
        ("f1",),
        ("escape",),
        second[0] + second[1],
        ("c",),
        ("y",),
        ("enter",),
        ("f2",),  # a third call, straight to the officer
        ("escape",),
    ]
    checked = await screens_along(make_app(loaded=LOADED, clock=frozen_clock, blink=False), steps)
    opened = await screens_along(opening_app(), steps)
    assert [shot.split("\n", 1)[0] for shot in opened][-4:] == [
        "CallScreen ClosedScreen",
        "CallScreen",
        "CallScreen OutcomeScreen",
        "CallScreen",
    ]
    for number, (seen, expected) in enumerate(zip(opened, checked, strict=True)):
        assert seen == expected, f"screens differ after key group {number}: {steps[number]}"
