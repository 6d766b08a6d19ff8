"""Building the console for tests: a frozen clock, no cursor blink, and a way to drive calls."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Mapping
from datetime import UTC, datetime

from textual import events
from textual.pilot import Pilot

from trafficking_triage.engine import Call
from trafficking_triage.first_view import FirstView, Opening
from trafficking_triage.protocol import LoadedProtocol, load_protocol
from trafficking_triage.settings.resolve import missing_settings
from trafficking_triage.tui.app import TriageApp, make_app

LOADED = load_protocol()
FROZEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN


def build_app() -> TriageApp:
    return make_app(loaded=LOADED, clock=frozen_clock, blink=False)


async def answer_with_keys(pilot: Pilot[int], answers: Mapping[str, object]) -> None:
    """Answer each question as a dispatcher would: number keys, or typing and Enter."""
    app = pilot.app
    assert isinstance(app, TriageApp)
    while app.call is not None and app.call.state.prompt is not None:
        prompt = app.call.state.prompt
        if prompt.question not in answers:
            return
        value = str(answers[prompt.question])
        if prompt.choices:
            ids = [choice.id for choice in prompt.choices]
            await pilot.press(str(ids.index(value) + 1))
        else:
            await pilot.press(*value, "enter")


def answered(app: TriageApp) -> list[tuple[str, str | None]]:
    """The call's answers so far: each question with the answer chosen or the words typed."""
    assert app.call is not None
    return [(g.question, g.answer or g.value) for g in app.call.state.answers]


async def press_in_one_burst(pilot: Pilot[int], *keys: str, gap: float = 0.0) -> None:
    """Keys sent without waiting for the app between them, as a pasted script or a trainer's
    tmux script sends them (Pilot's `press` waits for the app after every key), `gap` seconds
    apart; then time for the app to deal with them all."""
    app = pilot.app
    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
        if gap:
            await asyncio.sleep(gap)
    for _ in range(len(keys) + 5):
        await pilot.pause()


def saved_opening(gate: threading.Event | None = None) -> Opening:
    """A console opening on the saved first question of the shipped protocol. With a `gate`,
    the checks that follow wait until it is set, to hold the console in its opening moment."""
    view = FirstView.of(
        Call.start(LOADED.protocol, LOADED.sha256), missing_settings(LOADED.protocol, None)
    )

    def load() -> tuple[LoadedProtocol, None]:
        if gate is not None:
            assert gate.wait(10), "the test never let the checks finish"
        return LOADED, None

    return Opening(view, load)
