"""The top line of a call screen: program, the CAD incident, the display language, elapsed
call time, where the call is, and warnings (records not saved, the caller's yes/no mode)."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import elapsed, set_content

if TYPE_CHECKING:
    from ...engine import Call


class CallHeader(Static):
    _shown: tuple[str, list[str | tuple[str, str]], bool] | None = None

    def show(self, call: Call, now: datetime, where: str, unsaved: str | None = None) -> None:
        started = call.state.started
        self.show_parts(
            seconds=(now - started.at).total_seconds() if started else 0,
            training=started is not None and started.training,
            yes_no_only=call.yes_no_only(),
            where=where,
            unsaved=unsaved,
            language=call.state.language,
            incident=started.context.get("incident") if started else None,
        )

    def show_parts(
        self,
        *,
        seconds: float,
        training: bool,
        yes_no_only: bool,
        where: str,
        unsaved: str | None,
        language: str = "en",
        incident: str | None = None,
    ) -> None:
        brand = " TRAINING " if training else " TRAFFICKING TRIAGE "
        # The warnings first, so a narrow screen cuts where the call is, never a warning.
        rest: list[str | tuple[str, str]] = []
        if unsaved is not None:
            rest += ["  ", (" ⚠ NOT SAVED: ctrl+s ", "bold reverse")]
        if yes_no_only:
            rest += ["  ", (" ⚠ YES/NO ONLY ", "bold reverse")]
        rest += [f"  call {elapsed(seconds)}"]
        if incident:
            rest += ["  ", ("#", "dim"), incident]
        rest += ["  ", (f" {language.upper()} ", "reverse"), "  ", where]
        self._shown = (brand, rest, training)
        self._fit()

    def _fit(self) -> None:
        """The line, with the program's name shortened when the screen is too narrow for all."""
        if self._shown is None:
            return
        brand, rest, training = self._shown
        line = Content.assemble((brand, "bold reverse"), *rest)
        if line.cell_length > self.app.size.width > 0 and not training:
            line = Content.assemble((" TRIAGE ", "bold reverse"), *rest)  # room for the rest
        set_content(self, line)

    def on_resize(self) -> None:
        self._fit()  # at the new width now, not at the clock's next tick
