"""Each private part of Textual the console leans on, checked to be there as the code uses it:
a Textual release that changes one fails here, by name, before any screen misbehaves. Textual
is pinned to the minor series these were written against (pyproject.toml); the behaviour each
hook gives is tested where it matters (pastes whole, a resize that keeps the highlight, a
crash report without the caller's words, a screen styled once)."""

from __future__ import annotations

import inspect

import textual
from textual import events
from textual.app import App
from textual.widgets import Input, OptionList


def parameters(function: object) -> list[str]:
    return list(inspect.signature(function).parameters)  # type: ignore[arg-type]


def test_textual_is_the_minor_series_the_hooks_are_written_for() -> None:
    from importlib.metadata import version

    assert version("textual").startswith("8.2."), textual.__name__


def test_input_handles_a_paste_in_its_own_private_handler() -> None:
    """widgets/one_line.py replaces `Input._on_paste` (Textual keeps one line of a paste)."""
    assert parameters(Input._on_paste) == ["self", "event"]


def test_option_list_rerenders_on_resize_in_its_private_handler() -> None:
    """widgets/steady_option_list.py overrides `OptionList._on_resize`, and reads
    `scrollable_content_region` and `scroll_to_highlight`."""
    assert parameters(OptionList._on_resize) == ["self"]  # ours takes the event too
    assert callable(OptionList.scroll_to_highlight)


def test_option_list_sets_its_length_as_a_reactive_that_lays_out() -> None:
    """widgets/steady_option_list.py wraps `OptionList._update_lines`, inside which the new
    length is set to `virtual_size`, a reactive that asks for a layout through `refresh`."""
    from textual.widget import Widget

    assert parameters(OptionList._update_lines) == ["self"]
    assert "self.virtual_size = virtual_size" in inspect.getsource(OptionList._update_lines)
    assert Widget.virtual_size._layout is True


def test_screen_resume_has_the_flag_that_restyles_a_screen() -> None:
    """screens/sized_screen.py sets `refresh_styles` on the first ScreenResume."""
    assert "refresh_styles" in parameters(events.ScreenResume.__init__)
    assert events.ScreenResume().refresh_styles is True


def test_the_app_reports_a_crash_through_its_private_hooks() -> None:
    """crash.py replaces `App._fatal_error` and appends to `App._exit_renderables`, then
    `_close_messages_no_wait`, as Textual's own report does."""
    assert parameters(App._fatal_error) == ["self"]
    source = inspect.getsource(App._fatal_error)
    assert "_exit_renderables" in source and "_close_messages_no_wait" in source
    assert "show_locals" in source  # what crash.py turns off
