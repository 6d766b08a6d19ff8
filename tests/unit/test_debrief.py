"""The training debrief: its rubric as data, answers checked against the scripted caller,
time scored only for the right route, and time to dispatch."""

from __future__ import annotations

from pathlib import Path

import pytest

from trafficking_triage.engine import Call, replay_answers
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.protocol.problems import FileProblems
from trafficking_triage.training.debrief import Debrief, debrief
from trafficking_triage.training.rubric import Rubric, load_rubric
from trafficking_triage.training.scenario import Scenario, load_scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def scenario(shipped: LoadedProtocol, name: str) -> Scenario:
    return load_scenario(SCENARIOS / f"{name}.yaml", shipped)


def played(shipped: LoadedProtocol, name: str, **changed: str) -> tuple[Scenario, Call]:
    """The scenario's call answered as scripted (with `changed` answers), every step ticked."""
    chosen = scenario(shipped, name)
    answers = {q: r.answer for q, r in chosen.caller.replies.items()} | changed
    call = replay_answers(shipped.protocol, answers)
    for item in call.checklist():
        if item.status == "to_do":
            call.tick(item.number)
    return chosen, call


def line(result: Debrief, label: str) -> tuple[int, int, str]:
    found = next(line for line in result.lines if line.label == label)
    return found.points, found.out_of, found.detail


def test_a_call_taken_as_scripted_scores_full_marks(shipped: LoadedProtocol) -> None:
    chosen, call = played(shipped, "anonymous_tipster")
    result = debrief(chosen, call)
    assert result.score == 100, result.lines
    assert "right: Anonymous tip line (Crime Stoppers)" in line(result, "Route")[2]


def test_an_answer_recorded_otherwise_than_the_caller_said_is_flagged(
    shipped: LoadedProtocol,
) -> None:
    """The caller says "I couldn't tell you" about a weapon; the trainee records No."""
    chosen, call = played(shipped, "anonymous_tipster", weapons="no")
    points, out_of, detail = line(debrief(chosen, call), "As said")
    assert points < out_of
    assert '"Does anyone there have a weapon?": the caller said Don\'t know, recorded No' in detail


def test_a_wrong_route_scores_no_time_and_names_routes_by_title(shipped: LoadedProtocol) -> None:
    chosen, call = played(shipped, "hotel_housekeeper", location="(does not know)")
    result = debrief(chosen, call)
    points, _, detail = line(result, "Route")
    assert points == 0
    assert "reached National Human Trafficking Hotline" in detail
    assert "should go to Anonymous tip line (Crime Stoppers)" in detail
    assert "tip_line" not in detail and "hotline" not in detail
    for label in ("Time to route", "Time to dispatch"):
        assert line(result, label)[0] == 0
        assert line(result, label)[2] == "not scored: the route is wrong"


def test_time_to_dispatch_needs_a_step_of_the_route_ticked(shipped: LoadedProtocol) -> None:
    chosen = scenario(shipped, "threatened_nanny")
    answers = {q: r.answer for q, r in chosen.caller.replies.items()}
    call = replay_answers(shipped.protocol, answers)  # nothing ticked
    assert line(debrief(chosen, call), "Time to dispatch")[:3] == (
        0,
        5,
        "no step of the route ticked",
    )
    call.tick(2)
    assert line(debrief(chosen, call), "Time to dispatch")[0] == 5


def test_the_rubric_is_data_an_agency_can_weigh(shipped: LoadedProtocol, tmp_path: Path) -> None:
    chosen, call = played(shipped, "anonymous_tipster", weapons="no")
    (tmp_path / "rubric.yaml").write_text(
        "route: 50\nindicators: 10\nsafety_first: 10\nas_said: 20\nsteps: 0\n"
        "time_to_route: 5\ntime_to_dispatch: 5\n"
    )
    rubric = load_rubric(tmp_path)
    result = debrief(chosen, call, rubric)
    assert line(result, "Route")[:2] == (50, 50)
    assert line(result, "As said")[1] == 20
    assert load_rubric(tmp_path / "nowhere") == Rubric()  # no file: the defaults
    assert load_rubric(SCENARIOS) == Rubric()  # the shipped file says the defaults


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("route: 50\n", "the points add up to 110, not 100"),
        ("route: 40\nspeed: 5\n", "speed"),
    ],
)
def test_a_rubric_that_does_not_add_up_is_refused_with_its_line(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "rubric.yaml").write_text(text)
    with pytest.raises(FileProblems) as raised:
        load_rubric(tmp_path)
    shown = str(raised.value)
    assert "rubric.yaml:" in shown and message in shown


