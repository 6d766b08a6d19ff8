"""The shipped protocol: it loads clean, and each kind of call reaches the right route."""

from __future__ import annotations

from typing import Any

import pytest

from trafficking_triage.engine import Call, CallError, check_cases, replay_answers
from trafficking_triage.protocol import LoadedProtocol

SAFE = {
    "location": "Motel on Route 9",
    "can_speak_freely": "yes",
    "danger_now": "no",
    "injured": "no",
    "weapons": "no",
    "held_now": "no",
    "callback_safe": "no",
}
NOTHING_FOUND = {
    "works_there": "no",
    "someone_with_you": "no",
    "minor_involved": "no",
    "controller_nearby": "no",
    "where_now": "Bus station on 5th Street",
    "free_to_leave": "yes",
    "own_documents": "yes",
    "threats": "no",
    "physical_harm": "no",
    "commercial_sex": "no",
    "owes_debt": "no",
    "job_as_promised": "yes",
    "speaks_for_them": "no",
    "paid_as_promised": "yes",
    "employer_housing": "no",
    "long_hours": "no",
}
FACTS = {
    "language": "English",
    "interpreter_needed": "no",
    "people_count": 3,
    "suspects": "Manager, about 50",
    "vehicles": "White van",
    "stay_anonymous": "no",
    "how_known": "I stayed there",
}


def call(caller: str, speak: str = "yes", **screening: str) -> dict[str, Any]:
    return {
        **SAFE,
        "caller_type": caller,
        "can_speak_freely": speak,
        **NOTHING_FOUND,
        **screening,
        **FACTS,
    }


NO_PLACE = {"location": "(does not know)"}

PATHS = [
    ("danger now", {**SAFE, "danger_now": "yes"}, "officer"),
    ("held or locked in now", {**call("general_concern"), "held_now": "yes"}, "officer"),
    ("escaped, papers taken", call("escaped_victim", own_documents="no"), "officer"),
    ("inside, threatened", call("victim_inside", threats="yes"), "officer"),
    ("inside, hit", call("victim_inside", physical_harm="yes"), "officer"),
    ("escaped, lied to", call("escaped_victim", job_as_promised="no"), "officer"),
    ("escaped, only long hours", call("escaped_victim", long_hours="yes"), "hotline"),
    ("wage dispute, nothing else", call("escaped_victim", paid_as_promised="no"), "hotline"),
    ("witness, exploitation only", call("witness_specific", employer_housing="yes"), "hotline"),
    ("witness with coercion", call("witness_specific", free_to_leave="no"), "tip_line"),
    ("witness, nothing found", call("witness_specific"), "hotline"),
    ("general worry with a sign", call("general_concern", owes_debt="yes"), "tip_line"),
    ("general worry, a sign, no place",
     {**call("general_concern", owes_debt="yes"), **NO_PLACE}, "hotline"),
    ("general worry, a child", call("general_concern", minor_involved="yes"), "officer"),
    ("witness, a child", call("witness_specific", minor_involved="yes"), "officer"),
    ("something else, a sign", call("other", own_documents="no"), "tip_line"),
    ("something else, with the worker",
     call("other", someone_with_you="yes", free_to_leave="unknown"), "officer"),
    ("something else, maybe with the worker",
     call("other", someone_with_you="unknown", own_documents="no"), "officer"),
    ("a witness who works there too",
     call("witness_specific", works_there="yes", free_to_leave="no"), "officer"),
    ("a relative the worker told", call("relayed", own_documents="no"), "officer"),
    ("a relative, nothing found", call("relayed"), "hotline"),
    ("a survivor, others still there", call("survivor_past", threats="yes"), "officer"),
    ("helping a worker who got away", call("helping_escaped", free_to_leave="unknown"), "officer"),
    ("witness, a weapon", {**call("witness_specific"), "weapons": "yes"}, "officer"),
    ("general worry, a weapon", {**call("general_concern"), "weapons": "yes"}, "officer"),
    ("someone injured", {**call("general_concern"), "injured": "yes"}, "officer"),
    ("an employer reporting a worker", call("employer_reporting"), "officer"),
    (
        "escaped, don't know to the plainest signs",
        call("escaped_victim", free_to_leave="unknown", threats="unknown", long_hours="yes"),
        "officer",
    ),
    ("escaped, declines to say",
     call("escaped_victim", own_documents="(declined to say)"), "officer"),
    ("wage dispute, the boss nearby",
     {**call("victim_inside", paid_as_promised="no"), "controller_nearby": "yes",
      "people_count": "yes"}, "hotline"),
    ("a minor in commercial sex",
     call("general_concern", minor_involved="yes", commercial_sex="yes"), "officer"),
    ("commercial sex, age not known",
     call("witness_specific", minor_involved="unknown", commercial_sex="yes"), "officer"),
    ("an adult made to do commercial sex, free to go",
     call("victim_inside", commercial_sex="yes"), "officer"),
    ("a witness to commercial sex", call("witness_specific", commercial_sex="yes"), "tip_line"),
    ("a caller who cannot talk freely reports a sign",
     {**call("no", speak="no", own_documents="no"), "people_count": "yes"}, "officer"),
]  # fmt: skip


