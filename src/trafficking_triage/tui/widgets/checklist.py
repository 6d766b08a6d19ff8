"""The eight protocol steps with their status, as symbols and words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import STATUS_MARKS, set_content

if TYPE_CHECKING:
    from ...engine import ChecklistItem


class Checklist(Static):
    def show(self, items: list[ChecklistItem], hint: str = "") -> None:
        lines: list[Content] = [Content.styled("CHECKLIST", "bold")]
        if hint:
            lines.append(Content.styled(hint, "dim"))
        for item in items:
            mark, word = STATUS_MARKS[item.status]
            style = "bold" if item.status in {"in_progress", "to_do"} else ""
            style = "dim" if item.status in {"not_applicable", "waiting"} else style
            line = Content.assemble((f"{mark} {item.number} ", style), (item.title, style))
            if item.status in {"in_progress", "to_do", "not_applicable"}:
                line = Content.assemble(line, (f" ({word})", "dim"))
            lines.append(line)
        set_content(self, Content("\n").join(lines))
