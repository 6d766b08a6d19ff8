"""The base of every full screen: styled once before its first frame, and following the
terminal's size.

- Its size classes (the app's breakpoints: compact, roomy, too small) are set when it is built,
  not by its first Resize, and it is not styled again as it first shows (see post_message):
  either would style every widget on it a second time before its first frame.
- Made too small, a screen hides its parts (see TooSmall) and whatever had the focus loses it.
  Made usable again, it gives the focus back to its first focusable part (`focus_first`: the
  answer field or list on the call screen), or what is typed next would go nowhere. This holds
  for a screen seen beneath another (the call screen under the reference) as well as for the
  one on top. Any other resize changes nothing: not the focus, not a highlight."""

from __future__ import annotations

import contextlib
from typing import Any, TypeVar

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen

from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH

ResultType = TypeVar("ResultType")


def size_classes(app: App[Any]) -> list[str]:
    """The app's breakpoint classes for its present size, as Textual sets them on a resize."""
    width, height = app.size
    names: list[str] = []
    for dimension, points in (
        (width, app.HORIZONTAL_BREAKPOINTS),
        (height, app.VERTICAL_BREAKPOINTS),
    ):
        fitting = [name for least, name in sorted(points or []) if dimension >= least]
        names.extend(fitting[-1:])
    return names


class SizedScreen(Screen[ResultType]):
    def __init__(
        self, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name, id, classes)
        self._resumed_once = False
        with contextlib.suppress(RuntimeError):  # no app running: nothing to size it by
            self.add_class(*size_classes(self.app), update=False)

    def post_message(self, message: Message) -> bool:
        if isinstance(message, events.ScreenResume) and not self._resumed_once:
            # Textual styles each widget of a new screen as it is mounted, then all of them
            # again as the screen first resumes, a moment later; what changes in between
            # (classes, focus, display) restyles itself. The second pass, about 10 ms on the
            # call screen before its first frame, is skipped; later resumes (a screen above
            # closing) restyle as Textual decides. The snapshot tests hold every screen equal.
            self._resumed_once = True
            message.refresh_styles = False
        return super().post_message(message)

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width >= MIN_WIDTH and event.size.height >= MIN_HEIGHT:
            self.call_after_refresh(self._refocus_if_lost)

    def _refocus_if_lost(self) -> None:
        # `is_current` is true for a screen seen beneath the one on top too: it is resized
        # along with it, and loses its focus the same way.
        if self.is_current and self.focused is None:
            self.focus_first()

    def focus_first(self) -> None:
        """Focus the part that takes the keys when the screen shows."""
        self.focus_next()
