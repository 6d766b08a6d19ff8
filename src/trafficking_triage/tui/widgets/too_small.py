"""The plain message shown instead of a screen when the terminal is too small to use."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20


class TooSmall(Static):
    """Hidden by the app's stylesheet unless the screen's breakpoint classes say too small."""

    def __init__(self) -> None:
        super().__init__(
            f"Enlarge the window: this console needs at least {MIN_WIDTH}x{MIN_HEIGHT}.\n"
            "The call is kept; nothing is lost.",
            markup=False,
        )
