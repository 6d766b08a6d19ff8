"""Whole calls driven through the console with the keys a dispatcher uses."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual import events
from textual.widgets import Input, Static

from tests.tui.conftest import LOADED, answer_with_keys, answered, build_app, press_in_one_burst
from tests.unit.test_shipped_protocol import call as answers_for
from trafficking_triage.tui.screens.call_screen import CallScreen
from trafficking_triage.tui.screens.closed_screen import ClosedScreen
from trafficking_triage.tui.screens.confirm_screen import ConfirmScreen
from trafficking_triage.tui.screens.outcome_screen import OutcomeScreen
from trafficking_triage.tui.screens.reference_screen import ReferenceScreen
from trafficking_triage.tui.widgets.too_small import TooSmall
from trafficking_triage.tui.widgets.trail import Trail


def short(answers: dict[str, Any]) -> dict[str, Any]:
    """Typed answers kept short: every character is a separate key press in these tests."""
    choice = {"yes", "no", "unknown"} | {
        a.id for a in LOADED.protocol.questions["caller_type"].answers
    }
    return {q: v if str(v) in choice else str(v)[:2] for q, v in answers.items()}


ROUTES = [
    ("officer", short(answers_for("victim_inside", threats="yes")), "OFFICER TO THE SCENE"),
    (
        "tip_line",
        short(answers_for("witness_specific", free_to_leave="no")),
        "ANONYMOUS TIP LINE",
    ),
    ("hotline", short(answers_for("general_concern")), "NATIONAL HUMAN TRAFFICKING HOTLINE"),
]


def screen_text(app: Any) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


@pytest.mark.parametrize(("outcome", "answers", "banner"), ROUTES, ids=[r[0] for r in ROUTES])
async def test_a_whole_call_to_each_route(
    outcome: str, answers: dict[str, Any], banner: str
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, answers, letter_by_letter=True)
        assert app.session.call is not None and app.session.call.state.route is not None
        assert app.session.call.state.route.outcome == outcome
        assert isinstance(app.screen, OutcomeScreen)
        text = screen_text(app)
        assert f"ROUTE: {banner}" in text
        assert "TELL THE CALLER" in text
        if outcome == "hotline":
            assert "1-888-373-7888" in text and "233733" in text
        else:
            assert "NOT CONFIGURED" in text
        # Tick every step that applies, then close: nothing is left open.
        for item in app.session.call.checklist():
            if item.status == "to_do":
                await pilot.press(str(item.number))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ClosedScreen)
        closed = app.session.call.state.closed
        assert closed is not None and closed.how == "completed" and closed.open_steps == []


async def test_closing_with_open_steps_asks_and_records_them() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, ROUTES[2][1])
        await pilot.press("5", "c")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "steps 4, 6, 7, 8 open" in screen_text(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        await pilot.press("c", "y")
        await pilot.pause()
        assert app.session.call is not None and app.session.call.state.closed is not None
        assert app.session.call.state.closed.open_steps == [4, 6, 7, 8]
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and app.session.call.state.closed is None


async def test_escape_and_backspace_go_back_one_question() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main St", "enter", "y", "n", "n")
        await pilot.pause()
        assert app.session.call is not None and app.session.call.state.prompt is not None
        assert app.session.call.state.prompt.question == "weapons"
        await pilot.press("escape")
        await pilot.pause()
        assert app.session.call.state.prompt.question == "injured"
        await pilot.press("backspace")
        await pilot.pause()
        assert app.session.call.state.prompt.question == "danger_now"
        assert "Answered before going back: No" in screen_text(app)
        # In a text field, Backspace edits the text; Escape still goes back.
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.session.call.state.prompt.question == "location"
        typed = app.screen.query_one("#typed", Input)
        assert typed.value == "Main St"  # what was typed before, ready to correct
        await pilot.press("x", "backspace")
        assert typed.value == "Main St" and app.session.call.state.prompt.question == "location"


async def test_changing_an_answer_through_the_trail_keeps_the_later_ones_still_asked() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main St", "enter", "y", "n", "n", "n", "n")
        await pilot.pause()
        call = app.session.call
        assert call is not None and len(call.state.answers) == 6
        on_screen = call.state.prompt
        await pilot.press("tab")  # to the trail, highlighted on its last entry
        await pilot.press("up", "up", "enter")  # the injury question
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Of the 2 later answers, those still asked are kept" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert [g.question for g in call.state.answers] == [
            "location",
            "can_speak_freely",
            "danger_now",
        ]
        assert call.state.prompt is not None and call.state.prompt.question == "injured"
        await pilot.press("y")  # someone is hurt after all: the two later answers come back
        await pilot.pause()
        assert [(g.question, g.answer) for g in call.state.answers][3:] == [
            ("injured", "yes"),
            ("weapons", "no"),
            ("held_now", "no"),
        ]
        assert call.state.prompt == on_screen  # only what is new is asked: here, nothing
        assert call.state.settled is not None  # someone hurt: the route settled
        # Everything said is in the event log, the answers given again marked as kept.
        assert sum(e.kind == "question_answered" for e in call.events) == 9


async def test_danger_now_from_a_text_field_and_from_the_reference() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("M", "f2")
        await pilot.pause()
        assert app.session.call is not None and app.session.call.state.escalated is not None
        assert app.session.call.dispatch_outcome() == "officer"
        assert app.session.call.state.escalated.escalated_at == "location"
        assert isinstance(app.screen, OutcomeScreen)
        assert "danger-now key (F2) was pressed while asking: Where is this" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and app.session.call.state.escalated is None
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, ReferenceScreen)
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        assert app.session.call.state.escalated is not None


async def test_keys_pressed_in_a_burst_are_all_answered() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(
            *"Main", "enter", "y", "n", "n", "n", "n", "n", "1", "n", "n", "y", "y", "f2"
        )
        await pilot.pause()
        assert app.session.call is not None
        asked = [g.question for g in app.session.call.state.answers]
        assert asked[-4:] == [
            "minor_involved",
            "controller_nearby",
            "free_to_leave",
            "own_documents",
        ]
        escalated = app.session.call.state.escalated
        assert escalated is not None and escalated.escalated_at == "threats"


async def test_a_caller_who_cannot_speak_freely_gets_yes_no_only() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # Cannot talk freely: yes/no only from here; who is calling, asked as yes/no: yes.
        await pilot.press(*"Main", "enter", "n", "n", "n", "n", "n", "n", "y")
        await pilot.pause()
        assert "YES/NO ONLY" in screen_text(app)
        # All the screening, then the fact questions in their yes/no forms only.
        await pilot.press(*["n"] * 13)
        await pilot.pause()
        assert app.session.call is not None and app.session.call.state.prompt is not None
        assert app.session.call.state.prompt.question == "interpreter_needed"
        await pilot.press("n")
        await pilot.pause()
        assert app.session.call.state.prompt.question == "people_count"
        assert app.session.call.state.prompt.yes_no_form
        assert "Are other people in the same situation" in screen_text(app)
        assert not app.screen.query_one("#typed", Input).display
        await pilot.press("y")
        await pilot.pause()
        assert (
            app.session.call.state.route is not None
            and app.session.call.state.route.outcome == "officer"
        )
        assert app.session.call.state.skipped == ["language", "suspects", "vehicles"]


async def test_markup_typed_into_an_answer_is_shown_not_obeyed() -> None:
    app = build_app()
    typed = "[bold]Main[/bold] [@click=app.quit]x[/] [red"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*typed, "enter")
        await pilot.pause()
        assert app.session.call is not None
        assert app.session.call.state.answers[0].value == typed
        trail = app.screen.query_one("#trail")
        assert typed in str(trail.get_option_at_index(0).prompt)  # type: ignore[attr-defined]
        await pilot.click("#trail")
        await pilot.pause()
        assert app.is_running


@pytest.mark.parametrize("key", ["ctrl+q", "ctrl+c"])
async def test_quitting_mid_call_asks_first(key: str) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, CallScreen)
        await pilot.press(key, "y")
        await pilot.pause()
        assert not app.is_running
    assert app.session.call is not None and app.session.call.state.closed is not None
    assert app.session.call.state.closed.how == "abandoned"
    assert app.session.call.state.answers[0].value == "Main"


@pytest.mark.parametrize(
    ("size", "too_small"), [((60, 20), False), ((59, 24), True), ((80, 19), True)]
)
async def test_resizing_never_crashes_and_says_when_too_small(
    size: tuple[int, int], too_small: bool
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        await pilot.resize_terminal(*size)
        for _ in range(10):  # the breakpoint classes follow the resize within a few refreshes
            await pilot.pause()
            if app.screen.query_one(TooSmall).display is too_small:
                break
        assert app.screen.query_one(TooSmall).display is too_small
        await pilot.press("y")
        await pilot.resize_terminal(30, 10)
        await pilot.resize_terminal(80, 24)
        for _ in range(10):
            await pilot.pause()
            if not app.screen.query_one(TooSmall).display:
                break
        assert app.session.call is not None and len(app.session.call.state.answers) == 3
        assert not app.screen.query_one(TooSmall).display


async def test_why_toggles_with_f3() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        words = app.screen.query_one("#question-words", Static)
        assert "why:" not in str(words.render())
        await pilot.press("f3")
        assert "why: Location first" in str(words.render())
        await pilot.press("f3")
        assert "why:" not in str(words.render())


async def test_keys_in_a_burst_after_going_back_from_the_outcome_keep_their_order() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, ROUTES[2][1])
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        typed = app.screen.query_one("#typed", Input)
        assert typed.value == ROUTES[2][1]["how_known"]  # ready to correct, not retype
        await press_in_one_burst(pilot, "tab", "up", "up", "up", "enter")
        assert isinstance(app.screen, ConfirmScreen)
        assert "Of the 3 later answers, those still asked are kept" in screen_text(app)


async def test_a_typed_answer_then_choice_keys_in_one_burst() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await press_in_one_burst(pilot, *"Main", "enter", "y", "n", "n", "y")
        assert app.session.call is not None
        assert answered(app) == [
            ("location", "Main"),
            ("can_speak_freely", "yes"),
            ("danger_now", "no"),
            ("injured", "no"),
            ("weapons", "yes"),
        ]


# Keys that arrive while earlier ones are still being dealt with (a gap of a millisecond or
# a few) were lost or reordered before the app took keys in turn (see key_turns).
@pytest.mark.parametrize("gap", [0.0, 0.001, 0.002, 0.008])
async def test_a_burst_across_closing_a_call_and_taking_the_next_keeps_every_key(
    gap: float,
) -> None:
    """Enter, danger now, close, confirm, the next call, its location and two answers, all
    sent at once: each key meets the screen the key before it left, none is lost."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main")
        first = app.session.call
        await press_in_one_burst(
            pilot,
            *["enter", "f2", "c", "y", "enter", *"Next", "enter", "y", "n", "n", "y"],
            gap=gap,
        )
        assert first is not None and first.state.closed is not None
        assert first.state.route is not None and first.state.route.outcome == "officer"
        assert first.state.route.escalated_at == "can_speak_freely"
        assert [given.value for given in first.state.answers] == ["Main"]
        assert app.session.call is not None and app.session.call is not first
        assert answered(app) == [
            ("location", "Next"),
            ("can_speak_freely", "yes"),
            ("danger_now", "no"),
            ("injured", "no"),
            ("weapons", "yes"),
        ]


