"""Text answers no form expects: huge, emoji, right-to-left, control characters and terminal
escape sequences. Stored exactly, shown literally, exported without reaching a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.conftest import known
from tests.tui.conftest import LOADED, build_app
from trafficking_triage.engine import Call
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.recorder import Recorder
from trafficking_triage.reports.export import as_json, markdown, narrative

HOSTILE = [
    "x" * 100_000,
    "Motel 🚨🏨 family of 👨‍👩‍👧‍👦 room 12",
    "מוטל ליד הכביש 9 — غرفة ١٢",
    "\x1b]0;owned\x07\x1b[2J\x1b[31mred\x1b[0m",
    "bell\x07 nul-free controls \x01\x02\x7f\x9b",
    "[bold]x[/bold] [@click=app.quit]quit[/] [link=file:///etc/passwd]y[/link]",
]


@pytest.mark.parametrize(
    "text", HOSTILE, ids=["long", "emoji", "rtl", "escapes", "controls", "markup"]
)
def test_stored_exactly_and_exported_safely(tmp_path: Path, text: str) -> None:
    store = SqliteStore(tmp_path)
    call = Call.start(LOADED.protocol, LOADED.sha256)
    recorder = Recorder(store, call)
    call.answer(text)
    call.note(text)
    stored = Call(LOADED.protocol, store.events(known(recorder.call_id)))
    assert stored.state.answers[0].value == text.strip()
    assert stored.state.notes == [text]
    row = store.row(known(recorder.call_id))
    for render in (narrative, markdown):
        out = render(row, stored)
        assert not any(ord(c) < 32 and c != "\n" for c in out)
        assert "\x1b" not in out and "\x9b" not in out and "\x7f" not in out
    assert json.loads(as_json(row, stored))["events"][1]["value"] == text.strip()
    assert all(len(line) <= 80 for line in narrative(row, stored).splitlines())


@pytest.mark.parametrize("text", HOSTILE[1:], ids=["emoji", "rtl", "escapes", "controls", "markup"])
async def test_shown_on_screen_without_effect(text: str) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.answer(text)  # as if typed or pasted
        await pilot.pause()
        app.session.answer("yes")
        app.action_danger_now()
        await pilot.pause()
        assert app.is_running
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running and app.session.call is not None
        assert app.session.call.state.answers[0].value == text.strip()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "\x1b" not in shown


async def test_a_hundred_thousand_characters_on_screen() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.session.answer("Main St;" * 12_500)
        await pilot.pause()
        await pilot.press("escape")  # back to it: the field holds it, ready to correct
        await pilot.pause()
        assert app.screen.query_one("#typed").value == "Main St;" * 12_500  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.call is not None and len(app.session.call.state.answers) == 1


def test_exports_escape_overrides_and_c1_controls_and_keep_the_fence_closed(
    tmp_path: Path,
) -> None:
    store = SqliteStore(tmp_path)
    call = Call.start(LOADED.protocol, LOADED.sha256)
    recorder = Recorder(store, call)
    typed = "room 12 \u202eevil\u202c next \x9b2J " + "`" * 3 + " tail " + "`" * 7
    call.answer(typed)
    row = store.row(known(recorder.call_id))
    for render in (narrative, markdown, as_json):
        out = render(row, call)
        assert "\u202e" not in out and "\x9b" not in out, render.__name__
    assert "\\u202e" in narrative(row, call)
    document = markdown(row, call)
    fence = "`" * 8
    assert document.count(fence + "\n") == 2  # opens and closes around the narrative
    body = document.split(fence + "\n")[1]
    assert "room 12" in body and "Route" in body
    assert json.loads(as_json(row, call))["events"][1]["value"] == typed.strip()


@pytest.mark.parametrize(
    "text", HOSTILE, ids=["long", "emoji", "rtl", "escapes", "controls", "markup"]
)
async def test_pasted_into_the_field_as_a_terminal_pastes_it(text: str) -> None:
    """Through the terminal's bracketed paste (a Paste event to the focused field), then
    Enter: recorded as pasted, lines joined; nothing on screen obeys it. (An ESC inside a real
    terminal's paste is reordered by Textual's input parser before any widget sees it: see
    the CHANGELOG.)"""
    from textual import events

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#typed")
        field.post_message(events.Paste(text + "\nsecond line"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running and app.session.call is not None
        recorded = app.session.call.state.answers[0].value
        assert recorded == f"{text.strip()} second line".strip()
        shown = "\n".join(str(w.render()) for w in app.screen.query(Static))
        assert "\x1b" not in shown
