"""The call session without a screen: whole calls, refusals as values, records trouble, and
calls left unfinished by a killed console, resumed or closed, with two consoles racing."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import textwrap
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import disk_full, known
from tests.unit.test_shipped_protocol import call as answers_for
from trafficking_triage.console import (
    CallSession,
    ConsoleError,
    ConsoleOptions,
    Notice,
    Refusal,
    Unfinished,
    open_session,
)
from trafficking_triage.engine import replay_answers
from trafficking_triage.protocol import LoadedProtocol
from trafficking_triage.records import SqliteStore

FROZEN = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)
SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def frozen() -> datetime:
    return FROZEN


def session_on(directory: Path | None, **options: object) -> CallSession:
    return open_session(ConsoleOptions(data_dir=directory, clock=frozen, **options))  # type: ignore[arg-type]


def take(session: CallSession, answers: dict[str, object]) -> None:
    """Answer each question asked, from `answers`, until one is not there."""
    call = session.call
    assert call is not None
    while call.state.prompt is not None and call.state.prompt.question in answers:
        assert session.answer(str(answers[call.state.prompt.question])) is None


ROUTES = {
    "officer": answers_for("victim_inside", threats="yes"),
    "tip_line": answers_for("witness_specific", free_to_leave="no"),
    "hotline": answers_for("general_concern"),
}


@pytest.mark.parametrize("route", ROUTES)
def test_a_step_the_route_does_not_take_is_never_ticked(route: str, tmp_path: Path) -> None:
    """A number key on a step shown "n/a" (officer to the scene on a tip call, say) is refused
    with the step named, and nothing is recorded; every step of the route still ticks."""
    session = session_on(tmp_path)
    call = session.start()
    take(session, ROUTES[route])
    items = call.checklist()
    outside = [item for item in items if item.status == "not_applicable"]
    assert outside  # each route leaves some steps out
    before = len(call.events)
    for item in outside:
        refused = session.toggle_step(item.number)
        assert refused is not None
        assert f"step {item.number} ({item.title}) is not on this call's route" in refused.message
    assert len(call.events) == before and not call.state.ticked
    route_steps = call.open_steps()
    for number in route_steps:
        assert session.toggle_step(number) is None
    assert route_steps and call.state.ticked == set(route_steps)
    session.end_console()


def test_a_step_ticked_before_the_route_took_it_off_may_be_ticked_again(tmp_path: Path) -> None:
    """Step 2 (officer to the scene) ticked while the route was open, then the call settles on
    the tip line: the tick stands, a press takes it back, and the next press ticks it again
    (it was done); a step never ticked on the call stays refused."""
    session = session_on(tmp_path)
    call = session.start()
    answers = ROUTES["tip_line"]
    take(session, {"location": answers["location"]})
    assert session.toggle_step(2) is None  # before the route is known: waiting, may be ticked
    take(session, answers)
    assert call.state.route is not None and call.state.route.outcome == "tip_line"
    assert 2 in call.state.ticked
    assert session.toggle_step(2) is None and 2 not in call.state.ticked  # taken back
    assert session.toggle_step(2) is None and 2 in call.state.ticked  # and done again
    outside = [i.number for i in call.checklist() if i.status == "not_applicable"]
    assert outside and session.toggle_step(outside[0]) is not None
    session.end_console()


@pytest.mark.parametrize("text", [False, True])
def test_the_walk_the_console_runs_covers_every_later_answer(text: bool, tmp_path: Path) -> None:
    """The console works the protocol out from where the call stands once it has its first
    answer (`preparation`, run in a thread): every later answer's settle check is then a
    look-up, a text-to-911 call's too."""
    from trafficking_triage.engine.reach import reach_for

    session = session_on(tmp_path, text_calls=text)
    call = session.start()
    assert session.preparation() is None  # not before the first answer
    take(session, {"location": "Maple St laundromat"})
    walk = session.preparation()
    assert walk is not None and session.preparation() is None  # once
    walk()
    reach = reach_for(session.protocol)
    walked = len(reach._outcomes)
    answers = ROUTES["tip_line"]
    while call.state.prompt is not None and call.state.prompt.question in answers:
        here = call.standing(reach)
        assert here is not None and here.text == text and here in reach._outcomes
        assert session.answer(str(answers[call.state.prompt.question])) is None
    assert len(reach._outcomes) == walked  # nothing left to work out after the walk
    session.end_console()


