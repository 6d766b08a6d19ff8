"""Agency settings on the screens, and the language of the questions (F4, --lang)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from tests.tui.conftest import build_app
from trafficking_triage.tui.app import TriageApp

SETTINGS = """\
agency:
  name: Example County 911
point_of_contact:
  name: Det. A. Rivera
  phone: "555-0100"
  radio: SVU 12
tip_line:
  name: Example County Crime Stoppers
  phone: 1-800-222-TIPS
child_protection:
  name: County child protective services
  phone: "555-0150"
radio_alerts:
  - "Possible labor trafficking at {location}"
resources:
  - name: Regional task force
    phone: "555-0199"
"""


def text_of(app: Any) -> str:
    return "\n".join(str(w.render()) for w in app.screen.query(Static) if w.display)


def with_settings(tmp_path: Path, language: str | None = None) -> TriageApp:
    path = tmp_path / "agency.yaml"
    path.write_text(SETTINGS)
    return build_app(agency=path, lang=language)


async def test_settings_fill_in_the_contacts_and_are_recorded(tmp_path: Path) -> None:
    app = with_settings(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        assert "NOT CONFIGURED" not in text_of(app)
        await pilot.press(*"Main", "enter", "y", "y", "f2")
        await pilot.pause()
        text = text_of(app)
        assert "Det. A. Rivera" in text and "phone 555-0100" in text and "radio SVU 12" in text
        assert "Possible labor trafficking at Main" in text
        assert "Regional task force" in text
        assert "Shift supervisor" in text and "NOT CONFIGURED" in text  # no supervisor set
        assert app.session.call is not None and app.session.call.state.started is not None
        assert app.session.call.state.started.settings_path == str(tmp_path / "agency.yaml")
        assert app.session.call.state.started.settings_sha256 is not None


async def test_without_settings_the_start_warns_and_the_outcome_says_not_configured() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert "NOT CONFIGURED: point of contact, tip line" in text_of(app)
        await pilot.press(*"Main", "enter", "y", "y", "f2")
        await pilot.pause()
        assert text_of(app).count("NOT CONFIGURED") == 2  # point of contact and supervisor


def question_of(app: TriageApp) -> str:
    """The question as worded on screen: the paragraph after its section's name."""
    words = str(app.screen.query_one("#question-words", Static).render())
    return words.split("\n\n")[1]


async def test_f4_steps_through_english_spanish_and_both(tmp_path: Path) -> None:
    app = with_settings(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*"Main", "enter", "y")
        assert question_of(app) == "Is anyone in danger right now?"
        await pilot.press("f4")
        spanish = question_of(app)
        assert spanish != "Is anyone in danger right now?" and "?" in spanish
        await pilot.press("f4")
        both = question_of(app)
        assert both.startswith(spanish) and both.endswith("Is anyone in danger right now?")
        await pilot.press("f4")
        assert question_of(app) == "Is anyone in danger right now?"
        assert app.session.call is not None
        switched = [e.language for e in app.session.call.events if e.kind == "language_switched"]
        assert switched == ["es", "es+en", "en"]
        # Answers are stored by id whatever the display: "1" is still "yes".
        await pilot.press("f4", "1")
        assert app.session.call.state.answers[-1].answer == "yes"


async def test_lang_starts_in_spanish(tmp_path: Path) -> None:
    app = with_settings(tmp_path, language="es")
    async with app.run_test(size=(80, 24)):
        assert question_of(app).startswith("¿")


async def test_an_unset_tip_line_says_what_to_do_instead() -> None:
    from tests.tui.conftest import answer_with_keys
    from tests.unit.test_shipped_protocol import call as answers_for

    app = build_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await answer_with_keys(pilot, answers_for("witness_specific", free_to_leave="no"))
        await pilot.pause()
        text = text_of(app)
        assert "ANONYMOUS TIP LINE" in text and "NOT CONFIGURED" in text
        assert "instead: The Hotline takes tips too: give the caller 1-888-373-7888" in text


@pytest.mark.parametrize("first_aid", [False, True])
async def test_an_injury_brings_medical_help_and_first_aid_words_where_allowed(
    tmp_path: Path, first_aid: bool
) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text(SETTINGS + ("first_aid: true\n" if first_aid else ""))
    app = build_app(agency=path)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press(*"Main", "enter", "y", "n", "y")  # no danger; someone hurt
        await pilot.pause()
        panel = text_of(app)
        assert "ROUTE SETTLED: OFFICER TO THE SCENE" in panel
        assert "Medical help (EMS): " in panel  # not set: what to do instead, on one line
        await pilot.press("f6")
        await pilot.pause()
        text = text_of(app)
        assert "instead: Request EMS through your CAD" in text
        assert "RADIO Injured person reported: medical help requested" in text
        assert "Radio alerts and notifications + medical help" in text
        assert ("press firmly on the wound" in text) == first_aid


def header_of(app: TriageApp) -> str:
    from trafficking_triage.tui.widgets.call_header import CallHeader

    return str(app.screen.query_one(CallHeader).render())


async def test_the_header_shows_the_incident_and_the_language_as_f4_switches_it(
    tmp_path: Path,
) -> None:
    app = build_app(context={"incident": "26-1130-0042"})
    async with app.run_test(size=(80, 24)) as pilot:
        assert header_of(app).startswith(" TRAFFICKING TRIAGE   call 00:00  #26-1130-0042   EN ")
        await pilot.press("f4")
        assert " ES " in header_of(app)  # at once, not at the next tick of the clock
        await pilot.press("f4")
        assert " ES+EN " in header_of(app)
        await pilot.press(*"Main", "enter", "y", "y", "f2")
        await pilot.pause()
        # The outcome screen's longer line makes room by shortening the program's name.
        header = header_of(app)
        # The program's name stays; where the call is gives way ("…").
        assert header.startswith(" TRAFFICKING TRIAGE   call 00:00  #26-1130-0042   ES+EN   route")


async def test_a_radio_alert_naming_the_incident_says_when_there_is_none(tmp_path: Path) -> None:
    path = tmp_path / "agency.yaml"
    path.write_text(SETTINGS.replace("at {location}", "at {location}, incident {incident}"))
    for context, said in (
        ({}, "incident (no incident number)"),
        ({"incident": "26-1130-0042"}, "incident 26-1130-0042"),
    ):
        app = build_app(agency=path, context=context)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*"Main", "enter", "y", "y", "f2")
            await pilot.pause()
            text = text_of(app)
            assert f"Possible labor trafficking at Main, {said}" in text, text


async def test_a_narrow_header_cuts_where_the_call_is_never_a_warning() -> None:
    app = build_app(context={"incident": "26-1130-0042-ALPHA"})
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.press("f9")
        await pilot.pause()
        header = header_of(app)
        # The call's time comes next, before the incident: the end of the line is what goes.
        assert header.startswith(" TRIAGE    ⚠ YES/NO ONLY   call 00:00  #26-1130-0042-ALPHA")


async def test_the_cad_context_belongs_to_the_first_call_only() -> None:
    """The CAD launched the console for one incident: the next call is another one."""
    app = build_app(context={"incident": "26-1130-0042", "location": "12 Main St"})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "y", "y", "f2")  # the location as CAD gave it
        await pilot.pause()
        first = app.session.call
        assert first is not None and first.facts()["location"] == "12 Main St"
        await pilot.press("c", "y")
        await pilot.pause()
        await pilot.press("enter")  # the next call
        await pilot.pause()
        second = app.session.call
        assert second is not None and second is not first
        assert second.state.started is not None and second.state.started.context == {}
        assert "#" not in header_of(app)
