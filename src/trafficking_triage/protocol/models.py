"""The protocol's shape: strict pydantic models for protocol.yaml.

The loader builds these from YAML and the linter checks the graph they form; the engine reads
them to run a call. Every model forbids unknown keys, so a misspelt key is an error, not a
silently ignored default.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty_text", "text is empty")
    return value


Text = Annotated[str, AfterValidator(_not_blank)]
"""A dispatcher-facing text (why lines, step texts): English only is fine."""

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
"""Ids are lowercase snake_case so they read well in YAML, URLs and exports."""


def _all_filled(value: dict[str, str]) -> dict[str, str]:
    if not value:
        raise PydanticCustomError("empty_text", "text has no language")
    for text in value.values():
        _not_blank(text)
    return value


LocalText = Annotated[dict[str, str], AfterValidator(_all_filled)]
"""A text a caller may hear, one entry per language code (`en: ...`, later `es: ...`).

A mapping from the start means adding a language never changes the schema."""


class Strict(BaseModel):
    # Each model's validator is built when first needed, not as its class is defined: loading
    # a protocol builds the one for the whole file (its parts within it), and a command that
    # never loads one builds none. Launch to the first question: 551 to 452 ms, paired runs.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Source(Strict):
    title: Text
    url: str | None = None


CallerKind = Literal["worker", "escaped", "survivor", "at_scene", "other"]
"""Who is on the line: the worker it is happening to (still there, got away, or a survivor of
a past case whose co-workers are still there), someone there with the worker, or someone
calling about them from elsewhere."""

WORDED_AS: dict[CallerKind, tuple[str, ...]] = {
    "worker": ("for_worker",),
    "escaped": ("for_escaped", "for_worker"),
    "survivor": ("for_escaped", "for_worker"),
    "at_scene": ("for_other",),
    "other": ("for_other",),
}
"""Which of a question's forms each kind of caller hears, the first one the question has:
a worker who got away, or a survivor, is asked in the past tense where the question says it
(`for_escaped`); someone at the scene is asked about the worker."""

SPOKEN_TO_AS: dict[CallerKind, tuple[CallerKind, ...]] = {
    "worker": ("worker",),
    "escaped": ("escaped", "worker"),
    "survivor": ("survivor", "escaped", "worker"),
    "at_scene": ("at_scene", "other"),
    "other": ("other",),
}
"""Which of an outcome's instructions each kind of caller is given, the first one it has."""


class CallerKindThen(Strict):
    """A later answer that says more about who is on the line than the first one could (a
    caller who said "something else" is there with the worker, say)."""

    question: Id
    worker: list[Id] = Field(default_factory=list)
    at_scene: list[Id] = Field(default_factory=list)


class CallerKinds(Strict):
    """The answer that tells who is on the line: `question`'s answers in `worker` mean the
    worker is calling, those in `other` someone calling about them (and so on for each kind);
    after any other answer (one that can mean either) the caller hears the neutral words.
    `then`: later answers that tell more."""

    question: Id
    worker: list[Id] = Field(min_length=1)
    other: list[Id] = Field(min_length=1)
    escaped: list[Id] = Field(default_factory=list)
    survivor: list[Id] = Field(default_factory=list)
    at_scene: list[Id] = Field(default_factory=list)
    then: list[CallerKindThen] = Field(default_factory=list)


