"""A picture of every screen at an explicit size, clock and cursor blink frozen.

Regenerate after an intended change of look with `pytest tests/tui --snapshot-update`, and
look at the report before committing the new pictures."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from tests.tui.conftest import answer_with_keys, build_app, scenario_folder
from tests.tui.test_calls import ROUTES

Drive = Callable[[Pilot[int]], Awaitable[None]]


def keys(*pressed: str) -> Drive:
    async def run(pilot: Pilot[int]) -> None:
        await pilot.press(*pressed)
        await pilot.pause()

    return run


def route(answers: dict[str, Any], *then: str) -> Drive:
    async def run(pilot: Pilot[int]) -> None:
        await answer_with_keys(pilot, answers)
        await pilot.press(*then)
        await pilot.pause()

    return run


FACTS_AFTER_SUSPECTS = ("suspects", "vehicles", "stay_anonymous", "how_known")

SCREENS: list[tuple[str, tuple[int, int], Drive | None]] = [
    ("first_question_typed", (80, 24), None),
    (
        "choice_question_with_why",
        (80, 24),
        keys(*"Motel on Route 9", "enter", "y", "f3"),
    ),
    # Cannot talk freely: who is calling, asked as yes/no; a "no" there is followed up.
    (
        "caller_cannot_speak_freely",
        (80, 24),
        keys(*"Motel", "enter", "n", "n", "n", "n", "n", "n"),
    ),
    (
        "someone_there_with_the_caller",
        (80, 24),
        keys(*"Motel", "enter", "n", "n", "n", "n", "n", "n", "n"),
    ),
    ("outcome_officer_by_danger_key", (80, 24), keys(*"Motel", "enter", "y", "y", "f2")),
    ("route_settled_panel", (80, 24), keys(*"Motel", "enter", "y", "y")),
    ("route_settled_outcome_by_f6", (80, 24), keys(*"Motel", "enter", "y", "y", "f6")),
    ("outcome_officer", (80, 24), route(ROUTES[0][1])),
    ("outcome_tip_line", (80, 24), route(ROUTES[1][1], "5")),
    ("outcome_hotline", (80, 24), route(ROUTES[2][1], "4", "5")),
    (
        "confirm_going_back",
        (80, 24),
        keys(*"Motel", "enter", "y", "n", "n", "n", "tab", "up", "up", "enter"),
    ),
    ("confirm_closing_with_open_steps", (80, 24), route(ROUTES[2][1], "c")),
    ("call_closed", (80, 24), route(ROUTES[2][1], "c", "y")),
    ("reference", (80, 24), keys("f1", "down")),
    ("question_in_spanish", (80, 24), keys(*"Motel", "enter", "y", "f4")),
    (
        "question_in_spanish_and_english",
        (80, 24),
        keys(*"Motel", "enter", "y", "n", "n", "n", "f4", "f4"),
    ),
    ("compact_60x20", (60, 20), keys(*"Motel", "enter", "y", "n")),
    # Don't know, declined and a note in the trail; the note dialog over the question.
    ("trail_with_no_answers_and_a_note", (80, 24), keys("f5", "f7", "f8", *"boss near", "enter")),
    ("note_dialog", (80, 24), keys(*"Motel", "enter", "y", "f8", *"caller whispers")),
    # After the danger-now key: back to the questions, the next one after dispatch.
    (
        "questions_after_danger_now",
        (80, 24),
        keys(*"Motel", "enter", "y", "n", "f2", "f6"),
    ),
    # A worker who got away: the question worded for them, in the past tense.
    (
        "question_worded_for_the_worker",
        (80, 24),
        keys(*"Motel", "enter", "y", "n", "n", "n", "n", "n", "2", "n", *"Bus stop", "enter"),
    ),
    # The caller hung up at the fifth question: the route for what is known, what to do next.
    ("caller_hung_up", (80, 24), keys(*"Motel", "enter", "y", "n", "n", "f10")),
    ("too_small_50x15", (50, 15), None),
    # Several persons: two recorded with ctrl+n, the third being typed (the field in view).
    (
        "several_persons",
        (80, 24),
        route(
            {k: v for k, v in ROUTES[0][1].items() if k not in FACTS_AFTER_SUSPECTS},
            *"Crew boss",
            "ctrl+n",
            *"Rent collector",
            "ctrl+n",
            *"Driv",
        ),
    ),
]


@pytest.mark.parametrize(("name", "size", "drive"), SCREENS, ids=[s[0] for s in SCREENS])
def test_screen(snap_compare: Any, name: str, size: tuple[int, int], drive: Drive | None) -> None:
    assert snap_compare(build_app(), terminal_size=size, run_before=drive)


def test_resume_screen(snap_compare: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.tui.test_records_in_console import crashed_call

    monkeypatch.setattr("trafficking_triage.records.store.new_call_id", lambda now: "260314-K7QM")
    crashed_call(tmp_path)
    app = build_app(data_dir=tmp_path)
    assert snap_compare(app, terminal_size=(80, 24))


def training_app(folder: Path, names: list[str]) -> Any:
    return build_app(training=True, scenarios=scenario_folder(folder, *names))


def test_training_picker(snap_compare: Any, tmp_path: Path) -> None:
    app = training_app(tmp_path, ["hotel_housekeeper", "wage_dispute", "whispering_victim"])
    assert snap_compare(app, terminal_size=(80, 24))


def test_training_call_and_debrief(snap_compare: Any, tmp_path: Path) -> None:
    assert snap_compare(training_app(tmp_path / "a", ["hotel_housekeeper"]), terminal_size=(80, 24))
    assert snap_compare(
        training_app(tmp_path / "b", ["boss_returns_mid_call"]),
        terminal_size=(80, 24),
        press=["f2", "c", "y"],
    )


def test_outcome_with_a_filled_agency_file(snap_compare: Any, tmp_path: Path) -> None:
    """At 80x24: the route, why, who to call and what to tell the caller in view."""
    from tests.tui.test_dispatch import AGENCY

    agency = tmp_path / "agency.yaml"
    agency.write_text(AGENCY)
    app = build_app(agency=agency, context={"incident": "26-1130"})
    assert snap_compare(app, terminal_size=(80, 24), run_before=route(ROUTES[0][1]))


@pytest.mark.parametrize("lang", ["en", "es+en"])
@pytest.mark.parametrize("outcome", ["officer", "tip_line", "hotline"])
def test_settled_panel_with_a_long_agency_file(
    snap_compare: Any, tmp_path: Path, outcome: str, lang: str
) -> None:
    """At 80x24 on each route, in English and in Spanish with English beneath: the numbers
    whole, the radio alert and the words for the caller wrapped, the question below."""
    from tests.tui.test_shift import LONG_SETTINGS, ROUTES, settled_answers

    agency = tmp_path / "agency.yaml"
    agency.write_text(LONG_SETTINGS)
    agency.chmod(0o600)
    app = build_app(agency=agency, lang=lang, context={"incident": "26-1130-0042"})
    answers = dict(settled_answers(ROUTES[outcome]))
    assert snap_compare(app, terminal_size=(80, 24), run_before=route(answers))
