"""The App's crash report, kept private: Textual prints the values of local variables with a
traceback by default, and they would hold what the caller said. Mixed into the App."""

from __future__ import annotations

from typing import Any

from textual.app import App


class PrivateCrashReport(App[Any]):
    def _fatal_error(self) -> None:
        # Textual's own `_fatal_error`, without `show_locals` (a private hook: Textual is
        # pinned below its next major version for it, and a test in test_calls guards it).
        from rich.segment import Segments
        from rich.traceback import Traceback

        self.bell()
        report = Traceback(show_locals=False, width=None)
        self._exit_renderables.append(Segments(self.console.render(report, self.console.options)))
        self._close_messages_no_wait()
