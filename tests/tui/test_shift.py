"""A shift on the floor: what the dispatcher must read is never cut, a key meant for one thing
never does another, and each call gets its own incident number."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from tests.tui.conftest import LOADED, answer_with_keys, answered, build_app
from tests.tui.test_calls import screen_text
from tests.unit.test_shipped_protocol import call as answers_for
from trafficking_triage.cli import main
from trafficking_triage.engine import replay_answers
from trafficking_triage.engine.events import DetailsGiven
from trafficking_triage.tui.app import TriageApp
from trafficking_triage.tui.screens.call_screen import CallScreen
from trafficking_triage.tui.screens.outcome_screen import OutcomeScreen

LONG_SETTINGS = """\
agency:
  name: Capital Area Emergency Communications District Consolidated 911
point_of_contact:
  name: Det. Maria Lopez, Special Victims Unit, Human Trafficking Task Force liaison
  phone: "(512) 555-0100"
  radio: SVU channel 12 east
tip_line:
  name: Capital Area Crime Stoppers, anonymous tips around the clock
  phone: "(512) 555-8477"
  web: https://www.capitalareacrimestoppers.example.org/submit-a-tip
child_protection:
  name: Department of Family and Protective Services statewide intake hotline
  phone: "(512) 555-0150"
radio_alerts:
  - "Units be advised: possible labor trafficking at {location}, incident {incident}. Approach with caution; the controller may be on scene."
