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
    call = Call.start(LOADED.protocol, LOADED.sha256)
    steps = 0
    while call.state.prompt is not None:
        steps += 1
        assert steps <= MAX_STEPS, "the walk did not end"
        prompt = call.state.prompt
        action = data.draw(st.sampled_from(["answer"] * 8 + ["back", "danger"]))
        if action == "back" and call.state.answers:
            call.back()
            steps -= 2
            continue
        if action == "danger":
            call.escalate()
            break
        if prompt.choices:
            call.answer(data.draw(st.sampled_from([c.id for c in prompt.choices])))
        elif prompt.kind == "number":
            call.answer(str(data.draw(st.integers(0, 500))))
        else:
            call.answer(data.draw(st.text(min_size=1, max_size=40).filter(str.strip)))
    route = call.state.route
    assert route is not None and route.outcome in LOADED.protocol.outcomes
    # The fold is deterministic: the same events give the same state.
    assert Call(LOADED.protocol, call.events).state == call.state
