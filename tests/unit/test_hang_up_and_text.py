"""A caller who hangs up before the route settles, and a text-to-911 call, on the shipped
protocol: the route for what is known, what to do next, and words for a texter."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import DATA
from trafficking_triage.engine import Call, CallError, replay_answers
from trafficking_triage.engine.summary import call_summary
from trafficking_triage.protocol import LoadedProtocol, load_protocol
from trafficking_triage.protocol.texts import local

ENTRY = {"location": "The laundromat on Canal Street", "can_speak_freely": "yes"}


def test_a_hang_up_at_the_fifth_question_is_a_welfare_check_at_the_place_given(
    shipped: LoadedProtocol,
) -> None:
    answers = {**ENTRY, "danger_now": "no", "injured": "no"}
    call = replay_answers(shipped.protocol, answers, hang_up_at="weapons")
    route = call.state.route
    assert route is not None and route.outcome == "officer" and call.hung_up()
    assert route.because.startswith("The caller hung up.")
    assert [reason.question for reason in route.deciding] == ["location"]
    ended = call.state.ended
    assert ended is not None and ended.hung_up and ended.left[0] == "weapons"
    summary = call_summary(shipped, call)
    assert summary["route"]["hung_up"] is True
    assert summary["route"]["next"].startswith("Send the officer to the place given")


def test_a_hang_up_with_no_place_known_goes_the_way_the_answers_give(
    shipped: LoadedProtocol,
) -> None:
    answers = {"location": "(does not know)", "can_speak_freely": "yes"}
    call = replay_answers(shipped.protocol, answers, hang_up_at="danger_now")
    assert call.state.route is not None and call.state.route.outcome == "hotline"
    outcome = shipped.protocol.outcomes["hotline"]
    assert outcome.if_hung_up is not None and "Call back only if" in outcome.if_hung_up


def test_a_caller_who_could_not_talk_and_hung_up_at_a_known_place_gets_an_officer(
    shipped: LoadedProtocol,
) -> None:
    """A witness who could not talk freely, so no victim call by who is calling: hung up,
    the place known, officers go for a welfare check."""
    answers = {
        **ENTRY,
        "can_speak_freely": "no",
        "danger_now": "no",
        "injured": "no",
        "weapons": "no",
        "held_now": "no",
        "callback_safe": "no",
        "caller_type": "no",
        "someone_with_you": "no",
    }
    call = replay_answers(shipped.protocol, answers, hang_up_at="minor_involved")
    assert call.state.route is not None and call.state.route.outcome == "officer"


def test_a_hang_up_keeps_the_danger_now_key_and_back_takes_it_back(
    shipped: LoadedProtocol,
) -> None:
    call = Call.start(shipped.protocol, shipped.sha256)
    for value in ["Motel", "yes", "no"]:
        call.answer(value)
    call.escalate()
    call.hang_up()
    assert call.state.route is not None and call.state.route.outcome == "officer"
    assert call.state.route.escalated
    call.back()  # the caller is still there after all: the questions go on where they were
    assert not call.hung_up()
    assert call.state.prompt is not None and call.state.prompt.question == "injured"
    assert [g.question for g in call.state.answers] == [
        "location",
        "can_speak_freely",
        "danger_now",
    ]
    assert Call(shipped.protocol, call.events).state == call.state
    call.hang_up()
    assert Call(shipped.protocol, call.events).state == call.state  # it replays
    with pytest.raises(CallError, match="no question to answer"):
        call.hang_up()


def test_a_protocol_with_no_hang_up_rule_says_so() -> None:
    minimal = load_protocol(DATA / "minimal.yaml", "minimal.yaml")
    call = Call.start(minimal.protocol, minimal.sha256)
    with pytest.raises(CallError, match="no rule for a caller who hangs up"):
        call.hang_up()


def test_a_text_call_is_yes_no_from_the_start_and_takes_typed_answers(
    shipped: LoadedProtocol,
) -> None:
    call = Call.start(shipped.protocol, shipped.sha256, text_call=True)
    assert call.yes_no_only() and call.text_call()
    prompt = call.state.prompt
    assert prompt is not None and prompt.question == "location" and not prompt.yes_no_form
    call.answer("ridgeline distribution upstairs")
    prompt = call.state.prompt
    assert prompt is not None and prompt.question == "can_speak_freely"
    for value in ["no", "no", "no", "no", "no", "no", "no"]:
        call.answer(value)  # ...who is calling, asked as yes/no: not the one who needs help
    prompt = call.state.prompt
    assert prompt is not None and prompt.question == "someone_with_you"
    assert call.facts()["location"] == "ridgeline distribution upstairs"
    assert call.state.skipped == []  # a texter types: nothing passed over


def test_a_text_call_to_the_hotline_offers_the_text_line_and_clearing_the_phone(
    shipped: LoadedProtocol,
) -> None:
    (case,) = [c for c in shipped.protocol.cases if c.text_call]
    call = replay_answers(shipped.protocol, case.answers, yes_no=True)
    assert call.state.route is not None and call.state.route.outcome == "hotline"
    words = [local(text, "en") for text in call.caller_words("hotline")]
    assert "text the National Human Trafficking Hotline at 233733" in words[0]
    assert "lock screen" in words[0] and "I am going to connect you" not in " ".join(words)
    assert words[1].startswith("The Hotline is not the police")  # then the worker's words
    # The same call by voice: only the words for a worker on the line, nothing about texts.
    voice = Call(
        shipped.protocol,
        [
            e.model_copy(update={"text_call": False}) if i == 0 else e
            for i, e in enumerate(call.events)
        ],
    )
    said = [local(text, "en") for text in voice.caller_words("hotline")]
    assert said == words[1:]


def test_a_survivor_is_never_told_help_is_on_the_way(shipped: LoadedProtocol) -> None:
    (case,) = [c for c in shipped.protocol.cases if "survivor" in c.name]
    call = replay_answers(shipped.protocol, case.answers)
    assert call.caller_kind() == "survivor"
    assert call.state.route is not None and call.state.route.outcome == "officer"
    words = " ".join(local(text, "en") for text in call.caller_words("officer"))
    assert "on the way" not in words and "may contact you" in words


def test_the_radio_alert_names_where_a_worker_who_got_away_is_now(
    shipped: LoadedProtocol,
) -> None:
    (case,) = [c for c in shipped.protocol.cases if "nanny" in c.name]
    call = replay_answers(shipped.protocol, case.answers)
    assert "worker_elsewhere" in call.additions()
    radio = shipped.protocol.additions["worker_elsewhere"].radio
    assert radio is not None
    line = radio.format_map(call.facts())
    assert "The bus shelter at Lakeview and 4th" in line and "18 Lakeview Court" in line
    step = next(item for item in call.checklist() if item.number == 6)
    assert "units to where the worker is now" in step.title


def test_records_say_the_caller_hung_up(shipped: LoadedProtocol) -> None:
    from trafficking_triage.reports.export import timeline

    answers = {**ENTRY, "danger_now": "no", "injured": "no"}
    call = replay_answers(shipped.protocol, answers, hang_up_at="weapons")
    said = [what for _when, what in timeline(shipped.protocol, call.events)]
    assert any(
        what.startswith("the caller hung up at 'weapons'; left unasked: weapons") for what in said
    )


def test_what_to_do_after_a_hang_up_names_only_facts_a_question_fills(tmp_path: Path) -> None:
    from trafficking_triage.protocol import FileProblems

    text = (Path(__file__).parents[2] / "protocol.yaml").read_text()
    assert "(safe: {callback_safe}; {callback})" in text
    path = tmp_path / "p.yaml"
    path.write_text(text.replace("(safe: {callback_safe}; {callback})", "({callbak})", 1))
    with pytest.raises(FileProblems) as caught:
        load_protocol(path, "p.yaml")
    (problem,) = caught.value.problems
    assert "outcomes.officer.if_hung_up: no fact called 'callbak'" in str(problem)
    assert "(did you mean 'callback'?)" in str(problem)
