"""The settled route, checked against brute force: for every prefix of every way through a
small protocol (written ones and generated ones), the outcomes `Call.reachable` gives are
exactly those some completion of the prefix ends at; and the latest question by which each
outcome settles is the worst over every complete way through."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import DATA
from trafficking_triage.engine import Call, Unanswered, replay_answers
from trafficking_triage.engine.events import Event
from trafficking_triage.engine.reach import Reach
from trafficking_triage.protocol import LoadedProtocol, load_protocol
from trafficking_triage.protocol.models import Protocol

NOT_SAID = "(does not know)"
"""The don't-know key: a way on from every question, which keeps yes/no mode as it was."""


NOT_SAID = "(does not know)"
"""The don't-know key: a way on from every question, which keeps yes/no mode as it was."""


def continue_with(protocol: Protocol, events: list[Event], value: str) -> Call:
    call = Call(protocol, events)
    if value == NOT_SAID:
        call.not_answered("unknown")
    else:
        call.answer(value)
    return call


def answers_offered(call: Call) -> list[str]:
    prompt = call.state.prompt
    assert prompt is not None
    offered = [choice.id for choice in prompt.choices]
    return (offered or ["3" if prompt.kind == "number" else "words"]) + [NOT_SAID]


def walks(protocol: Protocol) -> list[list[Call]]:
    """Every complete way through, as the call after each answer (brute force)."""
    done: list[list[Call]] = []
    pending = [[Call.start(protocol, "")]]
    while pending:
        path = pending.pop()
        call = path[-1]
        if call.state.route is not None:
            done.append(path)
            continue
        for value in answers_offered(call):
            pending.append([*path, continue_with(protocol, call.events, value)])
    return done


def brute_outcomes(
    paths: list[list[Call]],
) -> dict[tuple[tuple[str, str | None, str | None, str | None], ...], set[str]]:
    """For each prefix (its answers), the outcomes its completions end at."""
    found: dict[tuple[tuple[str, str | None, str | None, str | None], ...], set[str]] = {}
    for path in paths:
        outcome = path[-1].state.route.outcome  # type: ignore[union-attr]
        for call in path:
            key = tuple((g.question, g.answer, g.value, g.unanswered) for g in call.state.answers)
            found.setdefault(key, set()).add(outcome)
    return found


def check_against_brute_force(protocol: Protocol) -> None:
    paths = walks(protocol)
    expected = brute_outcomes(paths)
    worst: dict[str, int] = {}
    for path in paths:
        settled_at = None
        for call in path:
            key = tuple((g.question, g.answer, g.value, g.unanswered) for g in call.state.answers)
            assert call.reachable() == frozenset(expected[key]), key
            if settled_at is None and len(expected[key]) == 1:
                settled_at = len(call.state.answers)
            if settled_at is not None and call.state.answers:
                # Recorded on the answer that settled it (one outcome from the start: on the
                # first answer, as a call does not work this out before its first question).
                assert call.state.settled is not None
                assert call.state.settled.outcome in expected[key]
                assert call.state.settled.asked == max(settled_at, 1)
        outcome = path[-1].state.route.outcome  # type: ignore[union-attr]
        assert settled_at is not None
        worst[outcome] = max(worst.get(outcome, 0), settled_at)
    reach = Reach(protocol)
    for outcome in protocol.outcomes:
        assert reach.latest_settle(outcome) == worst.get(outcome), outcome


def test_the_minimal_protocol(minimal: LoadedProtocol) -> None:
    check_against_brute_force(minimal.protocol)


def test_a_protocol_with_every_kind_of_rule_and_yes_no_mode() -> None:
    check_against_brute_force(load_protocol(DATA / "settling.yaml", "settling.yaml").protocol)


def walk_to(protocol: Protocol, answers: dict[str, str], escalate_at: str | None = None) -> Call:
    """The call as far as `answers` take it."""
    try:
        return replay_answers(protocol, answers, escalate_at)
    except Unanswered as stop:
        return stop.call


def test_on_the_shipped_protocol_the_danger_answer_settles_at_once(
    shipped: LoadedProtocol,
) -> None:
    call = walk_to(
        shipped.protocol, {"location": "Main St", "can_speak_freely": "yes", "danger_now": "yes"}
    )
    assert call.state.settled is not None
    assert (call.state.settled.outcome, call.state.settled.asked) == ("officer", 3)
    assert call.state.settled.question == "danger_now"


