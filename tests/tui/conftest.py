"""Building the console for tests: a frozen clock, no cursor blink, and a way to drive calls."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from textual.pilot import Pilot

from trafficking_triage.protocol import load_protocol
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