@pytest.mark.parametrize("route", ROUTES)
def test_a_whole_call_to_each_route_is_recorded(route: str, tmp_path: Path) -> None:
    session = session_on(tmp_path)
    changes: list[int] = []
    session.on_change = lambda: changes.append(1)
    call = session.start()
    take(session, ROUTES[route])
    assert call.state.route is not None and call.state.route.outcome == route
    expected = replay_answers(session.protocol, ROUTES[route])
    assert [(g.question, g.answer, g.value) for g in call.state.answers] == [
        (g.question, g.answer, g.value) for g in expected.state.answers
    ]
    for number in call.open_steps():
        assert session.toggle_step(number) is None
    assert session.close_call() is None
    assert session.recorder is None  # its lock let go as it closed
    actions = {"question_answered", "step_ticked", "call_closed"}
    assert len(changes) >= sum(e.kind in actions for e in call.events)  # told of every one
    session.end_console()
    store = SqliteStore(tmp_path)
    (row,) = store.rows()
    assert (row.status, row.route) == ("completed", route)
    assert [e.kind for e in store.events(row.id)] == [e.kind for e in call.events]


def test_refusals_come_back_as_values(tmp_path: Path) -> None:
    session = session_on(None)
    session.start()
    back = session.back()
    assert isinstance(back, Refusal) and "nothing to go back to" in back.message
    refused = session.answer("   ")
    assert isinstance(refused, Refusal) and "empty answer" in refused.message
    assert session.answer("Main St") is None
    assert session.answer("yes") is None
    wrong = session.answer("maybe")
    assert isinstance(wrong, Refusal) and "maybe" not in wrong.message  # never the caller's words
    empty_note = session.note(" ")
    assert isinstance(empty_note, Refusal)
    # An answer meant for a question no longer asked is dropped without a word.
    assert session.answer("no", question="location") is None
    assert session.call is not None and len(session.call.state.answers) == 2


def test_back_escalate_note_and_language(tmp_path: Path) -> None:
    session = session_on(None)
    call = session.start()
    take(
        session,
        {"location": "Main St", "can_speak_freely": "yes", "danger_now": "no", "injured": "no"},
    )
    assert session.would_drop("danger_now") == 1
    assert session.back("danger_now") is None
    assert [g.question for g in call.state.answers] == ["location", "can_speak_freely"]
    assert session.note("caller whispering") is None
    assert call.state.notes == ["caller whispering"]
    assert session.switch_language() == "es"
    assert session.switch_language() == "es+en"
    assert session.language == "es+en"  # the next call starts in it too
    assert session.escalate() is None
    assert call.state.escalated is not None and call.dispatch_outcome() == "officer"
    assert session.back() is None  # takes the danger-now key back
    assert call.state.escalated is None and call.state.route is None