@pytest.mark.parametrize("gap", [0.0, 0.002, 0.008])
async def test_a_burst_through_quitting_and_the_trail_keeps_every_key(gap: float) -> None:
    """Quit asked and refused, an answer, then back through the trail and its question, all
    at once: each key meets the screen the key before it opened."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        keys = [*"Main", "enter", "y", "n", "ctrl+q", "n", "n", "y"]
        keys += ["tab", "up", "up", "up", "up", "enter", "y"]
        await press_in_one_burst(pilot, *keys, gap=gap)
        assert isinstance(app.screen, CallScreen)
        assert app.session.call is not None and app.session.call.state.closed is None
        assert app.session.call.state.answers == []  # back to the first question, as confirmed
        assert app.session.call.state.prompt is not None
        assert app.session.call.state.prompt.question == "location"
        earlier = app.session.call.earlier_answer("weapons")
        assert earlier is not None and earlier.answer == "yes"  # answered before going back


@pytest.mark.parametrize("gap", [0.0, 0.002])
async def test_text_pasted_between_typed_keys_lands_in_its_place(gap: float) -> None:
    from textual import events

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for event in [
            *(events.Key(key, key) for key in "Main"),
            events.Paste(" Street, unit"),
            *(events.Key(key, key) for key in " 4"),
            events.Key("enter", "\r"),
            events.Key("y", "y"),
            events.Key("n", "n"),
        ]:
            event.set_sender(app)
            app._driver.send_message(event)  # type: ignore[union-attr]
            await asyncio.sleep(gap)
        for _ in range(10):
            await pilot.pause()
        assert app.session.call is not None
        assert answered(app) == [
            ("location", "Main Street, unit 4"),
            ("can_speak_freely", "yes"),
            ("danger_now", "no"),
        ]


async def test_an_address_pasted_over_two_lines_arrives_whole() -> None:
    from textual import events

    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"At ")
        app.screen.query_one("#typed", Input).post_message(events.Paste("12 Main St\nApt 4\n"))
        await pilot.pause()
        await pilot.press("enter")
        assert app.session.call is not None
        assert [given.value for given in app.session.call.state.answers] == ["At 12 Main St Apt 4"]


async def test_typing_after_the_window_was_too_small_is_not_lost() -> None:
    """Too small, the screen hides the answer field and it loses the focus; made usable again,
    the field has it back, so the caller's words typed next land in it."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel")
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press(*" 6", "enter")
        await pilot.pause()
        assert app.session.call is not None
        assert [given.value for given in app.session.call.state.answers] == ["Motel 6"]


