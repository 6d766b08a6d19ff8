"""A text field whose Enter acts at once, inside the key's handling, rather than through a
"submitted" message handled later: the key pressed next then meets what Enter opened or
closed (see key_turns)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .one_line import OneLineInput


class SubmitField(OneLineInput):
    joiner = " / "
    """A note or a path pasted over several lines keeps every line, joined as the exports
    show a line break."""

    def __init__(self, value: str, *, on_submit: Callable[[str], None], **options: Any) -> None:
        super().__init__(value, **options)
        self.on_submit = on_submit

    async def action_submit(self) -> None:
        self.on_submit(self.value)
