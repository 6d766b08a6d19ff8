"""The red flags the caller's answers have raised so far."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import set_content

if TYPE_CHECKING:
    from ...protocol.models import Indicator


class IndicatorList(Static):
    def show(self, found: list[Indicator]) -> None:
        lines = [Content.styled(f"INDICATORS ({len(found)})", "bold")]
        if not found:
            lines.append(Content.styled("none yet", "dim"))
        for indicator in found:
            lines.append(
                Content.assemble(("! ", "bold"), indicator.label, (f" ({indicator.kind})", "dim"))
            )
        set_content(self, Content("\n").join(lines))