def test_abandoning_keeps_the_call(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    session.start()
    take(session, {"location": "Main St"})
    session.close_abandoned()
    session.end_console()
    (row,) = SqliteStore(tmp_path).rows()
    assert row.status == "abandoned"


def test_records_trouble_is_told_once_and_the_recovery_too(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    told: list[Notice] = []
    session.on_notice = told.append
    session.start()
    store = session.store
    assert store is not None
    real_append = store.append

    def full(*args: object, **kwargs: object) -> None:
        raise disk_full()

    store.append = full  # type: ignore[method-assign]
    take(session, {"location": "Main St", "can_speak_freely": "yes", "danger_now": "no"})
    assert session.records_trouble == "the disk is full"
    assert [n.message.split(":")[0] for n in told] == ["NOT SAVED"]
    store.append = real_append  # type: ignore[method-assign]
    take(session, {"injured": "no"})
    assert session.records_trouble is None
    assert told[-1].message == "Call records are being written again."
    assert session.recorder is not None
    stored = SqliteStore(tmp_path).events(session.recorder.call_id)
    assert session.call is not None and len(stored) == len(session.call.events)


def test_saving_elsewhere_never_overwrites(tmp_path: Path) -> None:
    session = session_on(None)
    session.start()
    take(session, {"location": "Main St"})
    target = tmp_path / "call.json"
    saved = session.save_elsewhere(target)
    assert isinstance(saved, Notice)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    body = json.loads(target.read_text())
    assert [e["kind"] for e in body["events"]] == ["call_started", "question_answered"]
    again = session.save_elsewhere(target)
    assert isinstance(again, Refusal) and "exists already" in again.message
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "victim.json")
    through = session.save_elsewhere(link)
    assert isinstance(through, Refusal)
    assert not (tmp_path / "victim.json").exists()


def test_each_unsaved_call_gets_its_own_suggested_file() -> None:
    ticks = iter(datetime(2026, 3, 14, 9, 30, s, tzinfo=UTC) for s in range(0, 60))
    session = open_session(ConsoleOptions(clock=lambda: next(ticks)))
    session.start()
    first = session.save_suggestion()
    session.start()
    assert session.save_suggestion() != first


def test_the_narrative_is_written_owner_only_and_never_through_a_link(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    session.start()
    take(session, {"location": "Main St"})
    session.escalate()
    copied = session.narrative()
    assert not isinstance(copied, Refusal)
    assert "Main St" in copied.text
    assert session.recorder is not None
    path = tmp_path / "exports" / f"{session.recorder.call_id}.txt"
    assert path.read_text() == copied.text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.unlink()
    path.symlink_to(tmp_path / "planted.txt")
    refused = session.narrative()
    assert isinstance(refused, Refusal)
    assert not (tmp_path / "planted.txt").exists()


def test_no_narrative_without_a_record() -> None:
    session = session_on(None)
    session.start()
    assert isinstance(session.narrative(), Refusal)


KILLED_CONSOLE = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    from trafficking_triage.console import ConsoleOptions, open_session
    training = len(sys.argv) > 2
    options = ConsoleOptions(
        data_dir=Path(sys.argv[1]), console="c9", training=training,
        scenario=sys.argv[2] if training else None,
    )
    session = open_session(options)
    session.start()
    for value in os.environ["ANSWERS"].split("|"):
        session.answer(value)
    print(session.recorder.call_id, flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


FIVE_ANSWERS = ("Motel on Route 9", "yes", "no", "no", "no")


def killed_mid_call(
    directory: Path, scenario: str | None = None, answers: tuple[str, ...] = FIVE_ANSWERS
) -> str:
    """A console process killed (SIGKILL) with these answers recorded (five, by default): its
    call's id (a training call when a scenario is named)."""
    done = subprocess.run(
        [sys.executable, "-c", KILLED_CONSOLE, str(directory), *([scenario] if scenario else [])],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "TRAFFICKING_TRIAGE_AGENCY": str(directory / "absent.yaml"),
            "ANSWERS": "|".join(answers),
        },
    )
    assert done.returncode == -signal.SIGKILL, done.stderr
    return done.stdout.strip()


def test_a_call_whose_console_was_killed_resumes_where_it_stopped(tmp_path: Path) -> None:
    call_id = killed_mid_call(tmp_path)
    session = session_on(tmp_path)
    found = session.unfinished()
    assert found is not None and found.row.id == call_id
    assert (found.answered, found.not_resumable) == (5, None)
    assert found.where == (
        "Is anyone there being held or locked in, even only at night, or asking for help?"
    )
    assert session.resume(found) is None
    assert session.call is not None and session.recorder is not None
    assert session.recorder.call_id == call_id
    assert session.answer("no") is None
    assert len(SqliteStore(tmp_path).events(call_id)) == 7
    assert session_on(tmp_path).unfinished() is None  # held by this session now
    session.end_console()


def test_where_an_unfinished_call_stopped_is_worded_as_it_was_read_out(tmp_path: Path) -> None:
    """A witness was on the line: the question about the worker, as it was put to them."""
    # ...no one held, no callback, a witness who does not work there, no minor, not free
    screening = ("no", "no", "witness_specific", "no", "no", "no")
    call_id = killed_mid_call(tmp_path, answers=(*FIVE_ANSWERS, *screening))
    found = session_on(tmp_path).unfinished()
    assert found is not None and found.row.id == call_id
    assert found.where == "Does the worker keep their own passport or ID?"


def test_a_call_whose_console_was_killed_can_be_closed_as_interrupted(tmp_path: Path) -> None:
    call_id = killed_mid_call(tmp_path)
    session = session_on(tmp_path)
    found = session.unfinished()
    assert found is not None
    assert session.close_unfinished(found) is None
    store = SqliteStore(tmp_path)
    assert store.row(call_id).status == "interrupted"
    assert [e.kind for e in store.events(call_id)][-1] == "call_closed"
    assert session.unfinished() is None


def offered_to_two(tmp_path: Path) -> tuple[str, CallSession, Unfinished, CallSession, Unfinished]:
    """A console killed mid-call, and two consoles opened after it, both shown its call (as
    if each had read the list in the instant before the other held it)."""
    call_id = killed_mid_call(tmp_path)
    first, second = session_on(tmp_path), session_on(tmp_path)
    assert first.store is not None and second.store is not None
    [row] = first.store.unfinished()
    return (
        call_id,
        first,
        first._replayed(row, first.store.events(row.id)),
        second,
        second._replayed(row, second.store.events(row.id)),
    )


def test_an_orphan_is_offered_to_one_console_at_a_time(tmp_path: Path) -> None:
    """Held from the offer on: a console opened while the first decides is offered nothing,
    and is offered it once the first has let go of it (ended without choosing)."""
    call_id = killed_mid_call(tmp_path)
    first = session_on(tmp_path)
    found = first.unfinished()
    assert found is not None and found.row.id == call_id
    assert session_on(tmp_path).unfinished() is None
    first.end_console()
    again = session_on(tmp_path).unfinished()
    assert again is not None and again.row.id == call_id


def test_two_consoles_offered_one_call_resume_and_close_exactly_once(tmp_path: Path) -> None:
    call_id, first, found_first, second, found_second = offered_to_two(tmp_path)
    assert first.resume(found_first) is None
    lost = second.close_unfinished(found_second)
    assert isinstance(lost, Refusal) and "Another console has just taken" in lost.message
    assert SqliteStore(tmp_path).row(call_id).status == "open"
    first.close_abandoned()
    first.end_console()
    assert SqliteStore(tmp_path).row(call_id).status == "abandoned"


def test_a_console_that_resumes_a_call_closed_meanwhile_is_told(tmp_path: Path) -> None:
    call_id, first, found_first, second, found_second = offered_to_two(tmp_path)
    assert second.close_unfinished(found_second) is None
    lost = first.resume(found_first)
    assert isinstance(lost, Refusal) and "closed that call" in lost.message
    assert first.call is None
    events = SqliteStore(tmp_path).events(call_id)
    assert [e.kind for e in events].count("call_closed") == 1


def test_a_training_session_is_never_offered_a_real_call(tmp_path: Path) -> None:
    killed_mid_call(tmp_path)
    training = session_on(tmp_path, training=True, scenario="hotel_housekeeper")
    assert training.unfinished() is None
    assert training.scenario is not None and training.scenario.id == "hotel_housekeeper"


def test_options_that_cannot_open_a_console_say_why(shipped: LoadedProtocol) -> None:
    with pytest.raises(ConsoleError, match="--lang en\\+es: this protocol has en, es, es\\+en"):
        session_on(None, lang="en+es")
    with pytest.raises(ConsoleError, match="no scenario called 'nope'"):
        session_on(None, training=True, scenario="nope")


def test_a_killed_training_call_is_never_offered_to_the_dispatch_console(tmp_path: Path) -> None:
    """The trainer's console is killed mid-call (a browser tab closed, `serve` stopped): the
    dispatch floor's console on the same data directory never sees that call; the next
    training console offers it, with its scenario."""
    call_id = killed_mid_call(tmp_path, "hotel_housekeeper")
    assert SqliteStore(tmp_path).rows(training=None) == []  # nothing in the floor's store
    dispatch = session_on(tmp_path)
    assert dispatch.unfinished() is None
    dispatch.start()
    dispatch.answer("Main St")  # kept from its first answer
    assert dispatch.recorder is not None and dispatch.recorder.call_id != call_id
    training = session_on(tmp_path, training=True)  # no scenario named: the list
    found = training.unfinished()
    assert found is not None and found.row.id == call_id and found.row.training
    assert training.resume(found) is None
    assert training.scenario is not None and training.scenario.id == "hotel_housekeeper"
    assert training.caller_says("controller_nearby") == (
        training.scenario.caller.replies["controller_nearby"].say
    )
    dispatch.end_console()
    training.end_console()


def test_records_read_training_calls_only_when_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.cli import main

    training = session_on(tmp_path, training=True, scenario="hotel_housekeeper")
    training.start()
    training.answer("Bright Linen")
    assert training.recorder is not None
    call_id = training.recorder.call_id
    training.close_abandoned()
    training.end_console()
    assert main(["records", "list", "--data-dir", str(tmp_path)]) == 1  # the floor has no store
    assert "no call records in" in capsys.readouterr().err
    assert main(["records", "list", "--training", "--data-dir", str(tmp_path)]) == 0
    assert known(call_id) in capsys.readouterr().out
    assert main(["records", "show", known(call_id), "--training", "--data-dir", str(tmp_path)]) == 0
    assert main(["records", "show", known(call_id), "--data-dir", str(tmp_path)]) == 1


def test_records_list_filters_by_day_route_and_status_and_prints_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.cli import main

    for route, answers in ROUTES.items():
        session = session_on(tmp_path)
        session.start()
        take(session, answers)
        if route == "hotline":
            session.close_abandoned()
        else:
            assert session.close_call() is None
        session.end_console()
    base = ["records", "list", "--data-dir", str(tmp_path)]
    assert main([*base, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["training"] is False and len(listed["calls"]) == 3
    assert main([*base, "--json", "--route", "tip_line"]) == 0
    [only] = json.loads(capsys.readouterr().out)["calls"]
    assert only["route"] == "tip_line" and only["status"] == "completed"
    assert main([*base, "--json", "--status", "abandoned"]) == 0
    assert [c["status"] for c in json.loads(capsys.readouterr().out)["calls"]] == ["abandoned"]
    assert main([*base, "--since", "2026-03-14", "--until", "2026-03-14"]) == 0
    assert capsys.readouterr().out.count("2026-03-14") == 3  # the frozen clock's day
    assert main([*base, "--since", "2026-03-15"]) == 0
    assert capsys.readouterr().out == "no calls match\n"
    assert main([*base, "--route", "tip-line"]) == 0  # misspelt
    said = capsys.readouterr().out
    assert said.startswith("no call has route 'tip-line' (routes recorded: ") and "tip_line" in said
    with pytest.raises(SystemExit):
        main([*base, "--since", "14/03/2026"])
    assert "is not a day written YYYY-MM-DD" in capsys.readouterr().err


def test_a_fresh_training_console_offers_no_unfinished_call(tmp_path: Path) -> None:
    """`serve` starts each browser tab's console fresh: a trainee's closed tab is not offered
    to the next trainee."""
    killed_mid_call(tmp_path, "hotel_housekeeper")
    fresh = session_on(tmp_path, training=True, resume=False)
    assert fresh.unfinished() is None
    assert session_on(tmp_path, training=True).unfinished() is not None  # `train` offers it


@pytest.mark.parametrize(
    ("action", "kept"),
    [
        ("nothing", False),
        ("language", False),  # the display is the dispatcher's, not something said
        ("answer", True),
        ("note", True),
        ("danger_now", True),
        ("yes_no", True),
    ],
)
def test_a_call_is_kept_from_the_first_thing_said_or_done_on_it(
    tmp_path: Path, action: str, kept: bool
) -> None:
    session = session_on(tmp_path)
    session.start()
    acts = {
        "nothing": lambda: None,
        "language": session.switch_language,
        "answer": lambda: session.answer("Main St"),
        "note": lambda: session.note("a man shouting"),
        "danger_now": session.escalate,
        "yes_no": session.switch_yes_no,
    }
    acts[action]()
    session.close_abandoned()  # the dispatcher quits
    session.end_console()
    rows = SqliteStore(tmp_path).rows(training=None)
    if not kept:
        assert rows == []
        return
    [row] = rows
    assert row.status == "abandoned"
    kinds = [event.kind for event in SqliteStore(tmp_path).events(row.id)]
    assert kinds[0] == "call_started" and kinds[-1] == "call_closed"


def test_a_console_killed_before_anything_was_said_leaves_nothing_to_offer(
    tmp_path: Path,
) -> None:
    first = session_on(tmp_path)
    first.start()
    first.switch_language()
    # Killed here: no abandon, no shut. The next console finds nothing to resume.
    second = session_on(tmp_path)
    assert second.unfinished() is None
    assert SqliteStore(tmp_path).rows(training=None) == []
    # Once something is said, the call is kept from its first event, the language too.
    first.answer("Main St")
    assert first.recorder is not None
    kinds = [event.kind for event in SqliteStore(tmp_path).events(known(first.recorder.call_id))]
    assert kinds == ["call_started", "language_switched", "question_answered"]
    first.end_console()
    second.end_console()


def test_quitting_asks_only_when_the_call_has_something_in_it(tmp_path: Path) -> None:
    session = session_on(tmp_path)
    session.start()
    session.switch_language()
    assert session.quit_question() is None  # nothing said: nothing to close as abandoned
    session.answer("Main St")
    assert session.quit_question() == (
        "Quit with this call still open?",
        "It is closed as abandoned.",
    )
    session.end_console()
