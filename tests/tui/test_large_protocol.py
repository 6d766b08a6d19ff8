"""A protocol that validates always opens: one of 10,000 questions (more ways through it than a
decimal number may have digits in Python) opens the console, the first time and again once
it is remembered as checked."""

from __future__ import annotations

from pathlib import Path

from tests.tui.conftest import build_app
from tests.tui.test_calls import screen_text
from trafficking_triage.console.options import CHECKED_PROTOCOL

HEAD = """protocol:
  id: generated
  version: "1"
  title: Generated protocol
  languages: [en]
  start: q0
  danger_outcome: officer
sources:
  s: {title: Generated}
steps:
  - {number: 1, title: Screen, text: Ask., source: s}
  - {number: 2, title: Officer, text: Send., source: s}
contacts: {}
indicators:
  flag: {label: Flag, kind: coercion, description: A flag., source: s}
questions:
"""
QUESTION = """  q{i}:
    section: screening
    text: {{en: Question number {i}?}}
    why: Generated question {i}.
    source: s
    answers:
      - {{id: "yes", label: {{en: "Yes"}}, indicator: flag, next: {next}}}
      - {{id: "no", label: {{en: "No"}}, next: {next}}}
      - {{id: unknown, label: {{en: "Don't know"}}, next: {next}}}
"""
TAIL = """decisions:
  route:
    why: Flags mean an officer.
    source: s
    rules:
      - {when: {any_indicator: [flag]}, goto: officer, because: Flag found.}
      - {goto: other, because: Nothing found.}
outcomes:
  officer:
    {title: Officer, summary: Send., contacts: [], steps: [1, 2],
     tell_caller: {en: Help.}, source: s}
  other:
    {title: Other, summary: Refer., contacts: [], steps: [1], tell_caller: {en: Call.}, source: s}
"""


def generated(size: int) -> str:
    """A chain of `size` yes/no questions, each "yes" a sign, then one decision."""
    chain = [
        QUESTION.format(i=i, next=f"q{i + 1}" if i + 1 < size else "route") for i in range(size)
    ]
    return HEAD + "".join(chain) + TAIL


async def test_a_protocol_of_ten_thousand_questions_opens_the_console(tmp_path: Path) -> None:
    protocol = tmp_path / "large.yaml"
    protocol.write_text(generated(10_000), encoding="utf-8")
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