def answered_as_given(call: Call, answers: dict[str, Any]) -> None:
    """Answer the call's questions from `answers` until none is left, as a dispatcher would:
    a question not in them (or asked another way here) is "don't know"; once the route has
    settled, a question not in them ends the answering."""
    while call.state.prompt is not None:
        question = call.state.prompt.question
        if question not in answers:
            if call.state.settled is not None:
                return
            call.not_answered("unknown")
            continue
        try:
            call.answer(str(answers[question]))
        except CallError:  # "(does not know)", or a path's answer asked another way here
            call.not_answered("unknown")


@pytest.mark.parametrize(("answers", "outcome"), [p[1:] for p in PATHS], ids=[p[0] for p in PATHS])
def test_path_reaches_outcome(
    shipped: LoadedProtocol, answers: dict[str, Any], outcome: str
) -> None:
    route = replay_answers(shipped.protocol, answers).state.route
    assert route is not None
    assert route.outcome == outcome


def test_every_outcome_has_a_path_here_and_a_case_in_the_file(shipped: LoadedProtocol) -> None:
    outcomes = set(shipped.protocol.outcomes)
    assert {p[2] for p in PATHS} == outcomes
    assert {case.expect for case in shipped.protocol.cases} == outcomes


def test_shipped_cases_pass(shipped: LoadedProtocol) -> None:
    assert check_cases(shipped.protocol) == []


def test_caller_who_cannot_speak_freely_gets_only_yes_no(shipped: LoadedProtocol) -> None:
    answers = {
        **call("yes", speak="no", threats="yes"),  # who is calling: asked as yes/no
        "people_count": "yes",
    }
    result = replay_answers(shipped.protocol, answers)
    assert result.state.route is not None and result.state.route.outcome == "officer"
    assert result.state.skipped == ["language", "suspects", "vehicles"]
    asked_after = result.state.answers[2:]
    assert all(
        given.yes_no_form or given.answer in {"yes", "no", "unknown"} for given in asked_after
    )
    assert result.facts()["people"] == "yes (asked as yes/no)"  # not a count


def test_a_whispering_caller_who_says_no_is_asked_whether_the_worker_is_with_them(
    shipped: LoadedProtocol,
) -> None:
    """No or don't know to "are you the one who needs help?" never makes the caller
    "something else": the follow-up asks whether the worker is there with them, and a yes or
    a don't know makes it a victim call on the first plain sign that is not clearly
    negative."""
    for said in ("no", "(does not know)"):
        answers = {
            **call(said, speak="no"),
            "someone_with_you": "unknown",
            "free_to_leave": "no",
            "people_count": "yes",
        }
        result = replay_answers(shipped.protocol, answers)
        asked = [given.question for given in result.state.answers]
        assert asked[asked.index("caller_type") + 1] == "someone_with_you"
        assert result.caller_kind() == "at_scene"
        settled = result.state.settled
        assert settled is not None and settled.outcome == "officer"
        assert settled.question == "free_to_leave"


def test_contacts_that_agencies_set_are_not_filled_in(shipped: LoadedProtocol) -> None:
    contacts = shipped.protocol.contacts
    assert contacts["hotline"].phone == "1-888-373-7888"
    assert contacts["hotline"].text_line == "233733"
    for name in ("tip_line", "poc"):
        assert contacts[name].agency_setting and contacts[name].phone is None


