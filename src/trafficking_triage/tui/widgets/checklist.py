"""The eight protocol steps with their status, as symbols and words.

Number keys tick steps only on the route screen, where no answer is offered; there each
step's number is shown as a key, as the answers' numbers are on a question. Beside a
question the steps carry no number at all: a digit there answers the question, and nothing
on that screen may suggest it ticks a step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..words import STATUS_MARKS, set_content

if TYPE_CHECKING:
    from ...engine import ChecklistItem


class Checklist(Static):
    def show(self, items: list[ChecklistItem], hint: str = "", *, keys: bool = False) -> None:
        lines: list[Content] = [Content.styled("CHECKLIST", "bold")]
        if hint:
            lines.append(Content.styled(hint, "dim"))
        for item in items:
            mark, word = STATUS_MARKS[item.status]
            style = "bold" if item.status in {"in_progress", "to_do"} else ""
            style = "dim" if item.status in {"not_applicable", "waiting"} else style
            if keys:  # "☐ 5 Title", the number shown as a key, as the answers' are
                line = Content.assemble(
                    (mark, style), (f" {item.number} ", "bold reverse"), (item.title, style)
                )
            else:
                line = Content.assemble((f"{mark} ", style), (item.title, style))
            if item.status in {"in_progress", "to_do", "not_applicable"}:
                line = Content.assemble(line, (f" ({word})", "dim"))
            lines.append(line)
        set_content(self, Content("\n").join(lines))