async def test_a_resize_leaves_the_highlighted_answer_alone() -> None:
    """A pane resized mid-call (tmux, a tiling window manager, a font zoom) must not change
    which answer Enter records."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "down", "down")  # "No", on "danger now"
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.session.call is not None
        assert [given.answer for given in app.session.call.state.answers] == [None, "yes", "no"]


async def test_a_resize_leaves_the_trail_where_it_was() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "tab", "up", "up")
        trail = app.screen.query_one(Trail)
        assert app.screen.focused is trail and trail.highlighted == 0
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert app.screen.focused is trail and trail.highlighted == 0
        await pilot.press("enter")  # still going back from the trail, so it asks first
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)


async def test_the_reference_list_has_the_focus_again_after_a_too_small_window() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        pages = app.screen.focused
        assert isinstance(app.screen, ReferenceScreen) and pages is not None
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen.focused is pages  # arrows move through the pages again


@pytest.mark.parametrize("close_reference", ["while_too_small", "once_usable_again"])
async def test_typing_after_a_too_small_window_under_the_reference_is_not_lost(
    close_reference: str,
) -> None:
    """The call screen seen beneath the reference is resized with it and loses its focus
    the same way; back on the call, the caller's words typed next land in the answer field."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        await pilot.resize_terminal(50, 15)
        await pilot.pause()
        if close_reference == "while_too_small":
            await pilot.press("escape")
            await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        if close_reference == "once_usable_again":
            await pilot.press("escape")
            await pilot.pause()
        assert not isinstance(app.screen, ReferenceScreen)
        await pilot.press(*"Motel 6", "enter", "y")
        await pilot.pause()
        assert app.session.call is not None
        assert [given.value for given in app.session.call.state.answers] == ["Motel 6", None]


