"""Answers a caller can really give: "I don't know", "I'd rather not say", a number said
roughly; yes/no mode switched by the dispatcher; questions worded for the person on the line;
and the danger-now key with the questions going on after it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA, known
from trafficking_triage.engine import Call, CallError, Unanswered, replay_answers
from trafficking_triage.engine.events import QuestionAnswered
from trafficking_triage.protocol import FileProblems, LoadedProtocol, load_protocol
from trafficking_triage.protocol.texts import local


def start(loaded: LoadedProtocol) -> Call:
    return Call.start(loaded.protocol, loaded.sha256)


REACHED_BY = {
    "callback": {"callback_safe": "yes"},
    "someone_with_you": {"caller_type": "other"},
    "works_there": {"caller_type": "witness_specific"},
    "where_now": {"caller_type": "escaped_victim"},
    "stay_anonymous": {"caller_type": "witness_specific"},
    "how_known": {"caller_type": "witness_specific"},
}
"""Answers that lead to a question only some callers are asked."""


def to_question(loaded: LoadedProtocol, question: str, **answers: str) -> Call:
    """The shipped call, answered with `answers` (default: no to every yes/no question) until
    `question` is asked."""
    answers = {**REACHED_BY.get(question, {}), **answers}
    call = start(loaded)
    while call.state.prompt is not None and call.state.prompt.question != question:
        prompt = call.state.prompt
        given = answers.get(prompt.question)
        if given is None:
            given = "no" if prompt.choices else "4" if prompt.kind == "number" else "Main St"
            if prompt.question == "caller_type":
                given = "yes" if prompt.yes_no_form else "victim_inside"
        call.answer(given)
    return call


def last_answer(call: Call) -> QuestionAnswered:
    answers = [e for e in call.events if isinstance(e, QuestionAnswered)]
    return answers[-1]


@pytest.mark.parametrize("how", ["unknown", "declined"])
@pytest.mark.parametrize(
    ("question", "recorded"),
    [
        ("location", None),  # typed: no value at all
        ("danger_now", "unknown"),  # the question's own "Don't know" answer
        ("caller_type", "other"),  # no such answer: the protocol's if_unknown
        ("people_count", None),  # a number
    ],
)
def test_every_question_takes_does_not_know_and_declined_distinctly(
    shipped: LoadedProtocol, how: str, question: str, recorded: str | None
) -> None:
    call = to_question(shipped, question)
    call.not_answered(how)  # type: ignore[arg-type]
    event = last_answer(call)
    assert (event.question, event.answer, event.value, event.unanswered) == (
        question,
        recorded,
        None,
        how,
    )
    # The call went on: never stuck on a caller who does not say.
    assert call.state.prompt is None or call.state.prompt.question != question
    assert Call(shipped.protocol, call.events).state == call.state


def test_a_typed_fact_not_said_is_not_filled_in(shipped: LoadedProtocol) -> None:
    call = start(shipped)
    call.not_answered("declined")
    assert "location" not in call.facts()
    from trafficking_triage.reports.export import timeline

    assert timeline(shipped.protocol, call.events)[1][1].endswith("-> (declined to say)")


def test_a_yes_no_form_offers_dont_know_which_records_no_answer(shipped: LoadedProtocol) -> None:
    call = to_question(shipped, "people_count", can_speak_freely="no")
    prompt = call.state.prompt
    assert prompt is not None and prompt.yes_no_form
    assert [choice.id for choice in prompt.choices] == ["yes", "no", "unknown"]
    call.answer("unknown")
    event = last_answer(call)
    assert event.closed and event.unanswered == "unknown" and event.value is None


def test_the_dispatcher_switches_yes_no_mode_either_way(shipped: LoadedProtocol) -> None:
    call = to_question(shipped, "caller_type", can_speak_freely="yes")
    assert not call.yes_no_only()
    assert call.switch_yes_no() is True
    prompt = call.state.prompt
    assert prompt is not None and prompt.yes_no_form  # asked again, as yes/no
    assert local(prompt.text, "en") == "Are you the one who needs help?"
    assert call.switch_yes_no() is False
    prompt = call.state.prompt
    assert prompt is not None and not prompt.yes_no_form
    # Switched off after "cannot talk freely" set it: the dispatcher's word is the last.
    call = to_question(shipped, "free_to_leave", can_speak_freely="no")
    assert call.yes_no_only()
    call.switch_yes_no(False)
    assert not call.yes_no_only()
    assert [e.kind for e in call.events][-1] == "yes_no_switched"
    assert Call(shipped.protocol, call.events).state == call.state


def test_switching_yes_no_on_never_passes_over_the_question_on_screen(
    shipped: LoadedProtocol,
) -> None:
    """F9 on "where is this happening?" once passed the question over: the place typed so far
    was lost and the location never asked. The question on screen stays; later typed
    questions with no yes/no form are passed over."""
    call = start(shipped)
    call.switch_yes_no(True)
    assert call.state.prompt is not None and call.state.prompt.question == "location"
    call.switch_yes_no(False)
    call.switch_yes_no(True)
    call.answer("12 Main St")
    assert call.facts()["location"] == "12 Main St" and call.state.skipped == []
    while call.state.prompt is not None:
        call.answer("no" if call.state.prompt.kind == "choice" or call.yes_no_only() else "x")
    assert "language" in call.state.skipped and "location" not in call.state.skipped
    # Walked again after a back, the answered location is not counted as passed over.
    call.back()
    assert "location" not in call.state.skipped
    assert Call(shipped.protocol, call.events).state == call.state


def test_a_number_is_kept_as_said(shipped: LoadedProtocol) -> None:
    for said in ("8", "about 8", "8-10", "maybe 20 or more", "a dozen", "several"):
        call = to_question(shipped, "people_count", can_speak_freely="yes")
        call.answer(said)
        assert call.facts()["people"] == said
    call = to_question(shipped, "people_count", can_speak_freely="yes")
    with pytest.raises(CallError, match="empty answer"):
        call.answer("   ")


def test_questions_about_the_worker_are_worded_for_who_is_on_the_line(
    shipped: LoadedProtocol,
) -> None:
    def words(caller: str) -> str:
        call = to_question(shipped, "free_to_leave", caller_type=caller, can_speak_freely="yes")
        assert call.state.prompt is not None
        return local(call.state.prompt.text, "en")

    assert words("victim_inside") == "Can you leave or quit the job whenever you want?"
    about = "Could the worker leave or quit the job whenever they wanted?"
    assert words("witness_specific") == about
    past = "While you worked there, could you have quit whenever you wanted?"
    assert words("escaped_victim") == past  # a worker who got away: in the past tense
    assert words("survivor_past") == past
    assert words("helping_escaped") == about
    assert words("other") == about  # "something else": never "you, or the worker"
    call = to_question(shipped, "caller_type")
    call.not_answered("declined")  # screened as "other", and asked who is with them
    while call.state.prompt is not None and call.state.prompt.question != "free_to_leave":
        call.answer("yes")
    assert call.state.prompt is not None and local(call.state.prompt.text, "en") == about
    assert call.caller_kind() == "at_scene"
    # A witness who works there too is asked about themselves.
    call = to_question(
        shipped,
        "free_to_leave",
        caller_type="witness_specific",
        works_there="yes",
        can_speak_freely="yes",
    )
    assert call.caller_kind() == "worker"
    assert call.state.prompt is not None
    assert local(call.state.prompt.text, "en") == "Can you leave or quit the job whenever you want?"


def test_danger_now_then_questions_after_dispatch(shipped: LoadedProtocol) -> None:
    call = to_question(shipped, "weapons", danger_now="no")
    call.escalate()
    assert call.dispatch_outcome() == "officer" and call.state.route is None
    settled = call.state.settled
    assert settled is not None and settled.question == "weapons"
    call.answer("yes")  # weapons: asked after dispatch, recorded
    call.not_answered("unknown")
    assert [g.question for g in call.state.answers][-2:] == ["weapons", "held_now"]
    call.end_questioning()
    route = call.state.route
    assert route is not None and route.outcome == "officer" and route.escalated
    assert call.close().open_steps


def test_replay_with_danger_now_ends_at_the_officer(shipped: LoadedProtocol) -> None:
    answers = {"location": "Main St", "can_speak_freely": "yes"}
    call = replay_answers(shipped.protocol, answers, escalate_at="danger_now")
    assert call.state.route is not None and call.state.route.outcome == "officer"
    with pytest.raises(Unanswered):
        replay_answers(shipped.protocol, {})


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "p.yaml"
    path.write_text(text)
    return path


def problems(path: Path) -> list[str]:
    try:
        load_protocol(path, path.name)
    except FileProblems as error:
        return [str(p) for p in error.problems]
    return []


def test_the_lint_wants_a_way_on_for_no_answer_and_forms_for_both_callers(
    tmp_path: Path,
) -> None:
    text = (DATA / "minimal.yaml").read_text()
    assert '    if_unknown: "no"\n' in text
    found = problems(write(tmp_path, text.replace('    if_unknown: "no"\n', "")))
    assert found[0] == (
        "p.yaml:39:5: questions.free_to_leave: a caller who does not know, or will not say, has"
        " no way on from 'free_to_leave' (add an answer 'unknown', or name with 'if_unknown'"
        " the answer whose way such a caller goes) [no-unknown]"
    )
    about = text.replace('    if_unknown: "no"\n', '    if_unknown: "no"\n    about_worker: true\n')
    found = problems(write(tmp_path, about))
    assert any("is about the worker but has no 'for_worker'" in p for p in found)
    assert any("is about the worker but has no 'for_other'" in p for p in found)
    worded = about.replace(
        "    about_worker: true\n",
        "    about_worker: true\n    for_worker: {en: Can you leave?}\n"
        "    for_other: {en: Can the worker leave?}\n",
    )
    found = problems(write(tmp_path, worded))
    assert any("nothing says who is calling" in p for p in found)


def test_back_takes_back_the_last_thing_done_ending_the_questions_too(
    shipped: LoadedProtocol,
) -> None:
    """Back after `e` returns to the question the questions were ended on, with every answer
    kept (it once dropped the answer that settled the route); after F2 on that route, Back
    takes F2 back first and the questions stay ended."""
    call = to_question(shipped, "weapons", danger_now="yes")
    assert call.state.settled is not None and call.state.settled.outcome == "officer"
    asked = [g.question for g in call.state.answers]
    call.end_questioning()
    assert call.back_target() == "weapons"
    assert call.back() == []
    assert call.state.prompt is not None and call.state.prompt.question == "weapons"
    assert [g.question for g in call.state.answers] == asked
    # Ended on the tip-line route, then F2 on the reached route, then Back twice.
    call = to_question(
        shipped,
        "interpreter_needed",
        caller_type="general_concern",
        can_speak_freely="yes",
    )
    assert call.state.settled is not None and call.state.settled.outcome == "tip_line"
    call.end_questioning()
    call.escalate()
    assert call.state.route is not None and call.state.route.outcome == "officer"
    call.back()  # the danger-now key taken back: the ended route again, questions still ended
    assert call.state.route is not None and call.state.route.outcome == "tip_line"
    assert call.state.prompt is None
    call.back()  # the ending taken back
    assert call.state.prompt is not None and call.state.prompt.question == "interpreter_needed"
    assert Call(shipped.protocol, call.events).state == call.state


@pytest.mark.parametrize("how", ["abandoned", "interrupted"])
def test_a_call_left_after_danger_now_keeps_the_officer_route_on_replay(
    shipped: LoadedProtocol, how: str, tmp_path: Path
) -> None:
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder

    store = SqliteStore(tmp_path)
    recorder = Recorder(store, start(shipped))
    recorder.call.answer("Main St")
    recorder.call.escalate()
    recorder.call.close(how)  # type: ignore[arg-type]
    row = store.row(known(recorder.call_id))
    assert row.route == "officer"
    again = Call(shipped.protocol, store.events(known(recorder.call_id)))
    assert again.state.route is not None and again.state.route.outcome == "officer"


def test_no_answer_never_reads_as_an_answer(shipped: LoadedProtocol) -> None:
    call = to_question(shipped, "caller_type")
    call.not_answered("declined")
    assert "caller" not in call.facts()
    while call.state.prompt is not None:
        call.answer("no" if call.state.prompt.choices else "x")
    route = call.state.route
    assert route is not None
    said = [r for r in route.deciding if r.question == "caller_type"]
    assert all(r.unanswered == "declined" for r in said)


def test_decide_and_cases_can_say_the_caller_did_not_know_or_declined(
    shipped: LoadedProtocol,
) -> None:
    answers = {"location": "(does not know)", "can_speak_freely": "(declined to say)"}
    with pytest.raises(Unanswered) as stopped:
        replay_answers(shipped.protocol, answers)
    said = [(g.question, g.unanswered) for g in stopped.value.call.state.answers]
    assert said == [("location", "unknown"), ("can_speak_freely", "declined")]


@pytest.mark.parametrize("question", list(load_protocol().protocol.questions))
@pytest.mark.parametrize("how", ["unknown", "declined"])
def test_each_shipped_question_takes_no_answer_and_the_call_goes_on(
    shipped: LoadedProtocol, question: str, how: str
) -> None:
    call = to_question(shipped, question, can_speak_freely="yes")
    assert call.state.prompt is not None and call.state.prompt.question == question
    call.not_answered(how)  # type: ignore[arg-type]
    assert last_answer(call).unanswered == how
    assert call.state.prompt is None or call.state.prompt.question != question


def test_a_record_from_before_the_questions_went_on_after_danger_now_folds_as_it_did() -> None:
    """Written by the program before: the danger-now key ended the questions, and any Back
    took the key away. Such a record folds the same today (the route it had, and had not),
    with the protocol it was taken with."""
    from datetime import UTC, datetime

    from trafficking_triage.paths import earlier_protocol_paths

    shipped = load_protocol(earlier_protocol_paths()[0], for_records=True)
    from trafficking_triage.engine.events import CallStarted, Escalated, WentBack

    at = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
    started = CallStarted(
        at=at, protocol_id="p", protocol_version="1", protocol_sha256=shipped.sha256
    )
    answered = QuestionAnswered(at=at, question="location", value="Main St")
    pressed = Escalated(at=at, question="language")  # no questions_go_on: an old record
    call = Call(shipped.protocol, [started, answered, pressed])
    assert call.state.route is not None and call.state.route.outcome == "officer"
    assert call.state.prompt is None
    back = WentBack(at=at, to="location", dropped=["location"])
    call = Call(shipped.protocol, [started, answered, pressed, back])
    assert call.state.escalated is None and call.state.route is None
    assert call.state.prompt is not None and call.state.prompt.question == "location"


def test_replay_agrees_when_back_took_a_reached_route_away(
    shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The questions ended, the ending taken back, the call then left: the route written
    down is no longer the call's, and `records replay` says they agree."""
    from trafficking_triage.cli import main
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.records.recorder import Recorder

    store = SqliteStore(tmp_path)
    recorder = Recorder(store, start(shipped))
    for value in ["Main St", "yes", "yes"]:
        recorder.call.answer(value)
    recorder.call.end_questioning()
    recorder.call.back()
    recorder.call.close("abandoned")
    assert main(["--data-dir", str(tmp_path), "records", "replay", known(recorder.call_id)]) == 0
    assert "same route: none" in capsys.readouterr().out