def test_records_list_training_shows_the_scenario_and_the_score(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.cli import main
    from trafficking_triage.console import ConsoleOptions, open_session

    session = open_session(
        ConsoleOptions(data_dir=tmp_path, training=True, scenario="anonymous_tipster")
    )
    session.start()
    assert session.scenario is not None
    replies = session.scenario.caller.replies
    while (call := session.call) is not None and call.state.prompt is not None:
        prompt = call.state.prompt.question
        if prompt not in replies:
            break
        assert session.answer(str(replies[prompt].answer)) is None
    assert session.call is not None and session.call.state.settled is not None
    assert session.close_call() is None
    session.end_console()
    assert main(["records", "list", "--training", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "SCENARIO" in out and "SCORE" in out
    assert "anonymous_tipster" in out and "/100" in out


def test_times_are_of_the_route_the_call_went_to_not_one_taken_back(
    shipped: LoadedProtocol,
) -> None:
    """Danger now: the officer route settles and its step 2 is ticked; the dispatcher goes
    back (a wrong key), and the call goes on to the tip line it should reach. The settle and
    the tick that were taken back are not the tip line's time to route or to dispatch."""
    chosen = scenario(shipped, "hotel_housekeeper")
    replies = {q: r.answer for q, r in chosen.caller.replies.items()}
    call = Call.start(shipped.protocol, shipped.sha256)
    call.answer(str(replies["location"]))
    call.answer(str(replies["can_speak_freely"]))
    call.answer("yes")  # danger now, by mistake: the officer route settles
    assert call.dispatch_outcome() == "officer"
    call.tick(2)
    call.back()  # the danger answer falls away
    while call.state.prompt is not None:
        call.answer(str(replies[call.state.prompt.question]))
    assert call.state.route is not None and call.state.route.outcome == "tip_line"
    result = debrief(chosen, call)
    assert line(result, "Time to dispatch")[2] == "no step of the route ticked"
    assert line(result, "Safety first")[0] == 10  # corrected, not asked out of order
    call.tick(3)
    assert line(debrief(chosen, call), "Time to dispatch")[0] == 5


def test_a_safety_answer_corrected_by_going_back_is_not_out_of_order(
    shipped: LoadedProtocol,
) -> None:
    chosen = scenario(shipped, "anonymous_tipster")
    replies = {q: r.answer for q, r in chosen.caller.replies.items()}
    call = Call.start(shipped.protocol, shipped.sha256)
    while call.state.prompt is not None and call.state.prompt.question != "free_to_leave":
        call.answer(str(replies[call.state.prompt.question]))
    call.back("weapons")  # the caller corrects the weapons answer
    while call.state.prompt is not None:
        call.answer(str(replies[call.state.prompt.question]))
    assert line(debrief(chosen, call), "Safety first")[:2] == (10, 10)


def test_a_training_call_resumes_only_where_its_scenario_is_loaded(tmp_path: Path) -> None:
    from tests.unit.test_session import killed_mid_call, session_on
    from trafficking_triage.console import Refusal

    killed_mid_call(tmp_path, "hotel_housekeeper")
    other = session_on(tmp_path, training=True, scenario="text_to_911")
    found = other.unfinished()
    assert found is not None and found.not_resumable is not None
    assert "hotel_housekeeper" in found.not_resumable
    refused = other.resume(found)
    assert isinstance(refused, Refusal) and other.scenario is not None
    assert other.scenario.id == "text_to_911"  # never played with another scenario's caller
    assert other.close_unfinished(found) is None  # it can still be closed as interrupted
    other.end_console()
