"""Made too small, a screen hides its parts (see TooSmall) and whatever had the focus loses it.
Made usable again, the screen gives the focus back the way it does when it first shows, to its
first focusable part (the answer field or list on the call screen), or what is typed next
would go nowhere. Any other resize changes nothing: not the focus, not a highlight."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.screen import Screen

from ..widgets.too_small import MIN_HEIGHT, MIN_WIDTH

ResultType = TypeVar("ResultType")


class FocusAfterResize(Screen[ResultType]):
    def on_resize(self, event: events.Resize) -> None:
        if event.size.width >= MIN_WIDTH and event.size.height >= MIN_HEIGHT:
            self.call_after_refresh(self._refocus_if_lost)

    def _refocus_if_lost(self) -> None:
        if self.is_current and self.focused is None:
            self.focus_next()