"""  # noqa: E501
NUMBERS = ["(512) 555-0100", "(512) 555-8477", "(512) 555-0150", "888-373-7888"]


def settled_answers(case: dict[str, Any]) -> list[tuple[str, Any]]:
    """The answers of `case` up to the one that settles its route (in the order asked)."""
    call = replay_answers(LOADED.protocol, case)
    asked = [(g.question, case[g.question]) for g in call.state.answers]
    settled = call.state.settled
    assert settled is not None
    return asked[: settled.asked]


ROUTES = {
    "officer": answers_for("victim_inside", threats="yes"),
    "tip_line": answers_for("witness_specific", threats="yes"),
    "hotline": answers_for("general_concern"),
}


def panel_text(app: TriageApp) -> str:
    """The panel's text as it is drawn at this width, line by line (what is wrapped shows
    on the next line; what is cut ends in "…")."""
    panel = app.screen.query_one("#settled", Static)
    assert panel.display
    width = panel.content_size.width
    content = panel.render()
    assert hasattr(content, "wrap")
    lines = content.wrap(width)
    assert panel.size.height >= len(lines)  # all of it in view
    return "\n".join(line.plain.rstrip() for line in lines)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize("route", list(ROUTES))
async def test_the_settled_panel_never_cuts_a_number_an_alert_or_the_words(
    tmp_path: Path, route: str, size: tuple[int, int]
) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text(LONG_SETTINGS)
    agency.chmod(0o600)
    app = build_app(agency=agency)
    async with app.run_test(size=size) as pilot:
        for question, value in settled_answers(ROUTES[route]):
            app.session.answer(str(value), question)
        await pilot.pause()
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.prompt is not None  # the questions go on
        assert isinstance(app.screen, CallScreen)
        shown = panel_text(app)
        flat = re.sub(r"\s+", " ", shown)
        contacts = [app.session.contacts[name] for name in LOADED.protocol.outcomes[route].contacts]
        for contact in contacts:
            for _kind, value in contact.numbers:
                if value.startswith(("(", "1", "8")):  # a number to dial: whole, in one piece
                    assert value in shown, (value, shown)
        # The radio alert and the words for the caller wrap: nothing of them is cut.
        for line in shown.splitlines():
            if line.startswith(("RADIO", "TELL")):
                assert not line.endswith("…"), line
        assert "approach with caution; the controller may be on scene" in flat.lower()
        # The question is still in view below the panel.
        words = str(app.screen.query_one("#question-words", Static).render())
        assert words.strip()


async def test_a_step_key_ticks_a_step_on_the_route_screen_and_never_answers_a_question() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter", "y", "y")  # danger now: settled, questions go on
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.settled is not None
        before = answered(app)
        # Beside a question the steps carry no number: a digit there answers the question.
        checklist = str(app.screen.query_one("#checklist", Static).render())
        assert not re.search(r"\d", checklist), checklist
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeScreen)
        steps = str(app.screen.query_one("#outcome-checklist", Static).render())
        assert " 5 " in steps and "number keys tick steps" in steps
        await pilot.press("5")
        await pilot.pause()
        assert 5 in call.state.ticked
        assert answered(app) == before  # the question under the route screen: unanswered
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CallScreen) and answered(app) == before


async def test_a_stray_enter_on_a_choice_question_answers_nothing() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel", "enter")
        await pilot.pause()
        assert answered(app) == [("location", "Motel")]
        await pilot.press("enter")  # on "Can you talk freely?": no answer is highlighted
        await pilot.pause()
        assert answered(app) == [("location", "Motel")]
        assert any("Nothing picked" in (n.title or "") for n in app._notifications)
        await pilot.press("down", "enter")  # an arrow, then Enter: the first answer
        await pilot.pause()
        assert answered(app)[-1][0] == "can_speak_freely"


async def test_y_and_n_alone_on_a_question_with_a_field_are_not_recorded() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n", "n", "enter")  # meant as "no", on "Where are you?"
        await pilot.pause()
        assert answered(app) == []
        assert any("is not recorded" in n.message for n in app._notifications)
        field = app.screen.query_one("#typed")
        assert getattr(field, "value", None) == "nn"  # kept, to be corrected
        await pilot.press("ctrl+u", *"Nyack", "enter")  # a place may begin with N
        await pilot.pause()
        assert answered(app) == [("location", "Nyack")]


async def test_an_incident_number_entered_mid_call_is_recorded_shown_and_not_carried_on(
    tmp_path: Path,
) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text(LONG_SETTINGS)
    agency.chmod(0o600)
    app = build_app(agency=agency, data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Motel 6", "enter", "y")
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press(*"INC-2026-0042", "tab", *"555-0142", "enter")
        await pilot.pause()
        call = app.session.call
        assert call is not None
        given = [e for e in call.events if isinstance(e, DetailsGiven)]
        assert given and given[-1].details == {"incident": "INC-2026-0042", "callback": "555-0142"}
        assert "#INC-2026-0042" in str(app.screen.query_one("#header").render())
        await pilot.press("y")  # danger now: the panel's radio line names the incident
        await pilot.pause()
        assert "incident INC-2026-0042" in re.sub(r"\s+", " ", screen_text(app))
        assert "(no incident number).;" not in screen_text(app)
        assert call.facts()["incident"] == "INC-2026-0042"
        # The next call starts with none of it.
        app.session.close_call()
        await pilot.pause()
        await pilot.press("enter")  # the next call
        await pilot.pause()
        following = app.session.call
        assert following is not None and following is not call
        assert following.details() == {}
        assert "INC-2026-0042" not in str(app.screen.query_one("#header").render())


async def test_every_answer_is_within_reach_and_said_to_be_in_two_languages_at_80x24() -> None:
    app = build_app(lang="es+en")
    async with app.run_test(size=(80, 24)) as pilot:
        for question, value in [("location", "Motel"), ("can_speak_freely", "yes")]:
            app.session.answer(value, question)
        # Danger now settles the route: the panel above leaves the fewest rows for answers.
        app.session.answer("yes", "danger_now")
        await pilot.pause()
        await pilot.pause()
        call = app.session.call
        assert call is not None
        while call.state.prompt is not None and call.state.prompt.question != "caller_type":
            prompt = call.state.prompt
            app.session.answer(prompt.choices[-1].id if prompt.choices else "x", prompt.question)
        await pilot.pause()
        await pilot.pause()
        answers = app.screen.query_one("#answers")
        more = app.screen.query_one("#more-answers", Static)
        assert call.state.prompt is not None and call.state.prompt.question == "caller_type"
        rows = answers.size.height
        assert rows >= 2
        if answers.virtual_size.height > rows:
            assert more.display and "more below (↓ or the answer's number)" in str(more.render())
        # Every answer can be reached: the last one, by the arrows.
        for _ in call.state.prompt.choices:
            await pilot.press("down")
        await pilot.pause()
        assert answers.highlighted == len(call.state.prompt.choices) - 1  # type: ignore[attr-defined]
        region = answers.scrollable_content_region
        assert region.height > 0


async def test_the_header_keeps_time_incident_language_and_warnings_at_60_columns() -> None:
    app = build_app(context={"incident": "INC-77"}, text_calls=True)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.session.records_trouble = "the disk is full"
        assert isinstance(app.screen, CallScreen)
        app.screen.show_time()
        await pilot.pause()
        header = str(app.screen.query_one("#header").render())
        for kept in ("NOT SAVED", "YES/NO ONLY", "call 00:00", "#INC-77", " EN "):
            assert kept in header, (kept, header)


def test_a_bad_number_in_the_agency_file_never_keeps_a_console_from_opening(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from trafficking_triage.console import ConsoleOptions, open_session

    agency = tmp_path / "agency.yaml"
    agency.write_text(LONG_SETTINGS.replace('"(512) 555-8477"', '"555-84"'))
    agency.chmod(0o600)
    session = open_session(ConsoleOptions(agency=agency, data_dir=None))
    assert not session.contacts["tip_line"].configured  # the bad entry: NOT CONFIGURED
    assert session.contacts["poc"].configured  # the rest is used
    assert session.settings_problems and "agency.yaml:" in session.settings_problems[0]
    assert "tip_line.phone" in session.settings_problems[0]
    assert main(["agency", "validate", str(agency)]) == 1  # validate still fails
    assert "tip_line.phone" in capsys.readouterr().err


async def test_the_console_says_what_was_left_out_of_the_agency_file(tmp_path: Path) -> None:
    agency = tmp_path / "agency.yaml"
    agency.write_text(LONG_SETTINGS.replace('"(512) 555-8477"', '"555-84"'))
    agency.chmod(0o600)
    app = build_app(agency=agency)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        warning = str(app.screen.query_one("#settings-warning", Static).render())
        assert "NOT CONFIGURED" in warning and "tip_line.phone" in warning
        assert "agency.yaml:" in warning


def test_each_new_call_takes_the_cad_file_only_when_the_cad_has_written_it_since(
    tmp_path: Path,
) -> None:
    from trafficking_triage.console import ConsoleOptions, open_session

    cad = tmp_path / "cad.yaml"
    cad.write_text("incident: INC-1\nlocation: Motel 6\n")
    cad.chmod(0o600)
    session = open_session(
        ConsoleOptions(context={"incident": "INC-1", "location": "Motel 6"}, context_file=cad)
    )
    first = session.start()
    assert first.details() == {"incident": "INC-1", "location": "Motel 6"}
    session.answer("Motel 6")
    second = session.start()
    assert second.details() == {}  # the same file: the last incident is never carried on
    cad.write_text("incident: INC-2\ncallback: 555-0142\n")
    third = session.start()
    assert third.details() == {"incident": "INC-2", "callback": "555-0142"}
    cad.write_text("incident: [not, text]\n")
    told: list[str] = []
    session.on_notice = lambda notice: told.append(notice.message)
    fourth = session.start()
    assert fourth.details() == {} and told and "No CAD details" in told[0]


def test_the_cad_keys_are_the_same_for_the_command_line_and_the_file() -> None:
    from trafficking_triage.cli.parser import CAD_KEYS
    from trafficking_triage.console.cad import CAD_KEYS as READ

    assert CAD_KEYS == READ


async def test_the_header_says_where_the_records_go(tmp_path: Path) -> None:
    for options, place in (
        ({"data_dir": tmp_path / "data"}, "rec: this console"),
        ({}, "rec: not recorded"),
    ):
        app = build_app(**options)
        async with app.run_test(size=(100, 24)) as pilot:
            await pilot.pause()
            assert place in str(app.screen.query_one("#header").render())


async def test_switching_the_language_leaves_no_notices_over_the_screen() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f4", "f4", "f4")
        await pilot.pause()
        assert list(app._notifications) == []
        assert " EN " in str(app.screen.query_one("#header").render())  # back to English


def up_to_who_is_in_charge() -> dict[str, Any]:
    """A victim's call answered as far as "who is in charge there" (after dispatch)."""
    before = answers_for("victim_inside", threats="yes")
    for later in ("suspects", "vehicles", "stay_anonymous", "how_known"):
        del before[later]
    return before


