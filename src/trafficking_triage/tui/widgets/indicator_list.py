"""The red flags the caller's answers have raised so far."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...engine import Call
from ..words import set_content


class IndicatorList(Static):
    def show(self, call: Call) -> None:
        found = call.indicators()
        lines = [Content.styled(f"INDICATORS ({len(found)})", "bold")]
        if not found:
            lines.append(Content.styled("none yet", "dim"))
        for name, _question in found:
            indicator = call.protocol.indicators[name]
            lines.append(
                Content.assemble(("! ", "bold"), indicator.label, (f" ({indicator.kind})", "dim"))
            )
        set_content(self, Content("\n").join(lines))
