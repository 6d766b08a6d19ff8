"""Training calls: the scripted caller on screen, TRAINING throughout, the debrief and score."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.tui.conftest import (
    LOADED,
    SCENARIOS,
    answer_with_keys,
    answered,
    build_app,
    press_in_one_burst,
    scenario_folder,
)
from trafficking_triage.engine import replay_answers
from trafficking_triage.records import RecordStore
from trafficking_triage.training.debrief import debrief
from trafficking_triage.training.scenario import Scenario, load_scenario, scenario_problems
from trafficking_triage.tui.screens.debrief_screen import DebriefScreen
from trafficking_triage.tui.screens.scenario_picker_screen import ScenarioPickerScreen


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml", LOADED)


def test_every_shipped_scenario_reaches_its_route() -> None:
    count, problems = scenario_problems(SCENARIOS, LOADED)
    assert count >= 10
    assert problems == []


def test_a_perfect_call_scores_full_marks_and_a_wrong_route_loses_the_route_points() -> None:
    played = scenario("hotel_housekeeper")
    answers = {q: r.answer for q, r in played.caller.replies.items()}
    call = replay_answers(LOADED.protocol, answers)
    for item in call.checklist():
        if item.status == "to_do":
            call.tick(item.number)
    result = debrief(played, call)
    assert result.score == 100, result.lines
    wrong = replay_answers(LOADED.protocol, {**answers, "caller_type": "general_concern"})
    assert debrief(played, wrong).lines[0].points == 0


async def test_a_training_call_end_to_end(tmp_path: Path) -> None:
    played = scenario("hotel_housekeeper")
    app = build_app(data_dir=tmp_path, training=True, scenario="hotel_housekeeper")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#header").render())
        assert "TRAINING" in header
        words = str(app.screen.query_one("#question-words", Static).render())
        assert f"CALLER:  {played.caller.replies['location'].say}" in words
        await answer_with_keys(pilot, {q: r.answer for q, r in played.caller.replies.items()})
        await pilot.pause()
        assert "TRAINING" in str(app.screen.query_one("#header").render())
        await pilot.press("c", "y")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = str(app.screen.query_one("#debrief Static", Static).render())
        for label in ("Route", "Indicators", "Safety first", "Steps", "Time to route", "SCORE"):
            assert label in text
    store = RecordStore(tmp_path)
    assert store.rows() == []  # not among real calls
    assert len(store.rows(training=True)) == 1


async def test_train_without_a_scenario_offers_the_list(tmp_path: Path) -> None:
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScenarioPickerScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"


def training_app(folder: Path):  # type: ignore[no-untyped-def]
    """Training with two scenarios to pick from: the hotel housekeeper, then the wage dispute."""
    choices = scenario_folder(folder, "hotel_housekeeper", "wage_dispute")
    return build_app(training=True, scenarios=choices)


# The picker starts the call from a message its list posts (option selected), after the key
# itself: the keys behind Enter must wait for the call screen, not go to the closing picker.
@pytest.mark.parametrize("gap", [0.0, 0.002, 0.02])
async def test_keys_right_behind_picking_a_scenario_reach_the_call(
    gap: float, tmp_path: Path
) -> None:
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScenarioPickerScreen)
        await press_in_one_burst(pilot, "down", "enter", *"Main", "enter", gap=gap)
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"
        assert answered(app) == [("location", "Main")]


async def test_keys_sent_as_training_starts_pick_and_answer(tmp_path: Path) -> None:
    from textual import events

    app = training_app(tmp_path)
    for key in ["down", "enter", *"Main", "enter"]:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(20):
            await pilot.pause()
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"
        assert answered(app) == [("location", "Main")]


@pytest.mark.parametrize("gap", [0.0, 0.003])
async def test_keys_in_a_burst_from_a_debrief_to_the_next_scenario(
    gap: float, tmp_path: Path
) -> None:
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # the first scenario: the hotel housekeeper
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("c", "y")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await press_in_one_burst(pilot, "enter", "down", "enter", *"Elm", "enter", gap=gap)
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"
        assert answered(app) == [("location", "Elm")]


async def test_presenter_mode_shows_why_and_source() -> None:
    app = build_app(training=True, scenario="wage_dispute", presenter=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        words = str(app.screen.query_one("#question-words", Static).render())
        assert "why: " in words and "(source: " in words


@pytest.mark.parametrize("name", ["hotel_housekeeper"])
def test_debrief_names_missed_indicators(name: str) -> None:
    played = scenario(name)
    answers = {q: r.answer for q, r in played.caller.replies.items()}
    for question in ("own_documents", "employer_housing", "paid_as_promised", "long_hours"):
        if question in answers:
            answers[question] = "unknown"
    call = replay_answers(LOADED.protocol, answers)
    indicators = debrief(played, call).lines[1]
    assert indicators.points < indicators.out_of and "missed" in indicators.detail
