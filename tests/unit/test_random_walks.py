"""Any sequence of answers through the shipped protocol ends at an outcome, and soon."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trafficking_triage.engine import Call
from trafficking_triage.protocol import load_protocol

LOADED = load_protocol()
MAX_STEPS = len(LOADED.protocol.questions) + 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_random_walk_ends_at_an_outcome(data: st.DataObject) -> None:
    """Answers, don't-know and declined, back, the danger-now key and yes/no switches, in any
    order: the call always ends at an outcome, the danger-now key's once pressed, and folding
    its events again gives the same state."""
    call = Call.start(LOADED.protocol, LOADED.sha256)
    steps = 0
    actions = ["answer"] * 8 + ["back", "danger", "unknown", "declined", "switch"]
    while call.state.prompt is not None:
        steps += 1
        assert steps <= 4 * MAX_STEPS, "the walk did not end"
        prompt = call.state.prompt
        action = data.draw(st.sampled_from(actions))
        if action == "back" and call.state.answers:
            call.back()
        elif action == "danger":
            call.escalate()
        elif action in {"unknown", "declined"}:
            call.not_answered(action)  # type: ignore[arg-type]
        elif action == "switch":
            call.switch_yes_no()
        elif prompt.choices:
            call.answer(data.draw(st.sampled_from([c.id for c in prompt.choices])))
        elif prompt.kind == "number":
            call.answer(str(data.draw(st.integers(0, 500))))
        else:
            call.answer(data.draw(st.text(min_size=1, max_size=40).filter(str.strip)))
        assert Call(LOADED.protocol, call.events).state == call.state
    route = call.state.route
    assert route is not None and route.outcome in LOADED.protocol.outcomes
    if call.state.escalated is not None:
        assert route.outcome == LOADED.protocol.protocol.danger_outcome
    assert call.state.settled is not None and call.state.settled.outcome == route.outcome


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_ending_the_questions_back_and_danger_in_any_order_refold_the_same(
    data: st.DataObject,
) -> None:
    """The dispatcher's acts on a settled route (end the questions, the danger-now key, Back
    over either, a yes/no switch) in any order, then a close: the same state on replay, a
    route whenever the questions are over, and Back always able to undo what was done last."""
    call = Call.start(LOADED.protocol, LOADED.sha256)
    for _ in range(data.draw(st.integers(1, 30))):
        state = call.state
        options = ["back", "danger", "switch"]
        if state.prompt is not None:
            options += ["answer", "answer", "unknown"]
            if state.settled is not None:
                options += ["end", "end"]
        action = data.draw(st.sampled_from(options))
        if action == "back":
            if call.back_target() is not None or state.escalated is not None:
                call.back()
        elif action == "danger":
            call.escalate()
        elif action == "switch":
            if state.prompt is not None:
                call.switch_yes_no()
        elif action == "end":
            call.end_questioning()
        elif action == "unknown":
            call.not_answered("unknown")
        else:
            prompt = state.prompt
            assert prompt is not None
            if prompt.choices:
                call.answer(data.draw(st.sampled_from([c.id for c in prompt.choices])))
            else:
                call.answer("4" if prompt.kind == "number" else "words")
        assert (call.state.prompt is None) == (call.state.route is not None)
        assert Call(LOADED.protocol, call.events).state == call.state
    call.close()
    assert Call(LOADED.protocol, call.events).state == call.state
    if call.state.escalated is not None:
        route = call.state.route
        assert route is not None and route.outcome == LOADED.protocol.protocol.danger_outcome