SIZE_CLASSES = {"-too-narrow", "-compact", "-roomy", "-wide", "-too-short", "-tall-enough"}


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ((59, 19), {"-too-narrow", "-too-short"}),
        ((60, 20), {"-compact", "-tall-enough"}),
        ((79, 40), {"-compact", "-tall-enough"}),
        ((80, 24), {"-roomy", "-tall-enough"}),
        ((200, 19), {"-wide", "-too-short"}),
        ((120, 40), {"-wide", "-tall-enough"}),
    ],
)
async def test_a_screen_is_built_with_the_size_classes_textual_gives_it(
    size: tuple[int, int], expected: set[str]
) -> None:
    """Screens take their size classes when built, so that the first resize finds nothing to
    change (which would style the whole screen again); Textual's own must agree with them."""
    from trafficking_triage.tui.screens.sized_screen import size_classes

    app = build_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert set(size_classes(app)) == expected
        assert app.screen.classes & SIZE_CLASSES == expected  # as Textual set them
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        built_now = CallScreen(app.session)
        assert built_now.classes & SIZE_CLASSES == {"-roomy", "-tall-enough"}


@pytest.mark.parametrize("size", [(80, 30), (80, 21), (100, 24), (64, 24)])
async def test_the_trail_after_a_resize_is_drawn_as_if_started_at_that_size(
    size: tuple[int, int],
) -> None:
    """The lists keep their rendered lines through a resize that keeps their width (see
    SteadyOptionList); after any resize they must look exactly as freshly drawn."""
    keys = (*"Motel", "enter", "y", *"nnnnn1", *"n" * 6)

    async def trail_lines(start: tuple[int, int], end: tuple[int, int]) -> list[str]:
        app = build_app()
        async with app.run_test(size=start) as pilot:
            await pilot.press(*keys)
            await pilot.resize_terminal(*end)
            for _ in range(3):
                await pilot.pause()
            trail = app.screen.query_one(Trail)
            shot = app.export_screenshot()
            region = trail.region
            assert trail.option_count == 14 and trail.highlighted == 13
            return [str(trail.render_line(y)) for y in range(region.height)] + [shot]

    resized = await trail_lines((80, 24), size)
    fresh = await trail_lines(size, size)
    assert resized == fresh


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_newest_answer_is_always_in_view_in_the_trail(size: tuple[int, int]) -> None:
    """The trail is taller or shorter with each question above it; after every answer the one
    just given must still show at its foot."""
    app = build_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"Motel", "enter", "y")
        hidden = []
        for number, key in enumerate("nnnnn1" + "n" * 10, start=3):
            await pilot.press(key)
            await pilot.pause()
            trail = app.screen.query_one(Trail)
            assert trail.option_count == number and trail.highlighted == number - 1
            top, height = trail.scroll_offset.y, trail.scrollable_content_region.height
            if height and not top <= trail.highlighted < top + height:
                hidden.append(number)  # (a trail given no row: the question came first)
        assert hidden == []


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_screen_painted_without_a_layout_is_the_screen_laid_out(
    size: tuple[int, int],
) -> None:
    """A new text of as many rows, and options added to the trail, are painted without laying
    the screen out again (words.set_content, SteadyOptionList): after every answer the screen
    must be the one a full layout gives."""
    app = build_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*"Motel", "enter", "y")
        for key in "nnnnn1" + "n" * 8:
            await pilot.press(key)
            await pilot.pause()
            painted = app.export_screenshot()
            for widget in app.screen.walk_children():
                widget.refresh(layout=True)
            await pilot.pause()
            assert app.export_screenshot() == painted


