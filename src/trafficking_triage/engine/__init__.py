"""The call engine: events in, state out. Pure Python; imports no Textual.

The names below are imported when first used (PEP 562), so a command that reads only the
records' rows never defines the event models."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .call import Call, CallError, CallState, Reason, Route
    from .replay import Unanswered, check_cases, replay_answers
    from .view import ChecklistItem, Choice, Prompt

_WHERE = {
    **dict.fromkeys(("Call", "CallError", "CallState", "Reason", "Route"), ".call"),
    **dict.fromkeys(("Unanswered", "check_cases", "replay_answers"), ".replay"),
    **dict.fromkeys(("ChecklistItem", "Choice", "Prompt"), ".view"),
}

__all__ = [
    "Call",
    "CallError",
    "CallState",
    "ChecklistItem",
    "Choice",
    "Prompt",
    "Reason",
    "Route",
    "Unanswered",
    "check_cases",
    "replay_answers",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
