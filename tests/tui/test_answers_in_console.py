"""At the console: don't-know and declined keys, a number as said, notes, yes/no mode by key,
and the danger-now key with the questions going on after it."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.conftest import known
from tests.tui.conftest import build_app
from tests.tui.test_calls import screen_text
from trafficking_triage.records import SqliteStore
from trafficking_triage.reports.export import markdown
from trafficking_triage.tui.screens.call_screen import CallScreen
from trafficking_triage.tui.screens.confirm_screen import ConfirmScreen
from trafficking_triage.tui.screens.note_screen import NoteScreen
from trafficking_triage.tui.screens.outcome_screen import OutcomeScreen
from trafficking_triage.tui.widgets.key_hints import KeyHints
from trafficking_triage.tui.widgets.trail import Trail


def trail_text(app: object) -> str:
    trail = app.screen.query_one(Trail)  # type: ignore[attr-defined]
    return "\n".join(str(trail.get_option_at_index(i).prompt) for i in range(trail.option_count))


async def test_dont_know_declined_a_rough_number_and_a_note_are_all_kept(tmp_path: Path) -> None:
    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f5")  # location: the caller does not know where they are
        await pilot.press("f7")  # can you talk freely: declines to say
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"[bold]boss[/bold] shouting", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        call = app.session.call
        assert call is not None
        said = [(g.question, g.answer, g.value, g.unanswered) for g in call.state.answers]
        assert said == [
            ("location", None, None, "unknown"),
            ("can_speak_freely", "unknown", None, "declined"),
        ]
        text = trail_text(app)
        assert "(does not know)" in text and "(declined to say)" in text
        assert "NOTE  [bold]boss[/bold] shouting" in text  # shown as typed, never as markup
        await pilot.press("f8", *"not added", "escape")  # Escape leaves without a note
        await pilot.pause()
        assert call.state.notes == ["[bold]boss[/bold] shouting"]
        assert app.session.recorder is not None
        call_id = app.session.recorder.call_id
    exported = markdown(SqliteStore(tmp_path).row(known(call_id)), call)
    assert "-> (does not know)" in exported and "-> (declined to say)" in exported
    assert "note: [bold]boss[/bold] shouting" in exported


async def test_a_number_question_keeps_the_words_as_typed() -> None:
    from tests.tui.conftest import answer_with_keys
    from tests.unit.test_shipped_protocol import call as answers_for

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        answers = answers_for("witness_specific")
        await answer_with_keys(pilot, {q: a for q, a in answers.items() if q != "people_count"})
        call = app.session.call
        assert call is not None and call.state.prompt is not None
        assert call.state.prompt.question == "people_count"
        await pilot.press(*"about 8-10", "enter")
        await pilot.pause()
        assert call.facts()["people"] == "about 8-10"


async def test_f9_switches_yes_no_mode_on_and_off_and_it_is_recorded() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # Can talk; no danger, no one hurt, no weapon, no one held, no callback: who is calling.
        await pilot.press(*"Motel", "enter", "y", "n", "n", "n", "n", "n", "f9")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.yes_no_only()
        assert "YES/NO ONLY" in str(app.screen.query_one("#header").render())
        words = str(app.screen.query_one("#question-words", Static).render())
        assert "Are you the one who needs help?" in words  # caller_type's yes/no form
        await pilot.press("f9")
        await pilot.pause()
        assert not call.yes_no_only()
        assert [e.kind for e in call.events].count("yes_no_switched") == 2


async def test_danger_now_then_the_questions_go_on_and_the_call_closes(tmp_path: Path) -> None:
    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "n", "f2")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen) and app.screen.by_f2
        assert "the danger-now key (F2) was pressed" in screen_text(app)
        await pilot.press("f6")  # go on with the questions, after dispatch
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        call = app.session.call
        assert call is not None and call.state.prompt is not None
        assert call.state.prompt.question == "weapons"
        assert "ROUTE SETTLED: OFFICER" in str(app.screen.query_one("#settled", Static).render())
        await pilot.press("y")  # a weapon: recorded after dispatch
        await pilot.pause()
        await pilot.press("f6", "c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "questions left to ask" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert call.state.closed is not None
        route = call.state.route
        assert route is not None and route.outcome == "officer" and route.escalated
    (row,) = SqliteStore(tmp_path).rows()
    events = SqliteStore(tmp_path).events(row.id)
    kinds = [e.kind for e in events]
    assert kinds.index("escalated") < kinds.index("questioning_ended") < kinds.index("call_closed")
    text = markdown(row, call)
    assert "Does anyone there have a weapon? -> Yes [after dispatch]" in text


async def test_escape_right_after_danger_now_takes_it_back() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "n", "f2")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        call = app.session.call
        assert call is not None and call.state.escalated is None
        assert call.state.prompt is not None and call.state.prompt.question == "weapons"


async def test_the_danger_now_key_leads_the_key_line_and_is_never_cut() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y")  # settled: the ROUTE key joins the line
        await pilot.pause()
        first = str(app.screen.query_one(KeyHints).render()).splitlines()[0]
        assert first.startswith(" f2 DANGER NOW") and "…" not in first
        lines = str(app.screen.query_one(KeyHints).render())
        for key in ("f5 Don't know", "f7 Declined", "f8 Note", "f9 Yes/no", "f6 ROUTE"):
            assert key in lines


async def test_f4_over_a_question_asked_first_leaves_the_question_up() -> None:
    """F4 while "go back and change this answer?" is asked once took the question down, and
    the `y` meant for it answered the call's question instead."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "n", "tab", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("f4", "n")
        await pilot.pause()
        call = app.session.call
        assert call is not None and [g.answer or g.value for g in call.state.answers] == [
            "Motel",
            "yes",
            "no",
            "no",
        ]
        assert isinstance(app.screen, CallScreen)  # "n" answered the dialog: nothing changed


