"""The dispatch point in the console: the route shows the moment no answer can change it, the
questions go on after dispatch, and F6 opens the full route and comes back."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Static

from tests.conftest import known
from tests.tui.conftest import LOADED, answer_with_keys, build_app
from tests.tui.test_calls import screen_text
from tests.unit.test_shipped_protocol import call as answers_for
from trafficking_triage.engine import replay_answers
from trafficking_triage.tui.screens.call_screen import CallScreen
from trafficking_triage.tui.screens.confirm_screen import ConfirmScreen
from trafficking_triage.tui.screens.outcome_screen import OutcomeScreen


def panel(app: Any) -> str:
    widget = app.screen.query_one("#settled", Static)
    return str(widget.render()) if widget.display else ""


EARLY = [
    ("danger now", {"location": "Motel", "can_speak_freely": "yes", "danger_now": "yes"}, 3),
    ("someone hurt",
     {"location": "Motel", "can_speak_freely": "yes", "danger_now": "no", "injured": "yes"}, 4),
    ("a victim inside who cannot talk, the boss near, not free to leave", {
        "location": "Motel", "can_speak_freely": "no", "danger_now": "no", "injured": "no",
        "weapons": "no", "held_now": "no", "callback_safe": "no", "caller_type": "yes",
        "minor_involved": "no", "controller_nearby": "yes", "free_to_leave": "no",
    }, 11),
    ("a child, from a neighbor", answers_for("general_concern", minor_involved="yes"), 10),
]  # fmt: skip


@pytest.mark.parametrize(("case", "answers", "settles_at"), EARLY, ids=[e[0] for e in EARLY])
async def test_the_route_shows_as_soon_as_it_settles_and_the_questions_go_on(
    case: str, answers: dict[str, Any], settles_at: int
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        # In the order the protocol asks them (a dict's order need not be)
        asked = [g.question for g in replay_answers(LOADED.protocol, answers).state.answers]
        await answer_with_keys(pilot, {q: answers[q] for q in asked[: settles_at - 1]})
        assert panel(app) == ""  # not yet: more than one route is still possible
        await answer_with_keys(pilot, {asked[settles_at - 1]: answers[asked[settles_at - 1]]})
        call = app.session.call
        assert call is not None and call.state.settled is not None
        assert call.state.settled.asked == settles_at
        assert isinstance(app.screen, CallScreen) and call.state.prompt is not None
        assert "ROUTE SETTLED: OFFICER TO THE SCENE" in panel(app)
        assert "NOT CONFIGURED" in panel(app) and "keep asking if safe" in panel(app)
        words = str(app.screen.query_one("#question-words", Static).render())
        assert "AFTER DISPATCH" in words
        assert "after dispatch" in str(app.screen.query_one("#header").render())


async def test_f6_opens_the_settled_route_and_escape_returns_with_nothing_undone() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y")
        call = app.session.call
        assert call is not None and call.state.settled is not None
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen) and app.screen.early
        await pilot.press("2")  # a step ticked while the questions go on
        await pilot.pause()
        assert call.state.ticked == {2}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen)
        assert [g.question for g in call.state.answers] == [
            "location",
            "can_speak_freely",
            "danger_now",
        ]
        await pilot.press("n")  # the next question (anyone hurt), after dispatch
        await pilot.pause()
        assert [g.question for g in call.state.answers][-1] == "injured"
        assert "ROUTE SETTLED" in panel(app)


async def test_going_back_before_the_settling_answer_takes_the_panel_away() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y")
        assert "ROUTE SETTLED" in panel(app)
        await pilot.press("escape")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.settled is None
        assert panel(app) == ""
        assert [e.kind for e in call.events][-1] == "route_unsettled"


async def test_answers_after_dispatch_are_recorded_and_exported(tmp_path: Any) -> None:
    from trafficking_triage.records import SqliteStore
    from trafficking_triage.reports.export import markdown

    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        # Danger now; no one hurt; a weapon: yes.
        await pilot.press(*"Motel", "enter", "y", "y", "n", "y")
        await pilot.pause()
        assert app.session.recorder is not None
        call_id = app.session.recorder.call_id
    store = SqliteStore(tmp_path)
    kinds = [e.kind for e in store.events(known(call_id))]
    assert kinds.index("route_settled") < len(kinds) - 1
    assert kinds[kinds.index("route_settled") + 1] == "question_answered"  # after dispatch
    call = app.session.call
    assert call is not None
    text = markdown(store.row(known(call_id)), call)
    assert "route settled on Officer" in text and "Does anyone there have a weapon? -> Yes" in text


async def test_the_questions_can_be_ended_from_the_settled_route_screen() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y", "f6")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen) and app.screen.early
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "End the questions here?" in screen_text(app)
        await pilot.press("y")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.route is not None
        assert isinstance(app.screen, OutcomeScreen) and not app.screen.early
        ended = [e for e in call.events if e.kind == "questioning_ended"]
        assert len(ended) == 1 and "weapons" in ended[0].left
        await pilot.press("c")  # now the call can be closed as any routed call
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "Close the call" in screen_text(app)


async def test_every_key_of_the_settled_route_screen_fits_its_line_at_80_columns(
    tmp_path: Any,
) -> None:
    from trafficking_triage.tui.widgets.key_hints import KeyHints

    app = build_app(data_dir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y", "f6")
        await pilot.pause()
        line = str(app.screen.query_one(KeyHints).render())
        assert "…" not in line and "f2 DANGER NOW" in line and "e End questions" in line


AGENCY = """agency:
  name: Example County 911
