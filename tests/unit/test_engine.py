"""The call engine: answers, back, danger-now, the checklist, and replaying events."""

from __future__ import annotations

import pytest

from trafficking_triage.engine import Call, CallError
from trafficking_triage.engine.events import EVENT
from trafficking_triage.protocol import LoadedProtocol


def start(loaded: LoadedProtocol) -> Call:
    return Call.start(loaded.protocol, loaded.sha256, console="c1")


def answer_all(call: Call, *values: str) -> None:
    for value in values:
        call.answer(value)


def test_a_call_starts_at_the_start_with_screening_in_progress(shipped: LoadedProtocol) -> None:
    call = start(shipped)
    assert call.state.prompt is not None and call.state.prompt.question == "location"
    statuses = {item.number: item.status for item in call.checklist()}
    assert statuses[1] == "in_progress"
    assert {statuses[n] for n in range(2, 9)} == {"waiting"}


def test_route_marks_the_steps_that_apply(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no", "Main St")
    assert call.state.route is not None and call.state.route.outcome == "officer"
    assert [item.status for item in call.checklist()] == ["done", "to_do", "not_applicable"]
    call.tick(2)
    assert call.open_steps() == []
    call.tick(2, done=False)
    assert call.close().open_steps == [2]


def test_route_carries_the_answers_that_decided_it(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no", "Main St")
    route = call.state.route
    assert route is not None
    assert route.because == "Coercion found."
    assert [(r.question, r.answer) for r in route.deciding] == [("free_to_leave", "no")]


def test_fall_through_route_names_what_was_checked(shipped: LoadedProtocol) -> None:
    from tests.unit.test_shipped_protocol import call as answers_for
    from trafficking_triage.engine import replay_answers

    route = replay_answers(shipped.protocol, answers_for("general_concern")).state.route
    assert route is not None and route.outcome == "hotline"
    assert ("caller_type", "general_concern") in [(r.question, r.answer) for r in route.deciding]


def test_back_drops_later_answers_but_keeps_the_events(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no", "Main St")
    assert call.would_drop("free_to_leave") == ["free_to_leave", "location"]
    dropped = call.back("free_to_leave")
    assert dropped == ["free_to_leave", "location"]
    assert call.state.answers == []
    assert call.state.route is None
    assert call.state.prompt is not None and call.state.prompt.question == "free_to_leave"
    assert call.indicators() == []
    kinds = [event.kind for event in call.events]
    assert kinds.count("question_answered") == 2
    assert kinds[-2:] == ["went_back", "route_unsettled"]  # it had settled on the first answer


def test_back_with_nothing_answered_is_refused(minimal: LoadedProtocol) -> None:
    with pytest.raises(CallError):
        start(minimal).back()


def test_danger_now_from_any_question_settles_on_officer_and_the_questions_go_on(
    minimal: LoadedProtocol,
) -> None:
    call = start(minimal)
    call.answer("yes")
    call.escalate()
    escalated = call.state.escalated
    assert escalated is not None and escalated.outcome == "officer" and escalated.escalated_at
    assert escalated.escalated_at == "location"
    assert call.state.settled is not None and call.state.settled.outcome == "officer"
    assert call.dispatch_outcome() == "officer" and call.state.route is None
    # The questions go on after dispatch; the route stays the danger-now key's.
    assert call.state.prompt is not None and call.state.prompt.question == "location"
    call.answer("Main St")
    route = call.state.route
    assert route is not None and route.outcome == "officer" and route.escalated
    # Back first drops the answer given after the key, then takes the key press back.
    call.back()
    assert call.state.escalated is not None and call.state.prompt is not None
    assert call.back() == []
    assert call.state.escalated is None
    assert call.state.settled is not None and call.state.settled.outcome == "hotline"
    assert call.state.prompt is not None and call.state.prompt.question == "location"
    assert [g.question for g in call.state.answers] == ["free_to_leave"]


def test_closing_right_after_danger_now_ends_the_questions_on_officer(
    minimal: LoadedProtocol,
) -> None:
    call = start(minimal)
    call.escalate()
    call.close()
    route = call.state.route
    assert route is not None and route.outcome == "officer" and route.escalated
    ended = [e for e in call.events if e.kind == "questioning_ended"]
    assert ended and ended[0].left == ["free_to_leave", "location"]


def test_danger_now_on_the_outcome_screen_overrides_the_route(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "yes", "Main St")
    assert call.state.route is not None and call.state.route.outcome == "hotline"
    call.escalate()
    assert call.state.route is not None and call.state.route.outcome == "officer"
    assert call.state.route.escalated_at is None


@pytest.mark.parametrize(
    ("value", "message"),
    [("maybe", "not one of the answers to 'free_to_leave'"), ("", "not one of the answers")],
)
def test_a_wrong_answer_id_is_refused(minimal: LoadedProtocol, value: str, message: str) -> None:
    call = start(minimal)
    with pytest.raises(CallError, match=message) as refused:
        call.answer(value)
    assert call.state.answers == []
    if value:
        assert value not in str(refused.value)  # what was typed may be the caller's words


def test_replaying_the_events_gives_the_same_state(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no")
    call.escalate()
    call.back()
    call.answer("Main St")
    call.tick(2)
    call.note("[bold]caller crying[/bold]")
    stored = [event.model_dump_json() for event in call.events]
    again = Call(minimal.protocol, [EVENT.validate_json(text) for text in stored])
    assert again.state == call.state
    assert again.checklist() == call.checklist()
    assert again.state.notes == ["[bold]caller crying[/bold]"]


def test_route_reached_is_written_down_once(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no", "Main St")
    reached = [e for e in call.events if e.kind == "route_reached"]
    assert len(reached) == 1 and reached[0].outcome == "officer"


def test_listeners_hear_every_event(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    heard: list[str] = []
    call.listeners.append(lambda event: heard.append(event.kind))
    answer_all(call, "no", "Main St")
    assert heard == [
        "question_answered",
        "route_settled",  # "not free to leave" decides it: no later answer can change it
        "question_answered",
        "route_reached",
    ]


def test_events_out_of_order_are_refused(minimal: LoadedProtocol) -> None:
    from trafficking_triage.engine.events import QuestionAnswered
    from trafficking_triage.engine.view import utc_now

    call = start(minimal)
    with pytest.raises(CallError, match="not the question being asked"):
        call.record(QuestionAnswered(at=utc_now(), question="location", value="x"))


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "question_answered", "question": "free_to_leave", "answer": "perhaps"},
        {"kind": "question_answered", "question": "free_to_leave", "value": "typed"},
        {"kind": "question_answered", "question": "location", "value": "Main St"},
        {"kind": "escalated", "question": "location"},
        {"kind": "went_back", "to": "location", "dropped": []},
        {"kind": "went_back", "to": "", "dropped": [], "undo_escalation": True},
        {"kind": "step_ticked", "step": 42},
    ],
)
def test_events_that_cannot_happen_are_refused_on_replay(
    minimal: LoadedProtocol, bad: dict[str, object]
) -> None:
    call = start(minimal)
    event = EVENT.validate_python({"at": "2026-03-14T09:30:00Z", **bad})
    with pytest.raises(CallError):
        Call(minimal.protocol, [*call.events, event])


def test_nothing_is_recorded_after_the_call_is_closed(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    call.answer("no")
    call.close()
    for action in (call.escalate, call.back, lambda: call.tick(1), lambda: call.note("x")):
        with pytest.raises(CallError, match="closed"):
            action()
    assert call.events[-1].kind == "call_closed"


def test_back_after_danger_on_the_outcome_restores_the_route(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "yes", "Main St")
    assert call.state.route is not None and call.state.route.outcome == "hotline"
    call.escalate()
    assert call.back() == []
    assert call.state.route is not None and call.state.route.outcome == "hotline"
    assert [g.question for g in call.state.answers] == ["free_to_leave", "location"]
    assert Call(minimal.protocol, call.events).state == call.state


def test_screening_is_left_open_when_danger_cuts_it_short(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    call.escalate()
    statuses = {item.number: item.status for item in call.checklist()}
    # The screening goes on after dispatch; the officer's steps are to do at once.
    assert statuses[1] == "in_progress" and statuses[2] == "to_do"
    assert call.close().open_steps == [1, 2]


def test_screening_step_can_be_unticked(minimal: LoadedProtocol) -> None:
    call = start(minimal)
    answer_all(call, "no", "Main St")
    assert call.checklist()[0].status == "done"
    call.tick(1, done=False)
    assert call.checklist()[0].status == "to_do"
