"""What happens during a call, as small typed events.

A call is an append-only list of these; the engine folds them into the call's state, the record
store writes each one as it happens, and an export reads them back. Every event carries the UTC
time it happened. Answers are stored by id, never by the words on screen, so a call reads the
same whatever language the dispatcher had on display.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    at: datetime


class CallStarted(_Event):
    """A call was opened on a console with a protocol (and any context a CAD passed in)."""

    kind: Literal["call_started"] = "call_started"
    protocol_id: str
    protocol_version: str
    protocol_sha256: str
    console: str | None = None
    dispatcher: str | None = None
    context: dict[str, str] = Field(default_factory=dict)
    language: str = "en"
    training: bool = False
    scenario: str | None = None
    """The training scenario played (training calls only)."""
    settings_path: str | None = None
    settings_sha256: str | None = None
    """The agency settings file in force for this call, if any."""
    text_call: bool = False
    """A text-to-911 call: yes/no mode from the first question, but typed answers are taken
    (a texter can type a place or a count)."""


NoAnswer = Literal["unknown", "declined"]
"""Why a question has no real answer: the caller did not know, or declined to say."""


class QuestionAnswered(_Event):
    """The caller answered the current question: an answer id, or the text typed for them."""

    kind: Literal["question_answered"] = "question_answered"
    question: str
    answer: str | None = None
    value: str | None = None
    closed: bool = False
    """Asked in its yes/no form because the caller could not talk freely. (The name is kept
    as it is written in every record; the code calls it `yes_no_form`.)"""
    unanswered: NoAnswer | None = None
    """The caller gave no answer: did not know, or declined to say. A choice question then
    records the answer whose way the call goes on (the question's `unknown_answer`); a typed
    one records no value."""
    kept: bool = Field(False, exclude_if=lambda kept: not kept)
    """Given again by the console after an earlier answer was changed (`WentBack.amending`):
    the caller's answer as first given, to a question still asked on the new way. Written
    only when true, so a record without amendments reads as before."""


class WentBack(_Event):
    """The dispatcher returned to an earlier question; the answers from there on fell away.

    With `undo_escalation`, Back took back a danger-now key press instead: no answer falls
    away and the call returns to where the answers put it (`to` names the question the key
    was pressed on, empty when it was pressed on an outcome).

    With `undo_end`, Back took back the dispatcher's ending of the questions: no answer falls
    away and the call returns to the question the questions were ended on (`to`)."""

    kind: Literal["went_back"] = "went_back"
    to: str
    dropped: list[str]
    undo_escalation: bool = False
    undo_end: bool = False
    amending: bool = Field(False, exclude_if=lambda amending: not amending)
    """Back to change the answer to `to` only: once it is answered again, each later answer
    to a question still asked on the new way is given again as it was (`kept`), and only
    the questions the new way brings are asked. Written only when true."""


class Escalated(_Event):
    """The danger-now key: straight to the officer route, from wherever the call was."""

    kind: Literal["escalated"] = "escalated"
    question: str | None
    questions_go_on: bool = False
    """The questions left go on after the key (written by this program since the dispatch
    point). A record from before it, without this, folds as it did then: the key ended the
    questions there, and any Back took it away."""


class RouteReached(_Event):
    """Where the call goes, written down when it is reached (the engine also derives it)."""

    kind: Literal["route_reached"] = "route_reached"
    outcome: str
    because: str


class RouteSettled(_Event):
    """No answer still to come can change the route: one outcome is left (see engine.reach).
    The dispatcher can send now and keep asking; the questions after this are post-dispatch."""

    kind: Literal["route_settled"] = "route_settled"
    outcome: str
    question: str | None
    """The question whose answer settled it (or the one on screen when the danger-now key was
    pressed); None when it was settled before any question."""
    asked: int
    """How many questions had been answered when it settled."""


class QuestioningEnded(_Event):
    """The route had settled and the dispatcher ended the questions there (or the caller hung
    up: `hung_up`): the call goes to the route, and `left` names every question that could
    still have been asked."""

    kind: Literal["questioning_ended"] = "questioning_ended"
    question: str
    """The question on screen when the questions were ended."""
    left: list[str]
    hung_up: bool = False
    """The caller hung up: the questions ended there whether or not the route had settled,
    and the call goes to the route the protocol's `hang_up` rule gives for what is known."""


class RouteUnsettled(_Event):
    """Going back made more than one outcome reachable again."""

    kind: Literal["route_unsettled"] = "route_unsettled"
    asked: int


class StepTicked(_Event):
    """A protocol step was marked done (or the mark taken back)."""

    kind: Literal["step_ticked"] = "step_ticked"
    step: int
    done: bool = True


class NoteAdded(_Event):
    """Free text the dispatcher wrote down."""

    kind: Literal["note_added"] = "note_added"
    text: str


class EntryAdded(_Event):
    """One of several the caller described (a person, a vehicle) at a question that takes
    several (`several` in the protocol): recorded as it is given, and the question stays for
    the next. Like a note, an entry is never let fall by going back: it is what the caller
    said. The question's own answer, given with Enter, is the last one (or none)."""

    kind: Literal["entry_added"] = "entry_added"
    question: str
    text: str


DETAIL_NAMES = ("incident", "callback", "location")
"""What the dispatcher can enter for a call at any moment (as the CAD can pass in at its start)."""


class DetailsGiven(_Event):
    """The dispatcher entered the call's incident number, callback or location during the
    call (F12): each value given replaces what the call had under that name, an empty one
    takes it away. They stand above what the CAD passed in and what the caller answered."""

    kind: Literal["details_given"] = "details_given"
    details: dict[str, str]


class YesNoSwitched(_Event):
    """The dispatcher switched yes/no mode on or off (the caller can, or cannot, talk freely
    now), whatever the answers had set."""

    kind: Literal["yes_no_switched"] = "yes_no_switched"
    on: bool


class LanguageSwitched(_Event):
    """The language the questions are shown in changed."""

    kind: Literal["language_switched"] = "language_switched"
    language: str


CloseReason = Literal["completed", "interrupted", "abandoned"]


class CallClosed(_Event):
    """The call ended; `open_steps` are the steps that applied but were not ticked."""

    kind: Literal["call_closed"] = "call_closed"
    how: CloseReason
    open_steps: list[int]


Event = Annotated[
    CallStarted
    | QuestionAnswered
    | WentBack
    | Escalated
    | RouteReached
    | RouteSettled
    | RouteUnsettled
    | QuestioningEnded
    | StepTicked
    | NoteAdded
    | EntryAdded
    | DetailsGiven
    | LanguageSwitched
    | YesNoSwitched
    | CallClosed,
    Field(discriminator="kind"),
]

EVENT: TypeAdapter[Event] = TypeAdapter(Event, config=ConfigDict(defer_build=True))
"""Reads an event back from its JSON form (`EVENT.validate_json(text)`)."""


def keeps_a_record(event: Event) -> bool:
    """Whether `event` makes its call one to keep: anything said or done on it beyond its
    start and the display language (an answer, danger now, a note, a step, the yes/no switch,
    closing it as completed). A call abandoned with nothing more is not kept: nobody said
    anything, and a record of it would only stand between a supervisor and the real calls."""
    if isinstance(event, CallClosed):
        return event.how != "abandoned"
    return not isinstance(event, CallStarted | LanguageSwitched)