point_of_contact:
  name: Det. A. Rivera
  phone: "(312) 555-0100"
  radio: "SVU 12"
tip_line:
  name: Example County Crime Stoppers
  phone: 1-800-222-TIPS
supervisor:
  name: Shift supervisor
  phone: "(312) 555-0199"
radio_alerts:
  - "Units be advised: possible labor trafficking at {location}, incident {incident}."
  - "Weapons reported: {weapons}. People: {people}."
resources:
  - name: Regional human trafficking task force
    phone: "(312) 555-0130"
  - name: Worker center
    phone: "(312) 555-0140"
    note: Spanish and Mixteco spoken
"""


@pytest.mark.parametrize("route", ["officer", "tip_line", "hotline"])
async def test_at_80x24_the_route_who_to_call_and_why_are_in_view_without_scrolling(
    route: str, tmp_path: Any
) -> None:
    """With a filled-in agency file, whose radio alerts and resources once pushed what to tell
    the caller and why off the screen."""
    from tests.tui.test_calls import ROUTES

    agency = tmp_path / "agency.yaml"
    agency.write_text(AGENCY)
    answers = next(a for name, a, _banner in ROUTES if name == route)
    app = build_app(agency=agency)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, answers)
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        bottom = app.screen.query_one("#outcome").region.bottom
        for part in ("#route-banner", "#contacts"):
            region = app.screen.query_one(part).region
            assert region.height > 0 and region.bottom <= bottom, part
        banner = str(app.screen.query_one("#route-banner", Static).render())
        assert "ROUTE:" in banner and "Why: " in banner
        assert "☎" in str(app.screen.query_one("#contacts", Static).render())


async def test_a_wide_terminal_gives_the_checklist_its_step_names_in_full() -> None:
    app = build_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y", "f2")
        await pilot.pause()
        checklist = app.screen.query_one("#outcome-checklist", Static)
        lines = str(checklist.render()).splitlines()
        assert any(
            "Officer to the scene + notify the trafficking point of contact" in line
            for line in lines
        )
        assert max(len(line) for line in lines) <= checklist.content_region.width  # none cut


async def test_the_route_says_why_in_the_words_put_to_this_caller() -> None:
    """A witness was asked about the worker in the words for them ("Could the worker leave
    ..."), not the question's general form ("Can the worker leave..."); the route's why
    quotes what was asked."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", *"nnnnn6nnn")
        call = app.session.call
        assert call is not None and call.state.settled is not None
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        banner = " ".join(str(app.screen.query_one("#route-banner", Static).render()).split())
        assert '"Could the worker leave or quit the job whenever they wanted?" No' in banner


async def test_f10_records_a_hang_up_and_escape_takes_it_back() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "n", "n", "f10")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.hung_up()
        assert isinstance(app.screen, OutcomeScreen)
        text = screen_text(app)
        assert "THE CALLER HUNG UP: WHAT TO DO NEXT" in text
        assert "caller hung up" in str(app.screen.query_one("#header").render())
        assert "TELL THE CALLER" not in text  # nobody on the line to tell
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and not call.hung_up()
        assert call.state.prompt is not None and call.state.prompt.question == "weapons"


async def test_a_text_console_asks_yes_no_from_the_start_but_takes_the_typed_place() -> None:
    app = build_app(text_calls=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "YES/NO ONLY" in str(app.screen.query_one("#header").render())
        await pilot.press(*"4 Ridge Rd", "enter")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.text_call() and call.facts()["location"] == "4 Ridge Rd"
        assert call.state.prompt is not None and call.state.prompt.question == "can_speak_freely"
