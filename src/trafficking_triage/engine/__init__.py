"""The call engine: events in, state out. Pure Python; imports no Textual.

Its names are imported on first use, so the plain data in `engine.view` can be read without
loading the protocol models (see `trafficking_triage.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from .call import Call, CallError, CallState, Reason, Route
    from .replay import Unanswered, check_cases, replay_answers
    from .view import ChecklistItem, Choice, Prompt

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

__getattr__ = lazy_names(
    __name__,
    {
        "Call": "call",
        "CallError": "call",
        "CallState": "call",
        "ChecklistItem": "view",
        "Choice": "view",
        "Prompt": "view",
        "Reason": "call",
        "Route": "call",
        "Unanswered": "replay",
        "check_cases": "replay",
        "replay_answers": "replay",
    },
)