# Keys typed while the console starts are read with its first messages, before its screen is
# built: they wait for the answer field instead of going to a bare screen. Enter typed before
# the console took the terminal over arrives as a newline (ctrl+j): it answers all the same.
@pytest.mark.parametrize("enter", ["enter", "ctrl+j"])
async def test_keys_typed_as_the_console_opens_reach_the_first_question(enter: str) -> None:
    app = build_app()
    for key in [*"Main", enter, "y", "n", "f2"]:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(10):
            await pilot.pause()
        assert answered(app) == [
            ("location", "Main"),
            ("can_speak_freely", "yes"),
            ("danger_now", "no"),
        ]
        route = app.session.call.state.escalated if app.session.call else None
        assert route is not None and route.outcome == "officer" and route.escalated_at == "injured"


async def test_a_crash_report_never_shows_what_the_caller_said(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Textual shows local values with a crash's traceback by default; ours must not (they
    would hold the caller's words). This leans on Textual's private `_fatal_error`: the test
    breaks if Textual changes it."""
    app = build_app()

    def crash() -> None:
        call = app.session.call
        said = call.state.answers[0].value if call else None  # the default report prints it
        raise RuntimeError(f"boom {len(said or '')}")

    monkeypatch.setattr(app.session, "escalate", crash)
    with pytest.raises(RuntimeError, match="boom 13"):
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"Zebra Lane 42", "enter", "y", "f2")
            await pilot.pause()
    report = capsys.readouterr().err
    assert "RuntimeError" in report and "boom 13" in report
    assert "Zebra" not in report


@pytest.mark.parametrize("gap", [0.0, 0.003])
async def test_keys_behind_a_confirmed_quit_start_no_other_call(tmp_path: Any, gap: float) -> None:
    """Enter right behind the quit's "y" once met the closed call's screen and opened a new
    call as the console closed: the next console offered it as unfinished."""
    from trafficking_triage.records import SqliteStore

    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        await press_in_one_burst(pilot, "ctrl+q", "y", "enter", *"Elm", "enter", gap=gap)
    rows = SqliteStore(tmp_path).rows()
    assert [row.status for row in rows] == ["abandoned"]


async def test_quitting_before_anything_is_said_asks_nothing_and_keeps_nothing(
    tmp_path: Any,
) -> None:
    from trafficking_triage.records import SqliteStore

    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "ctrl+q")
        await pilot.pause()
        assert not app.is_running
    assert SqliteStore(tmp_path).rows(training=None) == []
