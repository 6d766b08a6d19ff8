"""The keys that work now, on the bottom line of every screen.

One Static line in place of Textual's Footer: the Footer builds a widget for every key and
builds them all again whenever the keys change, which is on every answer; that cost showed in
the time to the first question and from a key to the next one. This line is redrawn only
when its text changes. Keys the screen offers but cannot take now are dimmed, as the Footer
does; keys that do not apply now are left out. When the keys do not fit the width with two
spaces between them, one space is used; beyond that a second line takes the rest (a call's
question screen at 80 columns), and it may end in "…". The danger-now key is always first.
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
            hint = Content.assemble(
                (key, "bold" if enabled else "dim"),
                (f" {binding.description}", "" if enabled else "dim"),
            )
            if binding.id == "danger_now":
                hints.insert(0, hint)  # first: whatever else the line holds, it is never cut
            else:
                hints.append(hint)
        # Docked across the whole screen: before its first layout its width is the app's.
        width = self.size.width or self.app.size.width
        lines = self.lay_out(hints, width)
        self.styles.height = len(lines)
        set_content(self, Content("\n").join(lines))

    @staticmethod
    def lay_out(hints: list[Content], width: int) -> list[Content]:
        """One line with two spaces between the keys, else one space; when the keys do not
        fit even so, a second line takes those that do not (the second line may end in …)."""
        for separator in ("  ", " "):
            line = Content.assemble(" ", Content(separator).join(hints))
            if line.cell_length <= width:
                return [line]
        first: list[Content] = []
        for count, hint in enumerate(hints):
            if Content.assemble(" ", Content(" ").join([*first, hint])).cell_length > width:
                rest = hints[count:]
                break
            first.append(hint)
        else:
            rest = []
        lines = [Content.assemble(" ", Content(" ").join(first))]
        if rest:
            lines.append(Content.assemble(" ", Content(" ").join(rest)))
        return lines
