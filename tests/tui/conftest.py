"""Building the console for tests: a frozen clock, no cursor blink, and a way to drive calls."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events
from textual.pilot import Pilot

from trafficking_triage.console import ConsoleOptions
from trafficking_triage.protocol import load_protocol
from trafficking_triage.tui.app import TriageApp, make_app

LOADED = load_protocol()
FROZEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def frozen_clock() -> datetime:
    return FROZEN


SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def build_app(**options: Any) -> TriageApp:
    """The console as the command builds it, on a frozen clock with no cursor blink; nothing
    recorded unless `data_dir` is given."""
    return make_app(ConsoleOptions(clock=frozen_clock, blink=False, **options))


def scenario_folder(folder: Path, *names: str) -> Path:
    """A scenario folder holding only the shipped scenarios named (a trainer's own folder)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SCENARIOS / f"{name}.yaml", folder / f"{name}.yaml")
    return folder


async def answer_with_keys(
    pilot: Pilot[int], answers: Mapping[str, object], *, letter_by_letter: bool = False
) -> None:
    """Answer each question as a dispatcher would: number keys, or words and Enter. The words
    arrive as a paste (as from the CAD), one event, unless `letter_by_letter` (a few tests
    type every letter; tests/tui/test_calls.py types throughout)."""
    app = pilot.app
    assert isinstance(app, TriageApp)
    while app.session.call is not None and app.session.call.state.prompt is not None:
        prompt = app.session.call.state.prompt
        if prompt.question not in answers:
            return
        value = str(answers[prompt.question])
        if prompt.choices:
            ids = [choice.id for choice in prompt.choices]
            await pilot.press(str(ids.index(value) + 1))
        elif letter_by_letter:
            await pilot.press(*value, "enter")
        else:
            app.post_message(events.Paste(value))  # as the terminal sends a paste
            await pilot.pause()
            await pilot.press("enter")


def answered(app: TriageApp) -> list[tuple[str, str | None]]:
    """The call's answers so far: each question with the answer chosen or the words typed."""
    assert app.session.call is not None
    return [(g.question, g.answer or g.value) for g in app.session.call.state.answers]


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