def test_going_back_unsettles_and_it_settles_again(shipped: LoadedProtocol) -> None:
    call = walk_to(
        shipped.protocol, {"location": "Main St", "can_speak_freely": "yes", "danger_now": "yes"}
    )
    call.back("danger_now")
    assert call.state.settled is None and len(call.reachable()) == 3
    assert [e.kind for e in call.events][-2:] == ["went_back", "route_unsettled"]
    call.answer("yes")
    assert call.state.settled is not None and call.state.settled.outcome == "officer"


def test_the_danger_key_settles_on_the_danger_outcome_and_back_takes_it_back(
    shipped: LoadedProtocol,
) -> None:
    call = walk_to(
        shipped.protocol,
        {"location": "Main St", "can_speak_freely": "yes"},
        escalate_at="danger_now",
    )
    assert call.state.settled is not None
    assert (call.state.settled.outcome, call.state.settled.question) == ("officer", "danger_now")
    call.back()  # takes back the end of the questions (the replay ends them after the key)
    assert call.state.route is None and call.state.settled is not None
    call.back()  # then the key itself
    assert call.state.settled is None


def test_a_replayed_record_has_the_same_settling(shipped: LoadedProtocol) -> None:
    call = walk_to(shipped.protocol, {"location": "Main St", "danger_now": "yes"})
    again = Call(shipped.protocol, call.events)
    assert again.state.settled == call.state.settled


# -- generated protocols -----------------------------------------------------------------------
KINDS = ["force", "fraud", "coercion", "danger"]


@st.composite
def protocols(draw: st.DrawFn) -> Protocol:
    """A small protocol, valid by construction: questions in a line that may skip ahead,
    yes/no questions and three-answer ones with a yes/no form, typed ones with or without one,
    an answer that makes the call yes/no only, indicators of several kinds, and decisions at
    the end whose rules read answers, indicators and kinds."""
    count = draw(st.integers(2, 5))
    outcomes = ["a", "b", "c"][: draw(st.integers(2, 3))]
    decisions = ["d0", "d1"]
    indicators = {f"i{n}": {"kind": draw(st.sampled_from(KINDS))} for n in range(3)}
    names = [f"q{n}" for n in range(count)]
    questions: dict[str, Any] = {}
    for index, name in enumerate(names):
        later = names[index + 1 :] + decisions
        kind = draw(st.sampled_from(["yes_no", "three", "text", "text_closed"]))
        question: dict[str, Any] = {}
        if kind.startswith("text"):
            question = {"kind": "text", "fact": name, "next": draw(st.sampled_from(later))}
            if kind == "text_closed":
                question["closed"] = {"text": {"en": "Yes or no?"}}
        else:
            ids = ["yes", "no", "unknown"] if kind == "yes_no" else ["x", "y", "z"]
            question["answers"] = []
            for answer_id in ids:
                answer: dict[str, Any] = {
                    "id": answer_id,
                    "label": {"en": answer_id},
                    "next": draw(st.sampled_from(later)),
                }
                if draw(st.booleans()):
                    answer["indicator"] = draw(st.sampled_from(sorted(indicators)))
                if draw(st.integers(0, 5)) == 0:
                    answer["closed_mode"] = True
                question["answers"].append(answer)
            if kind == "three":
                question["closed"] = {"text": {"en": "Yes or no?"}, "yes": "x", "no": "y"}
                question["if_unknown"] = draw(st.sampled_from(ids))
        questions[name] = question

    def condition() -> dict[str, Any]:
        pick = draw(st.sampled_from(["answered", "given", "any_indicator", "any_indicator_kind"]))
        typed = [n for n in names if questions[n].get("kind") == "text"]
        if pick == "given" and typed:
            return {"given": [draw(st.sampled_from(typed))]}
        if pick == "given":
            pick = "answered"
        if pick == "answered":
            choices = [n for n in names if "answers" in questions[n]]
            if not choices:
                pick = "any_indicator"
            else:
                asked = draw(st.sampled_from(choices))
                ids = [a["id"] for a in questions[asked]["answers"]]
                picked = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
                return {"answered": {asked: picked}}
        if pick == "any_indicator":
            return {"any_indicator": [draw(st.sampled_from(sorted(indicators)))]}
        return {"any_indicator_kind": [draw(st.sampled_from(KINDS))]}

    decided: dict[str, Any] = {}
    for name in decisions:
        rules = [
            {"when": condition(), "goto": draw(st.sampled_from(outcomes)), "because": "r"}
            for _ in range(draw(st.integers(0, 2)))
        ]
        rules.append({"goto": draw(st.sampled_from(outcomes)), "because": "else"})
        decided[name] = {"why": "w", "source": "s", "rules": rules}
    return assembled(names[0], outcomes, indicators, questions, decided)


