"""What a console shows before a call, and between calls in training: an unfinished call to
resume or close, else a scenario to pick, else a new call."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .notices import show

if TYPE_CHECKING:
    from textual.app import App

    from ..console import CallSession


def offer_or_start(app: App[Any], session: CallSession) -> None:
    """An unfinished call to resume or close (in training, a training call), else a
    scenario to pick (training), else a new call."""
    if (found := session.unfinished()) is not None:
        from .screens.resume_screen import ResumeScreen

        def chosen(choice: str | None) -> None:
            act = session.resume if choice == "resume" else session.close_unfinished
            show(app, act(found))
            if session.call is None:
                offer_or_start(app, session)  # the next unfinished call, or a new call

        app.push_screen(ResumeScreen(found), chosen)
    elif session.choosing_scenario():
        from .screens.scenario_picker_screen import ScenarioPickerScreen

        app.push_screen(
            ScenarioPickerScreen(session.scenarios, presenter=session.presenter), session.pick
        )
    else:
        session.start()