class Meta(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    version: Text
    title: Text
    languages: list[str] = Field(min_length=1)
    start: Id
    danger_outcome: Id
    """Where the danger-now key goes, from any question."""
    screening_step: int = 1
    """The step that is the screening itself: in progress until the route is known."""
    settle_by: dict[Id, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)
    """Per outcome, the latest question by which the route must settle on it, on every way
    through; per indicator, the latest question by which the route has settled on every way
    that raises it (`validate` proves both: see engine.reach)."""
    yes_label: LocalText = Field(default_factory=lambda: {"en": "Yes"})
    no_label: LocalText = Field(default_factory=lambda: {"en": "No"})
    unknown_label: LocalText = Field(default_factory=lambda: {"en": "Don't know"})
    """The answers offered when a question is asked in its yes/no form."""
    caller_kind: CallerKinds | None = None
    """Which answer tells who is on the line, so questions and instructions can be worded
    for them (a question's `for_worker` and `for_other`; an outcome's `instructions`)."""
    hang_up: Id | None = None
    """The decision that gives the route when the caller hangs up before the questions are
    done: it is read over the answers given so far, and leads only to outcomes (the linter
    checks), so every point of every way through has a route."""


class Step(Strict):
    number: int = Field(ge=1)
    title: Text
    text: Text
    source: Id


class Contact(Strict):
    name: Text
    role: Text
    phone: str | None = None
    text_line: str | None = None
    tty: str | None = None
    web: str | None = None
    agency_setting: bool = False
    """True where each agency fills the number in; shown as NOT CONFIGURED until it does."""
    if_not_set: Text | None = None
    """What to do instead while the agency has not set this contact."""
    source: Id


IndicatorKind = Literal[
    "force", "fraud", "coercion", "exploitation", "minor", "danger", "injury", "situation"
]
"""`situation` describes the call (the controller is near, the caller cannot talk freely), not
force, fraud or coercion; `injury`: someone is hurt."""


class Indicator(Strict):
    label: Text
    names: LocalText | None = None
    """The sign's name per language, for printed cards and slides in another language than
    `label`'s English (`label` where a language is missing)."""
    kind: IndicatorKind
    description: Text
    source: Id


class Answer(Strict):
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*$")]
    label: LocalText
    next: Id | None = None
    indicator: Id | None = None
    yes_no_from_here: bool = Field(False, alias="closed_mode")
    """(YAML `closed_mode`) Choosing this answer means the caller cannot talk freely: from
    here on the call is yes/no only (`Call.yes_no_only`), each question in its yes/no form."""
    free_from_here: bool = Field(False, alias="open_mode")
    """(YAML `open_mode`) Choosing this answer means the caller can talk freely now: yes/no
    only ends."""


class YesNoForm(Strict):
    """How a question is asked when the caller can only answer yes or no.

    For a choice question, `yes` and `no` name the answers they stand for. For a text or
    number question they are left out and the fact is recorded as the caller's yes or no."""

    text: LocalText
    yes: Id | None = None
    no: Id | None = None


QuestionKind = Literal["choice", "text", "number"]


def yes_no(answer_ids: Collection[str]) -> bool:
    """Answers that make a yes/no question: yes and no, and perhaps "don't know". Such a
    question is asked as it is to a caller who cannot talk freely, and takes the y and n keys."""
    return {"yes", "no"} <= set(answer_ids) <= {"yes", "no", "unknown"}


class Question(Strict):
    section: Literal["safety", "caller", "screening", "facts"]
    kind: QuestionKind = "choice"
    text: LocalText
    why: Text
    source: Id
    answers: list[Answer] = Field(default_factory=list)
    next: Id | None = None
    """For text and number questions: where the call goes after the answer."""
    fact: Id | None = None
    """The fact a text or number answer fills in (location, callback, ...)."""
    several: bool = False
    """A text question the caller may answer for several of a kind (persons, vehicles): each
    one is recorded as it is given, and the question stays for the next (`EntryAdded`)."""
    yes_no_form: YesNoForm | None = Field(None, alias="closed")
    """(YAML `closed`) The question's yes/no form, for a caller who cannot talk freely. In
    the code "closed" means one thing only: a call that has ended."""
    about_worker: bool = False
    """The question is about the worker: it must be worded for a worker on the line
    (`for_worker`) and for someone calling about a worker (`for_other`); `text` is read
    until the caller has said which they are."""
    for_worker: LocalText | None = None
    for_other: LocalText | None = None
    for_escaped: LocalText | None = None
    """For a worker who got away, or a survivor: the question in the past tense (a worker
    who has left is asked whether they could have quit, not whether they can)."""
    if_unknown: Id | None = None
    """For a choice question with no answer `unknown`: the answer whose way a caller who does
    not know, or declines to say, goes on (the call records which it was)."""

    @property
    def yes_no(self) -> bool:
        return self.kind == "choice" and yes_no([answer.id for answer in self.answers])

    def answer(self, answer_id: str) -> Answer:
        """The answer with this id (KeyError for none: the lint checks every id named)."""
        for answer in self.answers:
            if answer.id == answer_id:
                return answer
        raise KeyError(answer_id)

    @property
    def unknown_answer(self) -> str | None:
        """The answer a "does not know" or "declines to say" goes the way of (choice only)."""
        if self.kind != "choice":
            return None
        if self.if_unknown is not None:
            return self.if_unknown
        return "unknown" if any(a.id == "unknown" for a in self.answers) else None


class Condition(Strict):
    """All the given keys must hold for the condition to hold."""

    answered: dict[Id, list[Id]] | None = None
    """Question id to the answer ids that satisfy it."""
    given: list[Id] | None = None
    """Typed questions the caller answered with what was asked (a place, a count), not with
    "don't know", a refusal, or a yes/no."""
    any_indicator: list[Id] | None = None
    any_indicator_kind: list[IndicatorKind] | None = None


class Rule(Strict):
    when: Condition | None = None
    """Left out on the last rule: it applies when no rule above it did."""
    goto: Id
    because: Text


class Decision(Strict):
    """A routing point: the first rule whose condition holds picks where the call goes."""

    why: Text
    source: Id
    rules: list[Rule] = Field(min_length=1)


class Outcome(Strict):
    title: Text
    summary: Text
    contacts: list[Id]
    steps: list[int] = Field(min_length=1)
    tell_caller: LocalText
    source: Id
    instructions: dict[CallerKind, LocalText] = Field(default_factory=dict)
    """Once the route has settled, what to tell a worker on the line and someone calling about
    one: what to do and not do, what to do if they must hang up, whether a callback is safe."""
    tell_texter: LocalText | None = None
    """`tell_caller` on a text-to-911 call (said before the instructions, which are then given
    as well)."""
    if_hung_up: Text | None = None
    """For the dispatcher, when the caller hung up before the questions were done: what to do
    next on this route. It may name facts in braces ({callback_safe}), filled in with what the
    caller said, or "not said"."""


AgencyAllows = Literal["first_aid"]
"""A choice each agency makes in its settings: whether dispatchers may read out first-aid
words to a caller."""


class Addition(Strict):
    """Help a route brings along when an answer calls for it, whatever the route: medical help
    for someone hurt, the child-protection contact for a minor."""

    title: Text
    """A short name, added to the title of its step in the checklist."""
    when: list[Id] = Field(default_factory=list)
    """Indicators, any one of which brings this help."""
    when_fact: Id | None = None
    """Or a fact the caller gave (the worker's place now, apart from where it happened); the
    radio line may name facts in braces."""
    contacts: list[Id] = Field(default_factory=list)
    step: int | None = None
    """The step of the checklist this help is part of; it then applies on any route."""
    radio: Text | None = None
    """A line added to the radio alerts."""
    tell_caller: LocalText | None = None
    tell_caller_if: AgencyAllows | None = None
    """Read `tell_caller` out only where the agency's settings allow it."""
    source: Id


class ReferenceSection(Strict):
    """A page of the reference screen: what a dispatcher may need to look up mid-call."""

    title: Text
    body: Text
    source: Id


class Safety(Strict):
    """What `validate` proves of every way through the protocol (see engine.proofs)."""

    order: list[Id] = Field(min_length=2)
    """The outcomes, the most protective first."""
    alarming: list[IndicatorKind] = Field(min_length=1)
    """On a question raising an indicator of one of these kinds, a more alarming answer (its
    plain answer, then "don't know", then the one that raises it) never moves the call down
    `order`."""
    on_the_line: list[dict[Id, list[Id]]] = Field(default_factory=list)
    """Answers, any one of which means the person it is happening to is on the line (or
    someone at the scene with them)."""
    plain_signs: list[Id] = Field(default_factory=list)
    """Questions whose answer, when not clearly negative, makes such a caller's call an
    `on_the_line_route` call."""
    on_the_line_route: Id | None = None
    known_place: Id | None = None
    """A typed question: when it is answered and a `credible` sign is found, the call never
    ends on the last of `order`."""
    credible: list[IndicatorKind] = Field(default_factory=list)


class Case(Strict):
    """A worked example the protocol must route as stated; `validate` runs them all."""

    name: Text
    answers: dict[Id, str | int]
    escalate_at: Id | None = None
    hang_up_at: Id | None = None
    """The caller hangs up when this question comes up (it is not answered)."""
    text_call: bool = False
    """A text-to-911 call: yes/no from the first question, typed answers taken."""
    expect: Id
    expect_indicators: list[Id] | None = None


class Protocol(Strict):
    protocol: Meta
    sources: dict[Id, Source]
    steps: list[Step] = Field(min_length=1)
    contacts: dict[Id, Contact]
    indicators: dict[Id, Indicator]
    questions: dict[Id, Question] = Field(min_length=1)
    decisions: dict[Id, Decision] = Field(default_factory=dict)
    outcomes: dict[Id, Outcome] = Field(min_length=1)
    additions: dict[Id, Addition] = Field(default_factory=dict)
    safety: Safety | None = None
    cases: list[Case] = Field(default_factory=list)
    reference: list[ReferenceSection] = Field(default_factory=list)

    def step(self, number: int) -> Step:
        return next(step for step in self.steps if step.number == number)