async def test_back_after_ending_the_questions_returns_to_them_with_every_answer() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y", "f6", "e", "y")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.route is not None
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert [g.question for g in call.state.answers] == [
            "location",
            "can_speak_freely",
            "danger_now",
        ]
        assert call.state.prompt is not None and call.state.prompt.question == "injured"


async def test_danger_now_from_the_note_dialog_keeps_the_note_and_over_a_question_too() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "f8", *"two men at the door", "f2")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.escalated is not None
        assert call.state.notes == ["two men at the door"]
        assert isinstance(app.screen, OutcomeScreen)
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "tab", "up", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("f2")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.escalated is not None
        assert isinstance(app.screen, OutcomeScreen)
        assert [g.question for g in call.state.answers] == [
            "location",
            "can_speak_freely",
            "danger_now",
        ]


async def test_escape_on_the_questions_after_danger_now_goes_to_the_previous_question() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "f2", "f6", "escape")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.escalated is not None  # still dispatched
        assert isinstance(app.screen, CallScreen)
        assert call.state.prompt is not None and call.state.prompt.question == "danger_now"
        assert [g.question for g in call.state.answers] == ["location", "can_speak_freely"]


async def test_escape_right_after_danger_now_on_a_route_screen_opened_by_f6() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # Danger now: settled.
        await pilot.press(*"Motel", "enter", "y", "y", "f6")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen) and app.screen.by_f6
        await pilot.press("f2", "escape")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.escalated is None
        await pilot.press("escape")  # now nothing to take back: to the questions
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert len(call.state.answers) == 3


async def test_escape_on_a_route_screen_opened_by_f6_never_takes_back_an_earlier_f2() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "f2")  # F2 at the weapons question
        await pilot.pause()
        await pilot.press("f6")  # on with the questions
        await pilot.pause()
        await pilot.press("f6")  # the route again
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen) and app.screen.by_f6
        await pilot.press("escape")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.escalated is not None  # still dispatched
        assert isinstance(app.screen, CallScreen)


async def test_the_timers_firing_as_the_console_ends_do_nothing() -> None:
    """The clock (each second) and a records notice (the store check) may fire after the last
    screen is gone, as the console quits: they find no screen and do nothing, never a crash."""
    from trafficking_triage.console import Notice
    from trafficking_triage.tui.notices import show

    app = build_app()
    async with app.run_test(size=(80, 24)):
        pass
    assert app.screen_stack == []
    app.show_time()
    show(app, Notice("Call records are being written again.", "Call records"))