async def test_several_persons_are_each_recorded_and_the_question_stays_for_the_next() -> None:
    before = up_to_who_is_in_charge()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, before)
        call = app.session.call
        assert call is not None and call.state.prompt is not None
        assert call.state.prompt.question == "suspects"
        assert "^n Another" in screen_text(app)  # the key is in the key line here
        await pilot.press(*"Crew boss", "ctrl+n")
        await pilot.pause()
        await pilot.press(*"Rent [b]collector", "ctrl+g")  # as in a browser; markup is words
        await pilot.pause()
        field = app.screen.query_one("#typed", Input)
        drawn = [strip.text for strip in app.screen._compositor.render_strips()]
        assert any("✔ 2 recorded, the last: Rent [b]co" in line for line in drawn)
        assert field.value == ""
        assert call.state.prompt.question == "suspects"  # still asking
        await pilot.press(*"Driver", "enter")
        await pilot.pause()
        assert call.state.prompt is not None and call.state.prompt.question == "vehicles"
        assert call.facts()["suspects"] == "Crew boss; Rent [b]collector; Driver"
        trail = app.screen.query_one("#trail", OptionList)
        lines = [str(trail.get_option_at_index(i).prompt) for i in range(trail.option_count)]
        assert [line.split("  ←")[0] for line in lines[-3:]] == [
            "+ Crew boss",
            "+ Rent [b]collector",
            "Driver",
        ]  # in the trail, in order
        # Vehicles: two, then Enter on the empty field says there are no more.
        await pilot.press(*"White van", "ctrl+n", *"Grey pickup", "ctrl+n", "enter")
        await pilot.pause()
        assert call.facts()["vehicles"] == "White van; Grey pickup"
        assert call.state.prompt is None or call.state.prompt.question != "vehicles"
        # A question taking one answer offers no ctrl+n, and the key does nothing there.
        assert "^n Another" not in screen_text(app)