def test_every_question_has_why_and_a_known_source(shipped: LoadedProtocol) -> None:
    p = shipped.protocol
    assert len(p.steps) == 8
    for question in p.questions.values():
        assert question.why.strip() and question.source in p.sources


def test_a_witness_who_stays_anonymous_is_not_asked_who_they_are(
    shipped: LoadedProtocol,
) -> None:
    answers = {**call("witness_specific", free_to_leave="no"), "stay_anonymous": "yes"}
    result = replay_answers(shipped.protocol, answers)
    assert result.state.route is not None and result.state.route.outcome == "tip_line"
    asked = [given.question for given in result.state.answers]
    assert asked[-1] == "stay_anonymous"
    assert "how_known" not in asked
    # A worker is never asked how they know, nor whether to stay anonymous.
    victim = replay_answers(shipped.protocol, call("victim_inside", threats="yes"))
    asked = [given.question for given in victim.state.answers]
    assert "stay_anonymous" not in asked and "how_known" not in asked
    assert asked[-1] == "vehicles"


def test_callback_safety_is_asked_at_case_entry_of_every_caller(shipped: LoadedProtocol) -> None:
    for caller in ("victim_inside", "witness_specific", "general_concern", "employer_reporting"):
        asked = [g.question for g in replay_answers(shipped.protocol, call(caller)).state.answers]
        assert asked.index("callback_safe") < asked.index("caller_type"), caller


def test_a_caller_in_danger_is_asked_every_question_after_dispatch(
    shipped: LoadedProtocol,
) -> None:
    answers = {**call("victim_inside", threats="yes"), "danger_now": "yes"}
    result = replay_answers(shipped.protocol, answers)
    settled = result.state.settled
    assert settled is not None and settled.outcome == "officer" and settled.asked == 3
    asked = [given.question for given in result.state.answers]
    for later in (
        "can_speak_freely",
        "caller_type",
        "minor_involved",
        "controller_nearby",
        "free_to_leave",
        "people_count",
        "suspects",
        "vehicles",
        "callback_safe",
    ):
        assert later in asked


def test_an_escaped_worker_is_asked_in_the_past_and_where_they_are_now(
    shipped: LoadedProtocol,
) -> None:
    from trafficking_triage.engine import Call

    result = replay_answers(shipped.protocol, call("escaped_victim", own_documents="no"))
    assert result.caller_kind() == "escaped"
    assert result.words_for("free_to_leave")["en"].startswith("While you worked there, could")
    assert "the whole time" in result.words_for("own_documents")["en"]
    assert result.facts()["victim_location"] == "Bus station on 5th Street"
    assert "worker_elsewhere" in result.additions()
    assert isinstance(result, Call)


@pytest.mark.parametrize(
    ("answers", "brought", "title"),
    [
        ({**call("general_concern"), "injured": "yes"}, ["medical"], "+ medical help"),
        (
            call("witness_specific", minor_involved="yes"),
            ["child_protection"],
            "+ child protection",
        ),
        (call("general_concern"), [], None),
    ],
    ids=["injured", "a minor", "neither"],
)
def test_an_injury_or_a_minor_brings_help_along_with_the_route(
    shipped: LoadedProtocol, answers: dict[str, Any], brought: list[str], title: str | None
) -> None:
    result = replay_answers(shipped.protocol, answers)
    assert result.additions() == brought
    step = next(item for item in result.checklist() if item.number == 6)
    assert step.status == "to_do"
    assert (title in step.title) if title else step.title == "Radio alerts and notifications"
    contacts = [c for name in brought for c in shipped.protocol.additions[name].contacts]
    assert contacts == [{"medical": "ems"}.get(n, n) for n in brought]


def test_help_comes_as_soon_as_the_route_settles_not_at_the_end(
    shipped: LoadedProtocol,
) -> None:
    from trafficking_triage.engine import Call

    call = Call.start(shipped.protocol, shipped.sha256)
    for value in ["Motel on Route 9", "yes", "no", "yes"]:  # ...danger now: no; hurt: yes
        call.answer(value)
    assert call.state.route is None and call.dispatch_outcome() == "officer"
    assert call.state.prompt is not None and call.state.prompt.question == "weapons"
    assert call.additions() == ["medical"]
