"""The plain message shown instead of a screen when the terminal is too small to use."""

from __future__ import annotations

from textual.widgets import Static

MIN_WIDTH = 60
MIN_HEIGHT = 20
WIDTHS = [(0, "-too-narrow"), (MIN_WIDTH, "-compact"), (80, "-roomy"), (120, "-wide")]
"""The screens' width classes (the App's breakpoints): too narrow to use, compact, roomy,
and wide enough for the checklist's step names in full."""


class TooSmall(Static):
    """Hidden by the app's stylesheet unless the screen's breakpoint classes say too small."""

    def __init__(self) -> None:
        super().__init__(
            f"Enlarge the window: this console needs at least {MIN_WIDTH}x{MIN_HEIGHT}.\n"
            "The call is kept; nothing is lost.",
            markup=False,
        )
