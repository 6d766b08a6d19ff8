"""The keys that work now, on the bottom line of every screen.

One Static line in place of Textual's Footer: the Footer builds a widget for every key and
builds them all again whenever the keys change, which is on every answer; that cost showed in
the time to the first question and from a key to the next one. This line is redrawn only
when its text changes. Keys the screen offers but cannot take now are dimmed, as the Footer
does; keys that do not apply now are left out. When the keys do not fit the width with two
spaces between them, one space is used (the outcome screen's seven keys at 80 columns);
beyond that the line ends in "…".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import set_content

if TYPE_CHECKING:
    from textual.screen import Screen


class KeyHints(Static):
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        background: $panel;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.show_keys()

    def on_resize(self) -> None:
        self.show_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.show_keys()

    def show_keys(self) -> None:
        hints: list[Content] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if not binding.show or binding.action in actions:
                continue  # one hint per action (F1 and ? both open the reference)
            actions.add(binding.action)
            key = self.app.get_key_display(binding)
            hints.append(
                Content.assemble(
                    (key, "bold" if enabled else "dim"),
                    (f" {binding.description}", "" if enabled else "dim"),
                )
            )
        # Docked across the whole screen: before its first layout its width is the app's.
        width = self.size.width or self.app.size.width
        for separator in ("  ", " "):
            line = Content.assemble(" ", Content(separator).join(hints))
            if line.cell_length <= width:
                break
        set_content(self, line)
