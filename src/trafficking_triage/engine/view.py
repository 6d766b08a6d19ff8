"""What the engine hands to the screens, as plain data: the question to ask now and the
checklist's lines. Read by the call screen, the outcome screen and the exports.

Named tuples rather than frozen dataclasses: a dataclass takes about a millisecond to define,
and these are defined before the first question can show.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal, NamedTuple

from ..protocol.models import yes_no


def utc_now() -> datetime:
    """The clock every event and the call timer read, unless a test gives its own."""
    return datetime.now(UTC)


class Choice(NamedTuple):
    """One answer offered on screen: `id` is what gets recorded."""

    id: str
    label: dict[str, str]


class Prompt(NamedTuple):
    """The question to ask now, in the form it must be asked."""

    question: str
    kind: Literal["choice", "text", "number"]
    text: dict[str, str]
    choices: tuple[Choice, ...]
    yes_no_form: bool
    """Asked in its yes/no form (the caller cannot talk freely: see `Call.yes_no_only`)."""
    several: bool = False
    """Typed answers for several of a kind (persons, vehicles), one at a time."""

    @property
    def yes_no(self) -> bool:
        return self.kind == "choice" and yes_no([choice.id for choice in self.choices])


StepStatus = Literal["in_progress", "waiting", "to_do", "done", "not_applicable"]


class ChecklistItem(NamedTuple):
    number: int
    title: str
    status: StepStatus

    @property
    def open(self) -> bool:
        """Still to be done by the dispatcher (the screening, or a step the route needs)."""
        return self.status in {"to_do", "in_progress"}
