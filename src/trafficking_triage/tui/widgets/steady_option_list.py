"""An OptionList that keeps steady where Textual's would stumble or redo work.

- Page Up / Page Down cannot fail. Textual's OptionList looks up line positions that exist only
  once the list has been laid out; Page Down right after the options change (a fast key, a
  script) raised KeyError there and stopped the whole console. Until the layout exists there is
  nothing to page through.
- The highlighted option stays in view through a resize. The trail changes height with nearly
  every question (the question above it is taller or shorter); Textual scrolls to the newest
  answer before that new height is known, and a shorter trail then hid it.
- A resize that keeps the width keeps the rendered options. Textual's OptionList throws all of
  them away on every resize, though they depend only on the width, and rendering every line
  of the trail again took a frame of its own after most answers.
- Options added to a list of fixed size are painted, not laid out. Textual lays the whole
  screen out again whenever a list's scrollable length changes; a list whose height the
  stylesheet fixes (the trail) keeps its size then, unless its scroll bar comes or goes.
- With `on_pick`, Enter (or a click) acts at once, inside the key's handling, rather than
  through an "option selected" message handled later: the key pressed next then meets what
  the pick opened (see key_turns)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from textual import events
from textual.geometry import Region
from textual.widgets import OptionList


class SteadyOptionList(OptionList):
    _rendered_width: int | None = None
    _lines_updating = False

    def __init__(
        self, *content: Any, on_pick: Callable[[str], None] | None = None, **options: Any
    ) -> None:
        super().__init__(*content, **options)
        self.on_pick = on_pick

    def action_select(self) -> None:
        option = self.highlighted_option
        if self.on_pick is None:
            super().action_select()
        elif option is not None and option.id is not None and not option.disabled:
            self.on_pick(option.id)

    def action_page_down(self) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super().action_page_down()  # type: ignore[no-untyped-call]

    def action_page_up(self) -> None:
        with contextlib.suppress(KeyError, IndexError):
            super().action_page_up()  # type: ignore[no-untyped-call]

    def _on_resize(self, event: events.Resize) -> None:  # type: ignore[override]
        # A new size is repainted anyway (Textual marks the widget dirty); only a new width
        # changes how each option renders, and how many lines it takes. Preventing the default
        # skips OptionList's own handler, which would throw the rendered options away.
        width = self.scrollable_content_region.width
        if width == self._rendered_width:
            event.prevent_default()
        self._rendered_width = width
        self.scroll_to_highlight()

    def _update_lines(self) -> None:
        self._lines_updating = True  # the new length is set inside (see `refresh`)
        try:
            super()._update_lines()
        finally:
            self._lines_updating = False

    def refresh(
        self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False
    ) -> SteadyOptionList:
        if layout and self._lines_updating and self._keeps_its_size():
            layout = False
        super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)
        return self

    def _keeps_its_size(self) -> bool:
        """Whether the list's new length leaves its size as it is: a size the stylesheet
        fixes, and the scroll bars shown as they were."""
        if self.styles.auto_dimensions:
            return False
        room = self.scrollable_content_region
        wanted = self.virtual_size
        return (wanted.height > room.height) == self.show_vertical_scrollbar and (
            wanted.width > room.width
        ) == self.show_horizontal_scrollbar
