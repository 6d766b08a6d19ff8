"""The call engine: events in, state out. Pure Python; imports no Textual."""

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
