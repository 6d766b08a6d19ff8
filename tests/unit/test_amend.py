"""Changing one earlier answer keeps every later answer still asked on the new way: the
console gives them again, as the caller gave them, and asks only what the new way brings."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import known
from trafficking_triage.cli import main
from trafficking_triage.engine import Call
from trafficking_triage.engine.events import QuestionAnswered, WentBack
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import SqliteStore
from trafficking_triage.records.recorder import Recorder

FIRST = ["Main St", "yes", "no", "no", "no", "no"]  # place, talk, danger, hurt, weapon, held


def started(shipped: LoadedProtocol) -> Call:
    call = Call.start(shipped.protocol, shipped.sha256)
    for value in FIRST:
        call.answer(value)
    return call


def test_a_changed_answer_keeps_the_later_ones_and_asks_only_what_is_new(
    shipped: LoadedProtocol,
) -> None:
    call = started(shipped)
    on_screen = call.state.prompt
    assert on_screen is not None
    dropped = call.back("injured", amend=True)
    assert dropped == ["injured", "weapons", "held_now"]
    call.answer("yes")  # someone is hurt after all
    given = [(g.question, g.answer) for g in call.state.answers]
    assert given == [
        ("location", None),
        ("can_speak_freely", "yes"),
        ("danger_now", "no"),
        ("injured", "yes"),
        ("weapons", "no"),
        ("held_now", "no"),
    ]
    assert call.state.prompt is not None and call.state.prompt.question == on_screen.question
    kept = [e for e in call.events if isinstance(e, QuestionAnswered) and e.kept]
    assert [e.question for e in kept] == ["weapons", "held_now"]
    assert call.state.settled is not None  # someone hurt: the route settles, as answered
    back = next(e for e in call.events if isinstance(e, WentBack))
    assert back.amending and back.dropped == dropped


def test_a_change_that_asks_another_way_stops_at_the_first_question_asked_otherwise(
    shipped: LoadedProtocol,
) -> None:
    call = started(shipped)
    call.back("can_speak_freely", amend=True)
    call.answer("no")  # cannot talk freely: yes/no only from here
    prompt = call.state.prompt
    assert prompt is not None and call.yes_no_only()
    questions = [g.question for g in call.state.answers]
    # Kept while each is asked in the same form (yes/no questions stay yes/no); not past
    # the first asked another way, which the dispatcher asks again.
    for q in questions[2:]:
        assert any(
            e.kept for e in call.events if isinstance(e, QuestionAnswered) and e.question == q
        )
    assert prompt.question not in questions


def test_a_plain_back_still_lets_the_later_answers_fall(shipped: LoadedProtocol) -> None:
    call = started(shipped)
    call.back("injured")
    call.answer("no")
    assert [g.question for g in call.state.answers][-1] == "injured"
    assert not any(e.kept for e in call.events if isinstance(e, QuestionAnswered))


def test_an_amended_call_replays_to_the_same_state(shipped: LoadedProtocol) -> None:
    call = started(shipped)
    call.back("danger_now", amend=True)
    call.answer("no")
    again = Call(shipped.protocol, call.events)
    assert again.state.answers == call.state.answers
    assert again.state.prompt == call.state.prompt
    assert again.state.pending == call.state.pending


def test_the_review_says_what_was_changed_and_what_was_kept(
    shipped: LoadedProtocol, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = SqliteStore(tmp_path)
    call = Call.start(shipped.protocol, shipped.sha256)
    recorder = Recorder(store, call)
    for value in FIRST:
        call.answer(value)
    call.back("injured", amend=True)
    call.answer("yes")
    recorder.release()
    store.close()
    assert main(["--data-dir", str(tmp_path), "records", "review", known(recorder.call_id)]) == 0
    text = capsys.readouterr().out
    assert "to change the answer to: Is anyone hurt or in need of a doctor?" in text
    assert "Does anyone there have a weapon? -> No (kept when an earlier answer was changed" in text
    assert "dropped: Is anyone hurt or in need of a doctor? -> No" in text
