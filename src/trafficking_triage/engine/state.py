"""What a call's events add up to (`CallState`), the pieces it is made of, and the error an
action the call cannot take raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from ..protocol.models import (
    Protocol,
)
from .events import (
    CallClosed,
    CallStarted,
    Event,
    NoAnswer,
    QuestionAnswered,
    QuestioningEnded,
    RouteSettled,
)
from .view import Prompt


class CallError(Exception):
    """An action the call cannot take now (a wrong answer id, back with nothing to go back to)."""


@dataclass(frozen=True)
class Given:
    """An answer in the current state of the call."""

    question: str
    answer: str | None
    value: str | None
    yes_no_form: bool
    """Asked in its yes/no form (the event's `closed`)."""
    at: datetime
    seq: int
    """The answer's place among the call's events (for what was in force before it)."""
    unanswered: NoAnswer | None = None
    """The caller did not know, or declined to say (see `QuestionAnswered.unanswered`)."""


@dataclass(frozen=True)
class Reason:
    """An answer that decided the route, worded for the screen and the export."""

    question: str
    answer: str
    """The answer's id, or the typed value."""
    unanswered: NoAnswer | None = None
    """The caller did not know or declined to say (`answer` is the way the call went on)."""


@dataclass(frozen=True)
class Route:
    outcome: str
    because: str
    deciding: tuple[Reason, ...]
    escalated: bool = False
    """Reached by the danger-now key rather than by the answers."""
    escalated_at: str | None = None
    """The question on screen when the danger-now key was pressed (None on an outcome)."""


@dataclass
class CallState:
    """What the events of a call add up to. Rebuilt by `Call`; read by everything else."""

    started: CallStarted | None = None
    answers: list[Given] = field(default_factory=list)
    prompt: Prompt | None = None
    route: Route | None = None
    skipped: list[str] = field(default_factory=list)
    """Questions passed over because the caller could not answer them freely."""
    ticked: set[int] = field(default_factory=set)
    unticked: set[int] = field(default_factory=set)
    """Steps the dispatcher explicitly unticked (the screening step is otherwise automatic)."""
    notes: list[str] = field(default_factory=list)
    pending: dict[str, QuestionAnswered] = field(default_factory=dict)
    """After an amending Back: the later answers it let fall, each to be given again should
    its question be asked again (see `Call.answer`)."""
    entries: dict[str, list[str]] = field(default_factory=dict)
    """Question to what the caller described there one at a time before its answer
    (EntryAdded): never let fall by going back."""
    entered: dict[str, str] = field(default_factory=dict)
    """The details the dispatcher entered during the call (DetailsGiven), the latest each."""
    language: str = "en"
    settled: RouteSettled | None = None
    """Set once no answer still to come can change the route; cleared by going back."""
    escalated: Route | None = None
    """The danger-now key's route: it stands whatever the answers say, while the questions
    go on after it, until Back takes the key press back."""
    escalated_seq: int = 0
    """The danger-now key press's place among the call's events."""
    escalated_then: bool = False
    """Recorded before the questions went on after the key (see `Escalated`)."""
    ended: QuestioningEnded | None = None
    """The dispatcher ended the questions on the settled route (until Back takes it back)."""
    ended_seq: int = 0
    ended_route: Route | None = None
    """The route the questions were ended on."""
    switches: list[tuple[int, bool]] = field(default_factory=list)
    """Yes/no mode switched by the dispatcher: (place among the events, on)."""
    closed: CallClosed | None = None


class CallBase:
    """What every part of a call (fold.py, readings.py, call.py) reads: set in `Call.__init__`."""

    protocol: Protocol
    clock: Callable[[], datetime]
    events: list[Event]
    listeners: list[Callable[[Event], None]]
    state: CallState
