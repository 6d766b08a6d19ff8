"""What `validate` proves of every way through a protocol (engine.proofs), checked against
brute force: on generated protocols, every map of answers is walked, and each proof finds a
counterexample exactly when one of those walks is one."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.unit.test_reach import assembled
from trafficking_triage.engine import CallError, replay_answers
from trafficking_triage.engine.proofs import alarm_steps, prove
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.protocol.lint import plain_answer
from trafficking_triage.protocol.models import Protocol

BROKEN = Path(__file__).parent.parent / "data" / "broken"


def test_the_shipped_protocol_keeps_every_proof(shipped: LoadedProtocol) -> None:
    assert shipped.protocol.safety is not None
    assert prove(shipped.protocol) == []


def test_each_proof_fails_on_the_broken_fixture(capsys: pytest.CaptureFixture[str]) -> None:
    from trafficking_triage.cli import main

    assert main(["validate", str(BROKEN / "safety.yaml")]) == 1
    where = str(BROKEN / "safety.yaml")
    assert capsys.readouterr().err.splitlines() == [
        f"{where}:84:13: safety.alarming: turning 'threats' from 'no' to 'unknown' can move"
        " the call from 'officer' down to 'hotline': after location: (answered), caller: yes,"
        " free: no, then nothing more (a more alarming answer must never give a less"
        " protective route) [safety-alarm]",
        f"{where}:88:22: safety.on_the_line_route: a caller on the line who gave a plain sign"
        " that is not clearly negative ends on 'hotline', not 'officer': location: (answered),"
        " caller: yes, free: yes, threats: yes (route such a caller as a victim call)"
        " [safety-victim]",
        f"{where}:89:16: safety.known_place: a known place with a sign of coercion ends on"
        " 'hotline': location: (answered), caller: yes, free: yes, threats: yes (a known place"
        " and a sign of force, fraud or coercion is at least a credible tip) [safety-tip]",
        "3 problems found",
    ]


# -- generated protocols -----------------------------------------------------------------------
KINDS = ["coercion", "danger", "situation"]
OUTCOMES = ["officer", "tip_line", "hotline"]


@st.composite
def protocols(draw: st.DrawFn) -> Protocol:
    """A small protocol with a safety section: a typed place, a who-is-calling choice, then
    yes/no questions (an indicator on yes or on no) that may skip ahead, and decisions whose
    rules read answers, a typed answer given, indicators and kinds."""
    count = draw(st.integers(2, 4))
    names = [f"q{n}" for n in range(count)]
    decisions = ["d0", "d1"]
    indicators = {f"i{n}": draw(st.sampled_from(KINDS)) for n in range(3)}
    questions: dict[str, Any] = {
        "place": {"kind": "text", "fact": "place", "next": "who"},
        "who": {
            "answers": [
                {"id": key, "label": {"en": key}, "next": draw(st.sampled_from(names[:2]))}
                for key in ("me", "other", "unknown")
            ]
        },
    }
    for index, name in enumerate(names):
        later = names[index + 1 :] + decisions
        raising = draw(st.sampled_from(["yes", "no"]))
        answers = []
        for answer_id in ("yes", "no", "unknown"):
            answer: dict[str, Any] = {
                "id": answer_id,
                "label": {"en": answer_id},
                "next": draw(st.sampled_from(later)),
            }
            if answer_id == raising:
                answer["indicator"] = draw(st.sampled_from(sorted(indicators)))
            answers.append(answer)
        questions[name] = {"answers": answers}

    def condition() -> dict[str, Any]:
        pick = draw(st.sampled_from(["answered", "given", "any_indicator", "any_indicator_kind"]))
        if pick == "answered":
            asked = draw(st.sampled_from(["who", *names]))
            ids = [a["id"] for a in questions[asked]["answers"]]
            return {
                "answered": {
                    asked: draw(st.lists(st.sampled_from(ids), min_size=1, max_size=2, unique=True))
                }
            }
        if pick == "given":
            return {"given": ["place"]}
        if pick == "any_indicator":
            return {"any_indicator": [draw(st.sampled_from(sorted(indicators)))]}
        return {"any_indicator_kind": [draw(st.sampled_from(KINDS))]}

    decided: dict[str, Any] = {}
    for name in decisions:
        rules = []
        for _ in range(draw(st.integers(0, 3))):
            when = condition()
            if draw(st.booleans()):
                when.update({k: v for k, v in condition().items() if k not in when})
            rules.append({"when": when, "goto": draw(st.sampled_from(OUTCOMES)), "because": "r"})
        rules.append({"goto": draw(st.sampled_from(OUTCOMES)), "because": "else"})
        decided[name] = {"why": "w", "source": "s", "rules": rules}
    return assembled(
        "place",
        OUTCOMES,
        {name: {"kind": kind} for name, kind in indicators.items()},
        questions,
        decided,
        safety={
            "order": OUTCOMES,
            "alarming": ["coercion", "danger"],
            "on_the_line": [{"who": ["me"]}],
            "plain_signs": [
                n for n in names if plain_answer_of(questions[n]["answers"]) is not None
            ][:2],
            "on_the_line_route": "officer",
            "known_place": "place",
            "credible": ["coercion"],
        },
    )


def plain_answer_of(answers: list[dict[str, Any]]) -> str | None:
    raising = [a["id"] for a in answers if "indicator" in a and a["id"] in ("yes", "no")]
    return None if len(raising) != 1 else ("no" if raising == ["yes"] else "yes")


def every_map(protocol: Protocol) -> list[dict[str, str]]:
    """Every way the caller could answer every question (a place given or not known)."""
    options = {
        qid: ["a place", "(does not know)"]
        if question.kind != "choice"
        else [a.id for a in question.answers]
        for qid, question in protocol.questions.items()
    }
    keys = list(options)
    return [dict(zip(keys, values, strict=True)) for values in itertools.product(*options.values())]


def brute_force(protocol: Protocol) -> set[str]:
    """Which proofs some way through breaks, by walking every map of answers."""
    safety = protocol.safety
    assert safety is not None
    rank = {name: index for index, name in enumerate(safety.order)}
    routes: dict[tuple[tuple[str, str], ...], str] = {}
    broken: set[str] = set()
    for answers in every_map(protocol):
        try:
            call = replay_answers(protocol, answers)
        except CallError:
            continue
        assert call.state.route is not None
        route = call.state.route.outcome
        routes[tuple(sorted(answers.items()))] = route
        given = {g.question: g for g in call.state.answers}
        on_line = any(
            given.get(q) is not None and given[q].answer in ids
            for entry in safety.on_the_line
            for q, ids in entry.items()
        )
        sign = any(
            q in given and given[q].answer != plain_answer(protocol, q) for q in safety.plain_signs
        )
        if on_line and sign and route != safety.on_the_line_route:
            broken.add("safety-victim")
        kinds = {protocol.indicators[name].kind for name, _ in call.indicators()}
        place = given.get("place")
        known = place is not None and place.value is not None and place.unanswered is None
        if known and kinds & set(safety.credible) and route == safety.order[-1]:
            broken.add("safety-tip")
    for question, order in alarm_steps(protocol, safety).items():
        for lower, higher in itertools.pairwise(order):
            for key, route in routes.items():
                answers = dict(key)
                if answers[question] != lower:
                    continue
                other = routes.get(tuple(sorted({**answers, question: higher}.items())))
                if other is not None and rank[other] > rank[route]:
                    broken.add("safety-alarm")
    return broken


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(protocols())
def test_generated_protocols_against_brute_force(protocol: Protocol) -> None:
    found = {finding.rule for finding in prove(protocol)}
    assert found == brute_force(protocol)
