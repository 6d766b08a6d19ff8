"""Several persons and vehicles: each one the caller describes is recorded as it is given
(ctrl+n), the question stays for the next, and Enter gives the last one (or, on an empty
field, says there are no more)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.unit.test_shipped_protocol import call as answers_for
from trafficking_triage.engine import Call, CallError
from trafficking_triage.engine.events import EVENT, EntryAdded, QuestionAnswered
from trafficking_triage.protocol import FileProblems, LoadedProtocol, load_protocol
from trafficking_triage.protocol.texts import NO_MORE_WORDS
from trafficking_triage.reports.export import narrative, timeline

BEFORE = dict(answers_for("victim_inside", threats="yes"))
for _fact in ("vehicles", "stay_anonymous", "how_known"):
    del BEFORE[_fact]


def at(shipped: LoadedProtocol, question: str = "suspects") -> Call:
    """A call answered as far as `question` (the facts after dispatch)."""
    call = Call.start(shipped.protocol, shipped.sha256)
    while call.state.prompt is not None and call.state.prompt.question != question:
        call.answer(str(BEFORE[call.state.prompt.question]))
    assert call.state.prompt is not None and call.state.prompt.several
    return call


def test_each_person_is_recorded_as_given_and_the_last_comes_with_enter(
    shipped: LoadedProtocol,
) -> None:
    call = at(shipped)
    call.add_entry("  Crew boss, about 40, tattoo ")
    call.add_entry("Woman who collects the rent")
    prompt = call.state.prompt
    assert prompt is not None and prompt.question == "suspects"  # stays for the next
    call.answer("Driver called Tito")
    assert call.state.prompt is not None and call.state.prompt.question == "vehicles"
    entries = [e.text for e in call.events if isinstance(e, EntryAdded)]
    assert entries == ["Crew boss, about 40, tattoo", "Woman who collects the rent"]
    assert call.facts()["suspects"] == (
        "Crew boss, about 40, tattoo; Woman who collects the rent; Driver called Tito"
    )


def test_enter_on_an_empty_field_after_entries_says_there_are_no_more(
    shipped: LoadedProtocol,
) -> None:
    call = at(shipped, "vehicles")
    with pytest.raises(CallError, match="empty"):
        call.answer("  ")  # nothing given yet: an empty answer is refused
    call.add_entry("White van, plate 7KD")
    call.add_entry("Grey pickup")
    call.answer("")
    last = [e for e in call.events if isinstance(e, QuestionAnswered)][-1]
    assert last.question == "vehicles" and last.value is None and last.answer is None
    assert call.facts()["vehicles"] == "White van, plate 7KD; Grey pickup"
    assert any(NO_MORE_WORDS in what for _when, what in timeline(call.protocol, call.events))


def test_entries_are_taken_only_where_the_protocol_allows_several(
    shipped: LoadedProtocol,
) -> None:
    call = Call.start(shipped.protocol, shipped.sha256)  # "Where are you?": one place
    with pytest.raises(CallError, match="not on screen taking several"):
        call.add_entry("Main St")
    call = at(shipped)
    with pytest.raises(CallError, match="empty"):
        call.add_entry("   ")
    assert not any(isinstance(e, EntryAdded) for e in call.events)


def test_going_back_never_lets_an_entry_fall(shipped: LoadedProtocol) -> None:
    call = at(shipped)
    call.add_entry("Crew boss")
    call.answer("Driver")
    call.back()  # to "who is in charge" again: the answer falls, the crew boss stays
    assert call.state.entries == {"suspects": ["Crew boss"]}
    assert call.facts()["suspects"] == "Crew boss"
    call.back("people_count")  # further back: what the caller described is still theirs
    call.answer("5")
    assert call.facts()["suspects"] == "Crew boss"
    assert call.state.entries == {"suspects": ["Crew boss"]}


def test_the_caller_not_knowing_more_keeps_those_given(shipped: LoadedProtocol) -> None:
    call = at(shipped)
    call.add_entry("Crew boss")
    call.not_answered("unknown")
    assert call.facts()["suspects"] == "Crew boss"


def test_entries_survive_the_record_and_replay_the_same(shipped: LoadedProtocol) -> None:
    call = at(shipped)
    call.add_entry("Crew boss")
    call.answer("Driver")
    stored = [EVENT.validate_json(json.dumps(e.model_dump(mode="json"))) for e in call.events]
    again, leftover, anomaly = Call.as_far_as_it_goes(shipped.protocol, stored)
    assert (leftover, anomaly) == ([], None)
    assert again.facts()["suspects"] == "Crew boss; Driver"
    entry = next(e for e in stored if isinstance(e, EntryAdded))
    assert entry.model_dump(mode="json")["kind"] == "entry_added"


def test_an_entry_out_of_place_in_a_record_is_said_not_folded(shipped: LoadedProtocol) -> None:
    call = at(shipped)
    call.add_entry("Crew boss")
    events = list(call.events)
    moved = events[-1]
    assert isinstance(moved, EntryAdded)
    events[-1] = moved.model_copy(update={"question": "location"})
    _again, leftover, anomaly = Call.as_far_as_it_goes(shipped.protocol, events)
    assert leftover == [events[-1]]
    assert anomaly is not None and "not on screen taking several" in anomaly


def test_the_narrative_and_the_timeline_give_each_one(shipped: LoadedProtocol) -> None:
    from trafficking_triage.records.api import CallRow

    call = at(shipped)
    call.add_entry("Crew boss")
    call.answer("Driver")
    said = [what for _when, what in timeline(call.protocol, call.events)]
    assert any(what.endswith("-> one of several: Crew boss") for what in said)
    assert any(what.endswith("-> Driver [after dispatch]") for what in said)
    started = call.state.started
    assert started is not None
    row = CallRow(
        id="c1",
        started_at=started.at,
        ended_at=None,
        status="open",
        route=None,
        protocol_id=started.protocol_id,
        protocol_version=started.protocol_version,
        protocol_sha256=started.protocol_sha256,
        console=None,
        dispatcher=None,
        context={},
        training=False,
    )
    assert "Crew boss; Driver" in " ".join(narrative(row, call).split())


def test_several_on_a_question_that_is_not_text_is_a_lint_problem(tmp_path: Path) -> None:
    text = Path(load_protocol(None).path).read_text(encoding="utf-8")
    marker = "    kind: number\n    fact: people\n"
    assert marker in text
    broken = tmp_path / "several.yaml"
    broken.write_text(text.replace(marker, marker + "    several: true\n"), encoding="utf-8")
    with pytest.raises(FileProblems) as raised:
        load_protocol(broken, "several.yaml")
    problems = [str(p) for p in raised.value.problems]
    assert any(
        "questions.people_count.several: only a text question takes several answers, not a "
        "number one [misplaced-key]" in p
        for p in problems
    ), problems


def test_the_session_says_why_an_entry_is_not_taken(shipped: LoadedProtocol) -> None:
    from trafficking_triage.console import ConsoleOptions, open_session

    session = open_session(ConsoleOptions(data_dir=None))
    session.start()
    refusal = session.add_entry("Main St")
    assert refusal is not None and "takes one answer" in refusal.message
    call = session.call
    assert call is not None
    while call.state.prompt is not None and call.state.prompt.question != "suspects":
        assert session.answer(str(BEFORE[call.state.prompt.question])) is None
    for nothing in ("", "  ", "nn"):
        refusal = session.add_entry(nothing)
        assert refusal is not None and "Type what the caller said" in refusal.message
    assert session.add_entry("Crew boss") is None
    assert call.state.entries == {"suspects": ["Crew boss"]}
    assert session.add_entry("Crew boss", question="location") is None  # meant elsewhere
    assert call.state.entries == {"suspects": ["Crew boss"]}
