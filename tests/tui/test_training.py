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
from trafficking_triage.records import SqliteStore
from trafficking_triage.training.debrief import debrief
from trafficking_triage.training.scenario import Scenario, load_scenario, scenario_problems
from trafficking_triage.tui.screens.debrief_screen import DebriefScreen
from trafficking_triage.tui.screens.scenario_picker_screen import ScenarioPickerScreen


def scenario(name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml", LOADED)


def test_every_shipped_scenario_reaches_its_route() -> None:
    found, problems = scenario_problems(SCENARIOS, LOADED)
    assert len(found) >= 10
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
    wrong = replay_answers(LOADED.protocol, {**answers, "location": "(does not know)"})
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
    assert SqliteStore(tmp_path).rows(training=None) == []  # not among real calls
    assert len(SqliteStore(tmp_path / "training").rows(training=True)) == 1


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


NEW_IN_PROTOCOL_2 = [
    "sex_trafficking_motel",
    "mixed_kitchen_and_bar",
    "minor_at_hotel",
    "hang_up_mid_call",
    "companion_interprets",
    "injured_roofer",
    "employer_stole_and_ran",
    "text_to_911",
    "mixteco_farmworker",
]


@pytest.mark.parametrize("name", NEW_IN_PROTOCOL_2)
async def test_each_new_scenario_taken_by_keys_reaches_its_route(name: str) -> None:
    """The trainee answers as the scripted caller says, by keys; the route settles on the one
    the scenario expects, with its indicators, and the route screen names it."""
    played = scenario(name)
    app = build_app(training=True, scenario=name)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        call = app.session.call
        assert call is not None
        assert call.yes_no_only() == played.yes_no_from_start
        replies = {q: r.answer for q, r in played.caller.replies.items()}
        if played.hangs_up_after is not None:  # nothing more is said after the line goes dead
            asked = [g.question for g in replay_answers(LOADED.protocol, replies).state.answers]
            replies = {q: replies[q] for q in asked[: asked.index(played.hangs_up_after) + 1]}
        await answer_with_keys(pilot, replies)
        await pilot.pause()
        assert call.dispatch_outcome() == played.expect.route
        found = {indicator for indicator, _ in call.indicators()}
        assert set(played.expect.indicators) <= found
        if call.state.prompt is not None:  # the questions go on after dispatch
            words = str(app.screen.query_one("#question-words", Static).render())
            caller_line = "CALLER:  (The line goes dead" if played.hangs_up_after else "CALLER:  "
            assert caller_line in words
            await pilot.press("f6")
            await pilot.pause()
        title = LOADED.protocol.outcomes[played.expect.route].title.upper()
        assert title in "\n".join(str(w.render()) for w in app.screen.query(Static))


@pytest.mark.parametrize("presenter", [False, True])
async def test_the_picker_keeps_the_route_from_the_trainee_unless_presenting(
    presenter: bool, tmp_path: Path
) -> None:
    folder = scenario_folder(tmp_path, "minor_at_hotel", "wage_dispute")
    app = build_app(training=True, scenarios=folder, presenter=presenter)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScenarioPickerScreen)
        text = str(app.screen.query_one("#picker-summary", Static).render())
        assert "looks about fifteen" in text  # the scene
        assert ("A good call:" in text) == presenter
        assert ("officer" in text) == presenter


async def test_train_offers_a_killed_training_call_and_says_it_is_training(tmp_path: Path) -> None:
    from tests.unit.test_session import killed_mid_call
    from trafficking_triage.tui.screens.resume_screen import ResumeScreen

    killed_mid_call(tmp_path, "wage_dispute")
    app = build_app(data_dir=tmp_path, training=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        text = str(app.screen.query_one("#resume Static", Static).render())
        assert "AN UNFINISHED TRAINING CALL WAS FOUND" in text and "Scenario: wage_dispute" in text
        await pilot.press("r")
        await pilot.pause()
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"
        assert "TRAINING" in str(app.screen.query_one("#header").render())
    dispatch = build_app(data_dir=tmp_path)
    async with dispatch.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not isinstance(dispatch.screen, ResumeScreen)


async def test_a_click_in_the_scenario_description_leaves_enter_to_the_list(
    tmp_path: Path,
) -> None:
    app = training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ScenarioPickerScreen)
        await pilot.click("#picker-summary")
        await pilot.pause()
        assert app.screen.focused is not None and app.screen.focused.id == "picker-list"
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.session.scenario is not None and app.session.scenario.id == "wage_dispute"