async def test_ctrl_n_on_an_empty_field_records_nothing_and_says_so() -> None:
    before = up_to_who_is_in_charge()
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, before)
        await pilot.press("ctrl+n", "enter")
        await pilot.pause()
        call = app.session.call
        assert call is not None and call.state.entries == {}
        assert call.state.prompt is not None and call.state.prompt.question == "suspects"
        assert any("Nothing to add" in (n.title or "") for n in app._notifications)


@pytest.mark.parametrize("lang", ["en", "es+en"])
async def test_the_field_stays_in_view_when_the_question_grows_under_the_route_panel(
    lang: str,
) -> None:
    """Back to a typed question after dispatch at 80x24: the question, what was answered
    before, and the field all show; the settled-route panel gives the rows and scrolls."""
    app = build_app(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await answer_with_keys(pilot, {**ROUTES["officer"], "language": "Mixteco"})
        call = app.session.call
        assert call is not None and call.state.settled is not None
        assert app.session.back("language") is None  # "answered before" shows there too
        await pilot.pause()
        await pilot.pause()
        assert call.state.prompt is not None and call.state.prompt.question == "language"
        field = app.screen.query_one("#typed", Input)
        main = app.screen.query_one("#main")
        assert field.display and field.region.height == 3
        assert field.region.bottom <= main.content_region.bottom  # whole, not cut
        box = app.screen.query_one("#settled-box")
        assert box.display and box.outer_size.height >= 4  # the route's first lines stay
        assert "ROUTE SETTLED" in screen_text(app)


async def test_enter_on_an_empty_field_says_an_answer_is_needed() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # on "Where is this happening?", nothing typed
        await pilot.pause()
        assert answered(app) == []
        assert any("empty answer" in n.message for n in app._notifications)
