"""The baseline for the console benchmarks: a bare Textual app showing one line of text.

Each key press replaces the line, so a key's round trip can be timed the same way as the
console's move to its next question."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.events import Key
from textual.widgets import Static


class MinimalApp(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("minimal ready", id="line")

    def on_key(self, event: Key) -> None:
        if event.key == "q":
            self.exit()
            return
        self.presses = getattr(self, "presses", 0) + 1
        self.query_one("#line", Static).update(f"minimal pressed {self.presses}")


if __name__ == "__main__":
    MinimalApp().run()
