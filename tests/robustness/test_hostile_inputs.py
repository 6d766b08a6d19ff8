"""Inputs that crashed a console or leaked past it: bytes that are not UTF-8 from a CAD, a crash
that exited 0, a paste of several lines into a note, files others can change, folders that are
symbolic links, markup typed by a caller reaching a Markdown export, and control characters in
a protocol reaching the printed cards."""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.widgets import Input

from tests.tui.conftest import build_app
from trafficking_triage.cli import main
from trafficking_triage.console import ConsoleOptions
from trafficking_triage.records import SqliteStore

BAD = "\udce9"
"""A Latin-1 é, as Python hands over a byte of a command line that is not UTF-8."""


async def test_bytes_that_are_not_utf8_from_a_cad_are_kept_as_replacement_characters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[ConsoleOptions] = []

    def run(options: ConsoleOptions) -> int:
        opened.append(options)
        return 0

    monkeypatch.setattr("trafficking_triage.tui.launch.run", run)
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    argv = ["--data-dir", str(data), "--location", f"A{BAD}B", "--dispatcher", f"D{BAD}"]
    assert main([*argv, "--incident", f"I{BAD}", "--console", f"C{BAD}"]) == 0
    [options] = opened
    assert options.context["location"] == "A\ufffdB" and options.dispatcher == "D\ufffd"
    app = build_app(**{k: v for k, v in vars(options).items() if k not in {"clock", "blink"}})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # the location the CAD gave, taken as the first answer
        await pilot.press("f8", *"a note", "enter")
        assert app.session.records_trouble is None
        assert app.session.unsaved_events() == 0
        assert app.session.recorder is not None
        call_id = app.session.recorder.call_id
    row = SqliteStore(data, read_only=True).row(str(call_id))
    assert (row.console, row.dispatcher, row.context["incident"]) == (
        "C\ufffd",
        "D\ufffd",
        "I\ufffd",
    )


class _Crashes(App[None]):
    def on_mount(self) -> None:
        raise RuntimeError("a fault in the console")


def test_a_console_that_crashes_exits_non_zero(monkeypatch: pytest.MonkeyPatch) -> None:
    from trafficking_triage.tui import collector, launch

    class Crashes(_Crashes):
        session = type("NoSession", (), {"end_console": staticmethod(lambda: None)})()
        run = functools.partialmethod(App.run, headless=True)

    monkeypatch.setattr("trafficking_triage.tui.app.make_app", lambda _options: Crashes())
    monkeypatch.setattr(collector, "resume", lambda: None)
    assert launch.run(ConsoleOptions()) == 1


async def test_a_note_pasted_over_three_lines_keeps_every_line() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8", *"From the e-mail: ")
        app.screen.query_one("#note-text", Input).post_message(
            events.Paste("first line\nsecond line\n\nthird line\n")
        )
        await pilot.pause()
        await pilot.press("enter")
        assert app.session.call is not None
        notes = [e.text for e in app.session.call.events if e.kind == "note_added"]
    assert notes == ["From the e-mail: first line / second line / third line"]


def test_protocol_export_makes_files_only_their_owner_can_change_whatever_the_umask(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = os.umask(0)
    try:
        assert main(["protocol", "export", str(tmp_path / "mine")]) == 0
    finally:
        os.umask(before)
    made = [tmp_path / "mine", *(tmp_path / "mine").rglob("*")]
    assert len(made) > 10
    for path in made:
        assert stat.S_IMODE(path.stat().st_mode) & 0o022 == 0, path
    capsys.readouterr()
    protocol = tmp_path / "mine" / "protocol.yaml"
    protocol.chmod(0o666)  # as a shared folder leaves it
    assert main(["validate", str(protocol)]) == 1
    assert "other users can change this file (mode 666)" in capsys.readouterr().err
    assert main(["--protocol", str(protocol), "--data-dir", str(tmp_path / "d")]) == 1


@pytest.mark.parametrize("folder", ["exports", "live", "training"])
async def test_a_symbolic_link_for_the_programs_own_folders_is_never_followed(
    tmp_path: Path, folder: str
) -> None:
    data, elsewhere = tmp_path / "data", tmp_path / "elsewhere"
    data.mkdir(mode=0o700)
    elsewhere.mkdir()
    (data / folder).symlink_to(elsewhere)
    options: dict[str, Any] = {"data_dir": data, "training": folder == "training"}
    if folder == "training":
        from trafficking_triage.console import open_session
        from trafficking_triage.records.api import RecordsError

        with pytest.raises(RecordsError, match="is a symbolic link"):
            open_session(ConsoleOptions(**options))
        assert list(elsewhere.iterdir()) == []
        return
    app = build_app(**options)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"12 Main St", "enter")
        if folder == "exports":
            await pilot.press("ctrl+n")  # the narrative, for the CAD: not written through it
            await pilot.pause()
        said = app.session.records_trouble if folder == "live" else None
    assert list(elsewhere.iterdir()) == []
    if folder == "live":
        assert said is not None and "symbolic link" in said


def outside_code_blocks(markdown: str) -> str:
    kept, fence = [], None
    for line in markdown.splitlines():
        if fence is None and line.startswith("```"):
            fence = line.rstrip()
        elif fence is not None and line.rstrip() == fence:
            fence = None
        elif fence is None:
            kept.append(line)
    return "\n".join(kept)


def test_markup_typed_into_a_call_is_text_in_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.engine import Call
    from trafficking_triage.protocol import load_protocol
    from trafficking_triage.records.recorder import Recorder

    loaded = load_protocol()
    store = SqliteStore(tmp_path)
    call = Call.start(loaded.protocol, loaded.sha256)
    recorder = Recorder(store, call)
    call.answer("<script>alert(1)</script>")
    call.note('<img src=x onerror="alert(2)"> ![seen](https://tracker.example/p.png) `code`')
    recorder.release()
    for command in (
        ["export", str(recorder.call_id), "--format", "markdown"],
        ["review", str(recorder.call_id), "--format", "markdown"],
    ):
        assert main(["--data-dir", str(tmp_path), "records", *command]) == 0
        out = outside_code_blocks(capsys.readouterr().out)  # a fenced block is shown as text
        assert "<script>" not in out and "<img" not in out and "](https://" not in out
        assert command[0] == "review" or "&lt;img" in out  # the note, as words


def test_control_characters_in_a_protocol_never_reach_the_cards_raw(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.paths import default_protocol_path

    text = default_protocol_path().read_text()
    hostile = tmp_path / "protocol.yaml"
    hostile.write_text(
        text.replace("Where is this happening?", "Where\x1b]0;owned\x07 \u202eis this?", 1)
    )
    hostile.chmod(0o600)
    main(["cards", "--protocol", str(hostile)])
    said = capsys.readouterr()
    assert "\x1b" not in said.out + said.err and "\u202e" not in said.out + said.err