def assembled(
    start: str,
    outcomes: list[str],
    indicators: dict[str, dict[str, Any]],
    questions: dict[str, dict[str, Any]],
    decisions: dict[str, Any],
    **more: Any,
) -> Protocol:
    """A generated protocol's parts with the fields every one needs filled in."""
    return Protocol.model_validate(
        {
            "protocol": {
                "id": "generated",
                "version": "1",
                "title": "Generated",
                "languages": ["en"],
                "start": start,
                "danger_outcome": outcomes[0],
            },
            "sources": {"s": {"title": "Source"}},
            "steps": [{"number": 1, "title": "Screen", "text": "Ask.", "source": "s"}],
            "contacts": {},
            "indicators": {
                name: {"label": name, "description": "d", "source": "s", **fields}
                for name, fields in indicators.items()
            },
            "questions": {
                name: {"section": "screening", "text": {"en": name}, "why": "w", "source": "s", **q}
                for name, q in questions.items()
            },
            "decisions": decisions,
            "outcomes": {
                name: {
                    "title": name,
                    "summary": "s",
                    "contacts": [],
                    "steps": [1],
                    "tell_caller": {"en": "t"},
                    "source": "s",
                }
                for name in outcomes
            },
            **more,
        }
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(protocols())
def test_generated_protocols_against_brute_force(protocol: Protocol) -> None:
    check_against_brute_force(protocol)


def chain(size: int) -> Protocol:
    """`size` yes/no questions in a line, each "yes" a sign of coercion, then one decision."""
    questions = {
        f"q{n}": {
            "section": "screening",
            "text": {"en": f"Question {n}?"},
            "why": "w",
            "source": "s",
            "answers": [
                {"id": "yes", "label": {"en": "Yes"}, "indicator": "sign", "next": after},
                {"id": "no", "label": {"en": "No"}, "next": after},
            ],
        }
        for n, after in ((n, f"q{n + 1}" if n + 1 < size else "route") for n in range(size))
    }
    outcome = {"summary": "s", "contacts": [], "steps": [1], "tell_caller": {"en": "t"}}
    return Protocol.model_validate(
        {
            "protocol": {
                "id": "chain",
                "version": "1",
                "title": "Chain",
                "languages": ["en"],
                "start": "q0",
                "danger_outcome": "officer",
            },
            "sources": {"s": {"title": "Source"}},
            "steps": [{"number": 1, "title": "Screen", "text": "Ask.", "source": "s"}],
            "contacts": {},
            "indicators": {
                "sign": {"label": "Sign", "kind": "coercion", "description": "d", "source": "s"}
            },
            "questions": questions,
            "decisions": {
                "route": {
                    "why": "w",
                    "source": "s",
                    "rules": [
                        {"when": {"any_indicator": ["sign"]}, "goto": "officer", "because": "r"},
                        {"goto": "hotline", "because": "else"},
                    ],
                }
            },
            "outcomes": {
                "officer": {"title": "Officer", "source": "s", **outcome},
                "hotline": {"title": "Hotline", "source": "s", **outcome},
            },
        }
    )


@pytest.mark.parametrize("size", [1_000, 10_000])
def test_a_long_chain_finishes_with_each_state_worked_out_once(size: int) -> None:
    """No recursion limit: a 10,000-question chain is walked with a stack of its own. The
    officer route settles at the first "yes" (at the latest, on the last question); the
    Hotline only once the last question is answered "no"."""
    protocol = chain(size)
    reach = Reach(protocol)
    start = reach.state("q0", False, [])
    assert reach.outcomes(start) == {"officer", "hotline"}
    assert reach.latest_settle("officer") == size
    assert reach.latest_settle("hotline") == size
    after_yes = reach.state("q1", False, [("q0", "yes")])
    assert reach.outcomes(after_yes) == {"officer"}
    # Linear: each question seen with and without a sign (the first only without), the
    # decision both ways, and the two outcomes.
    assert len(reach._outcomes) == 2 * size + 3


def test_the_questions_can_be_ended_once_the_route_has_settled(shipped: LoadedProtocol) -> None:
    from trafficking_triage.engine import CallError

    call = walk_to(
        shipped.protocol, {"location": "Main St", "can_speak_freely": "yes", "danger_now": "no"}
    )
    with pytest.raises(CallError, match="has not settled"):
        call.end_questioning()
    call.back("danger_now")
    call.answer("yes")
    ended = call.end_questioning()
    assert ended.question == "injured"
    assert ended.left[:3] == ["injured", "weapons", "held_now"]
    assert "callback" in ended.left and "danger_now" not in ended.left
    assert call.state.route is not None and call.state.route.outcome == "officer"
    assert call.state.prompt is None
    again = Call(shipped.protocol, call.events)  # it replays
    assert again.state.route == call.state.route
    call.back()  # going back over it brings the questions back
    assert call.state.route is None and call.state.prompt is not None


def test_only_the_last_few_protocols_are_kept_worked_out() -> None:
    from trafficking_triage.engine import reach
    from trafficking_triage.protocol import load_protocol

    loaded = [load_protocol().protocol for _ in range(reach.KEEP + 2)]
    found = [reach.reach_for(protocol) for protocol in loaded]
    assert len(reach._CACHE) == reach.KEEP
    assert reach.reach_for(loaded[-1]) is found[-1]  # kept
    assert reach.reach_for(loaded[0]) is not found[0]  # let go, worked out again


def test_what_a_walk_keeps_changes_no_outcome_and_no_settle(shipped: LoadedProtocol) -> None:
    """Keeping of a walk only what the rules ahead can still tell apart (the default) gives
    the same latest settle for every outcome as keeping everything, in far fewer states."""
    kept = Reach(shipped.protocol)
    everything = Reach(shipped.protocol, project=False)
    for outcome in shipped.protocol.outcomes:
        assert kept.latest_settle(outcome) == everything.latest_settle(outcome)
    assert len(kept._outcomes) * 10 < len(everything._outcomes)


@pytest.mark.parametrize("order", ["as walked", "reversed", "shuffled"])
def test_the_settle_check_agrees_with_the_outcomes_at_every_state(
    shipped: LoadedProtocol, order: str
) -> None:
    """`Reach.settled` stops at a second outcome; for every state a full walk of the shipped
    protocol meets, asked in any order of a fresh walk (what it remembers on the way serves
    the next), it gives the one outcome `outcomes` gives, or None where there are more."""
    import random

    full = Reach(shipped.protocol)
    full.outcomes(full.state(shipped.protocol.protocol.start, False, []))
    states = list(full._outcomes)
    if order == "reversed":
        states.reverse()
    elif order == "shuffled":
        random.Random(7).shuffle(states)
    lazy = Reach(shipped.protocol)
    for state in states:
        outcomes = full._outcomes[state]
        assert lazy.settled(state) == (next(iter(outcomes)) if len(outcomes) == 1 else None)
    assert len(states) > 1000  # the whole protocol, every kind of state


def test_the_first_answer_is_checked_without_walking_the_whole_protocol(
    shipped: LoadedProtocol,
) -> None:
    """A call's first answer leaves most routes open: the check stops at the second outcome
    it meets instead of working out all of them (the console no longer needs the walk done
    before the first key)."""
    reach = Reach(shipped.protocol)
    after = reach.state("can_speak_freely", False, [("location", None)], ["location"])
    assert reach.settled(after) is None
    assert 0 < len(reach._outcomes) < 300
    whole = Reach(shipped.protocol)
    whole.outcomes(whole.state(shipped.protocol.protocol.start, False, []))
    assert len(whole._outcomes) > 5 * len(reach._outcomes)
