"""A protocol that validates always opens: one of 10,000 questions (more ways through it than a
decimal number may have digits in Python) opens the console, the first time and again once
it is remembered as checked."""

from __future__ import annotations

from pathlib import Path

from tests.generated import generate
from tests.tui.conftest import build_app
from tests.tui.test_calls import screen_text
from trafficking_triage.console.options import CHECKED_PROTOCOL


async def test_a_protocol_of_ten_thousand_questions_opens_the_console(tmp_path: Path) -> None:
    protocol = tmp_path / "large.yaml"
    protocol.write_text(generate(10_000), encoding="utf-8")
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    for launch in ("first", "remembered"):
        app = build_app(protocol=protocol, data_dir=data)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Question number 0?" in screen_text(app), launch
            await pilot.press("y")
            await pilot.pause()
            assert "Question number 1?" in screen_text(app), launch
        assert (data / CHECKED_PROTOCOL).is_file(), launch  # remembered after the first
