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
    _shown: tuple[bool, list[str | tuple[str, str]], str] | None = None

    def show(
        self,
        call: Call,
        now: datetime,
        where: str,
        unsaved: str | None = None,
        records: str | None = None,
    ) -> None:
        started = call.state.started
        self.show_parts(
            seconds=(now - started.at).total_seconds() if started else 0,
            training=started is not None and started.training,
            yes_no_only=call.yes_no_only(),
            where=f"{where} · rec: {records}" if records and where else where,
            unsaved=unsaved,
            language=call.state.language,
            incident=call.details().get("incident"),
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
        # Always kept, whatever the width: the warnings, the call's time, its incident and
        # the display language. The program's name and where the call is give way first.
        kept: list[str | tuple[str, str]] = []
        if unsaved is not None:
            kept += ["  ", (" ⚠ NOT SAVED: ctrl+s ", "bold reverse")]
        if yes_no_only:
            kept += ["  ", (" ⚠ YES/NO ONLY ", "bold reverse")]
        kept += [f"  call {elapsed(seconds)}"]
        if incident:
            kept += ["  ", ("#", "dim"), incident]
        kept += ["  ", (f" {language.upper()} ", "reverse")]
        self._shown = (training, kept, where)
        self._fit()

    def _fit(self) -> None:
        """The line at this width: the program's name in full, else shortened (never the
        TRAINING mark), and where the call is, shortened with "…" to the room left."""
        if self._shown is None:
            return
        training, kept, where = self._shown
        width = self.app.size.width or 80
        full = Content.assemble((" TRAINING " if training else " TRAFFICKING TRIAGE ", ""), *kept)
        if full.cell_length + len(where) + 2 > width:
            where = where.replace("question ", "Q")  # "Q12 · after dispatch" before a cut
        brands = [" TRAINING "] if training else [" TRAFFICKING TRIAGE ", " TRIAGE "]
        line = Content.assemble((brands[-1], "bold reverse"), *kept)
        for brand in brands:
            line = Content.assemble((brand, "bold reverse"), *kept)
            # The full name while where the call is keeps a readable start (12 columns).
            if line.cell_length + (min(len(where), 12) + 2 if where else 0) <= width:
                break
        room = width - line.cell_length - 2
        if where and room >= 6:
            line = Content.assemble(line, "  ", Content(where).truncate(room, ellipsis=True))
        set_content(self, line)

    def on_resize(self) -> None:
        self._fit()  # at the new width now, not at the clock's next tick
