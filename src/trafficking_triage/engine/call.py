"""A call: its events, and the state they add up to.

The app, the record store, `decide`, `validate` (for the protocol's cases) and training all go
through `Call`. The state is never stored, only derived: folding the same events over the same
protocol always gives the same state, which is what makes resuming after a crash, replaying a
record and scoring a training call one mechanism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from ..protocol.models import (
    SPOKEN_TO_AS,
    WORDED_AS,
    CallerKind,
    Condition,
    Decision,
    Protocol,
    Question,
    Rule,
)
from .events import (
    CallClosed,
    CallStarted,
    CloseReason,
    Escalated,
    Event,
    LanguageSwitched,
    NoAnswer,
    NoteAdded,
    QuestionAnswered,
    QuestioningEnded,
    RouteReached,
    RouteSettled,
    RouteUnsettled,
    StepTicked,
    WentBack,
    YesNoSwitched,
)
from .reach import reach_for
from .view import ChecklistItem, Choice, Prompt, StepStatus, utc_now


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


class Call:
    """One call, driven by the dispatcher's actions and kept as events.

    `listeners` hear every event after it is applied; the record store is one, so an event is
    written as soon as it happens.
    """

    def __init__(
        self,
        protocol: Protocol,
        events: Iterable[Event] = (),
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.protocol = protocol
        self.clock = clock
        self.events: list[Event] = []
        self.listeners: list[Callable[[Event], None]] = []
        self.state = CallState()
        for event in events:
            self._apply(event)
            self.events.append(event)

    @classmethod
    def start(
        cls,
        protocol: Protocol,
        sha256: str,
        *,
        clock: Callable[[], datetime] = utc_now,
        console: str | None = None,
        dispatcher: str | None = None,
        context: dict[str, str] | None = None,
        language: str | None = None,
        training: bool = False,
        settings: tuple[str, str] | None = None,
        scenario: str | None = None,
        text_call: bool = False,
    ) -> Call:
        call = cls(protocol, clock=clock)
        call.record(
            CallStarted(
                at=clock(),
                protocol_id=protocol.protocol.id,
                protocol_version=protocol.protocol.version,
                protocol_sha256=sha256,
                console=console,
                dispatcher=dispatcher,
                context=context or {},
                language=language or protocol.protocol.languages[0],
                training=training,
                scenario=scenario,
                settings_path=settings[0] if settings else None,
                settings_sha256=settings[1] if settings else None,
                text_call=text_call,
            )
        )
        return call

    @classmethod
    def as_far_as_it_goes(
        cls, protocol: Protocol, events: Iterable[Event], clock: Callable[[], datetime] = utc_now
    ) -> tuple[Call, list[Event], str | None]:
        """The call folded from `events` up to the first one that cannot follow the ones
        before it (a record written on after its close, say): the call, the events left
        over, and why they do not follow (None when every event does)."""
        call = cls(protocol, clock=clock)
        events = list(events)
        for index, event in enumerate(events):
            try:
                call._apply(event)
            except CallError as error:
                return call, events[index:], f"event {index + 1} of {len(events)}: {error}"
            call.events.append(event)
        return call, [], None

    # -- actions ---------------------------------------------------------------------------
    def record(self, event: Event) -> None:
        self._apply(event)
        self.events.append(event)
        for listener in list(self.listeners):  # one may add or remove listeners as it hears
            listener(event)

    def answer(self, value: str) -> None:
        """Answer the current question: an answer id for a choice, else the text typed."""
        prompt = self._require_prompt()
        if prompt.kind == "choice" or prompt.yes_no_form:
            known = [choice.id for choice in prompt.choices]
            if value not in known:
                # The value is not repeated: it may be something the caller said.
                raise CallError(f"not one of the answers to '{prompt.question}': {known}")
            if prompt.yes_no_form and value == "unknown":
                self.not_answered("unknown")  # the yes/no form's "don't know"
                return
            question = self.protocol.questions[prompt.question]
            answer_id: str | None = value
            typed: str | None = None
            if prompt.yes_no_form and question.kind != "choice":
                answer_id, typed = None, value
            elif prompt.yes_no_form and question.closed is not None:
                answer_id = question.closed.yes if value == "yes" else question.closed.no
            event = QuestionAnswered(
                at=self.clock(),
                question=prompt.question,
                answer=answer_id,
                value=typed,
                closed=prompt.yes_no_form,
            )
        else:
            text = value.strip()
            if not text:
                raise CallError("an empty answer: type what the caller said")
            # A number is kept as said ("8", "about 8", "8-10", "a dozen"): never refused.
            event = QuestionAnswered(at=self.clock(), question=prompt.question, value=text)
        self._answered(event)

    def not_answered(self, how: NoAnswer) -> None:
        """The caller does not know (`unknown`) or declines to say (`declined`): recorded as
        such, and the call goes on the way the question's `unknown_answer` goes."""
        prompt = self._require_prompt()
        question = self.protocol.questions[prompt.question]
        answer = question.unknown_answer
        if question.kind == "choice" and answer is None:
            raise CallError(f"'{prompt.question}' has no way on for a caller who does not say")
        self._answered(
            QuestionAnswered(
                at=self.clock(),
                question=prompt.question,
                answer=answer,
                closed=prompt.yes_no_form,
                unanswered=how,
            )
        )

    def _answered(self, event: QuestionAnswered) -> None:
        before = self.state.route
        self.record(event)
        self._note_route(before, event.question)

    def switch_yes_no(self, on: bool | None = None) -> bool:
        """Yes/no mode on or off (default: the other way), whatever the answers set; a
        question on screen is asked again in the form the mode needs. Gives the mode now."""
        if self.state.closed is not None:
            raise CallError("the call is closed")
        on = not self.yes_no_only() if on is None else on
        prompt = self.state.prompt
        before = self.state.route
        self.record(YesNoSwitched(at=self.clock(), on=on))
        self._note_route(before, prompt.question if prompt else None)
        return on

    def back(self, to: str | None = None, *, acts: bool = True) -> list[str]:
        """Return to question `to` (default: the previous one). Gives the questions dropped.

        With no `to`, Back takes back the last thing done: the ending of the questions or the
        danger-now key, when one of those came after the last answer (unless `acts` is False:
        then it is always the last answer that falls away)."""
        ended = self.state.ended
        if to is None and acts and ended is not None and self._ending_last():
            before = self.state.route
            self.record(WentBack(at=self.clock(), to=ended.question, dropped=[], undo_end=True))
            self._note_route(before, None)
            return []
        escalated = self.state.escalated
        if to is None and acts and escalated is not None and self.escalation_is_last():
            before = self.state.route
            self.record(
                WentBack(
                    at=self.clock(),
                    to=escalated.escalated_at or "",
                    dropped=[],
                    undo_escalation=True,
                )
            )
            self._note_route(before, escalated.escalated_at)
            return []
        target = to if to is not None else self.back_target(acts=acts)
        if target is None:
            raise CallError("there is no earlier question to go back to")
        dropped = self.would_drop(target)
        before = self.state.route
        self.record(WentBack(at=self.clock(), to=target, dropped=dropped))
        self._note_route(before, None)
        return dropped

    def back_target(self, *, acts: bool = True) -> str | None:
        """Where Back goes: the question the questions were ended on, or the danger-now key
        was pressed on, when that was the last thing done (and `acts`), else the last question
        answered."""
        if acts and self.state.ended is not None and self._ending_last():
            return self.state.ended.question
        escalated = self.state.escalated
        if acts and escalated is not None and self.escalation_is_last() and escalated.escalated_at:
            return escalated.escalated_at
        if self.state.answers:
            return self.state.answers[-1].question
        return None

    def escalation_is_last(self) -> bool:
        """The danger-now key was pressed after the last answer still standing (and after
        the questions were ended, if they were)."""
        if self.state.escalated is None:
            return False
        answers = self.state.answers
        after_answers = not answers or answers[-1].seq < self.state.escalated_seq
        return after_answers and self.state.ended_seq < self.state.escalated_seq

    def _ending_last(self) -> bool:
        """The questions were ended after the last answer and the danger-now key."""
        escalated = self.state.escalated
        return escalated is None or self.state.escalated_seq < self.state.ended_seq

    def would_drop(self, to: str) -> list[str]:
        """The answered questions that fall away if the call goes back to `to`."""
        asked = [given.question for given in self.state.answers]
        if to not in asked and self._escalated_at(to):
            return []
        if to not in asked:
            raise CallError(f"'{to}' has not been asked in this call")
        return asked[asked.index(to) :]

    def escalate(self) -> None:
        """The danger-now key: on a question or on an outcome, the officer route at once. The
        route settles on it; the questions left go on after dispatch if it is safe."""
        before = self.state.route
        if self.state.escalated is not None:
            return  # already on the officer route by this key
        prompt = self.state.prompt
        on_screen = prompt.question if prompt else None
        self.record(Escalated(at=self.clock(), question=on_screen, questions_go_on=True))
        self._note_route(before, on_screen)

    def end_questioning(self) -> QuestioningEnded:
        """Once the route has settled: end the questions, go to that route, and record every
        question that could still have been asked."""
        prompt = self._require_prompt()
        if self.state.settled is None:
            raise CallError("the route has not settled: the answers can still change it")
        event = QuestioningEnded(
            at=self.clock(), question=prompt.question, left=self.questions_left()
        )
        before = self.state.route
        self.record(event)
        self._note_route(before, prompt.question)
        return event

    def hang_up(self) -> QuestioningEnded:
        """The caller hung up: the questions end here, settled or not, and the call goes to the
        route for what is known (the protocol's `hang_up` rule; never less protective than a
        route already settled or sent by the danger-now key)."""
        prompt = self._require_prompt()
        if self.protocol.protocol.hang_up is None:
            raise CallError("this protocol has no rule for a caller who hangs up")
        event = QuestioningEnded(
            at=self.clock(), question=prompt.question, left=self.questions_left(), hung_up=True
        )
        before = self.state.route
        self.record(event)
        self._note_route(before, prompt.question)
        return event

    def hung_up(self) -> bool:
        """The caller hung up before the questions were done (until Back takes it back)."""
        return self.state.ended is not None and self.state.ended.hung_up

    def hung_up_words(self, outcome: str) -> str | None:
        """What to do next on `outcome` once the caller hung up (the outcome's `if_hung_up`),
        with the facts it names filled in from what the caller said."""
        words = self.protocol.outcomes[outcome].if_hung_up
        from ..protocol.texts import fill_in

        return fill_in(words, self.facts()) if words is not None else None

    def text_call(self) -> bool:
        """A text-to-911 call (see `CallStarted.text_call`)."""
        started = self.state.started
        return started is not None and started.text_call

    def questions_left(self) -> list[str]:
        """Every question that could still be asked from here, on any way through, in the
        protocol's order."""
        prompt = self.state.prompt
        if prompt is None:
            return []
        protocol = self.protocol
        seen: set[str] = set()
        pending = [prompt.question]
        while pending:
            node = pending.pop()
            if node in seen or node in protocol.outcomes:
                continue
            seen.add(node)
            decision = protocol.decisions.get(node)
            if decision is not None:
                pending += [rule.goto for rule in decision.rules]
                continue
            question = protocol.questions[node]
            pending += [a.next for a in question.answers if a.next is not None]
            if question.next is not None:
                pending.append(question.next)
        return [q for q in protocol.questions if q in seen]

    def _escalated_at(self, question: str) -> bool:
        escalated = self.state.escalated
        return escalated is not None and escalated.escalated_at == question

    def tick(self, step: int, done: bool = True) -> None:
        if step not in {s.number for s in self.protocol.steps}:
            raise CallError(f"there is no step {step}")
        self.record(StepTicked(at=self.clock(), step=step, done=done))

    def note(self, text: str) -> None:
        if not text.strip():
            raise CallError("an empty note")
        self.record(NoteAdded(at=self.clock(), text=text))

    def switch_language(self, language: str) -> None:
        self.record(LanguageSwitched(at=self.clock(), language=language))

    def close(self, how: CloseReason = "completed") -> CallClosed:
        """Close the call. A completed call whose route has settled while questions remain
        ends them first (recording those left unasked)."""
        escalated = self.state.escalated
        if how == "completed" and self.state.prompt is not None and self.state.settled:
            self.end_questioning()
        elif self.state.route is None and escalated is not None:
            # Closed otherwise right after the danger-now key: its route is the call's.
            self.record(
                RouteReached(at=self.clock(), outcome=escalated.outcome, because=escalated.because)
            )
        event = CallClosed(at=self.clock(), how=how, open_steps=self.open_steps())
        self.record(event)
        return event

    # -- reading the state -------------------------------------------------------------------
    def open_steps(self) -> list[int]:
        return [item.number for item in self.checklist() if item.open]

    def route_steps(self) -> list[ChecklistItem]:
        """The steps the route asks of the dispatcher (to do or done), the screening aside."""
        screening = self.protocol.protocol.screening_step
        return [
            item
            for item in self.checklist()
            if item.status in {"to_do", "done"} and item.number != screening
        ]

    def checklist(self) -> list[ChecklistItem]:
        """Each step's status. Once the route has settled, its steps are to do (the dispatcher
        acts on it while the questions go on); the screening is in progress until the route
        is reached."""
        screening = self.protocol.protocol.screening_step
        route = self.state.route
        target = self.dispatch_outcome()
        applies = set(self.protocol.outcomes[target].steps) if target else set()
        brought = [self.protocol.additions[name] for name in self.additions()]
        applies |= {addition.step for addition in brought if addition.step is not None}
        items = []
        for step in sorted(self.protocol.steps, key=lambda s: s.number):
            status: StepStatus
            if step.number in self.state.ticked:
                status = "done"
            elif route is None and (step.number == screening or target is None):
                status = "in_progress" if step.number == screening else "waiting"
            elif step.number == screening and route is not None and not route.escalated:
                # The answers reached a route: the screening decided it, unless unticked.
                status = "to_do" if step.number in self.state.unticked else "done"
            else:
                status = "to_do" if step.number in applies else "not_applicable"
            title = "".join(
                [step.title, *(f" + {a.title}" for a in brought if a.step == step.number)]
            )
            items.append(ChecklistItem(step.number, title, status))
        return items

    def additions(self) -> list[str]:
        """The help the answers bring along with the route to act on (medical help for someone
        hurt, child protection for a minor); none before there is a route to act on."""
        if self.dispatch_outcome() is None:
            return []
        found = {name for name, _ in self.indicators()}
        facts = self.facts()
        return [
            name
            for name, addition in self.protocol.additions.items()
            if found.intersection(addition.when)
            or (addition.when_fact is not None and addition.when_fact in facts)
        ]

    def dispatch_outcome(self) -> str | None:
        """The outcome to act on now: the route reached, else the one it has settled on."""
        if self.state.route is not None:
            return self.state.route.outcome
        settled = self.state.settled
        return settled.outcome if settled is not None else None

    def indicators(self) -> list[tuple[str, str]]:
        """(indicator id, question id) found so far, in the order they came up."""
        found: list[tuple[str, str]] = []
        for given in self.state.answers:
            indicator = self._indicator(given)
            if indicator is not None and indicator not in {name for name, _ in found}:
                found.append((indicator, given.question))
        return found

    def facts(self) -> dict[str, str]:
        """Fact name to what the caller said (an answer id for choice questions)."""
        facts = dict(self.state.started.context) if self.state.started else {}
        for given in self.state.answers:
            fact = self.protocol.questions[given.question].fact
            if fact is not None and given.unanswered is None:  # not said: not known
                value = given.value if given.value is not None else given.answer
                typed = self.protocol.questions[given.question].kind != "choice"
                if given.yes_no_form and typed:
                    value = f"{value} (asked as yes/no)"  # "yes", not a place or a number
                if value is not None:
                    facts[fact] = value
        return facts

    def earlier_answer(self, question: str) -> QuestionAnswered | None:
        """The last answer given to `question`, even one that fell away when the dispatcher
        went back over it (to show it, or to start a typed answer with it)."""
        for event in reversed(self.events):
            if isinstance(event, QuestionAnswered) and event.question == question:
                return event
        return None

    def caller_kind(self) -> CallerKind | None:
        """Who is on the line, by the answer the protocol names (`caller_kind`): the worker,
        someone calling about them, or None until they have said; later answers the protocol
        names (`then`) may say more. A caller who would not say is taken as the answer the
        protocol screens them as (its `if_unknown`)."""
        kinds = self.protocol.protocol.caller_kind
        if kinds is None:
            return None
        chosen = {given.question: given.answer for given in self.state.answers}
        answer = chosen.get(kinds.question)
        found: CallerKind | None = None
        for kind in ("worker", "escaped", "survivor", "at_scene", "other"):
            if answer is not None and answer in getattr(kinds, kind):
                found = kind
                break
        if found is None:
            return None
        for then in kinds.then:
            later = chosen.get(then.question)
            if later is not None and later in then.worker:
                found = "worker"
            elif later is not None and later in then.at_scene:
                found = "at_scene"
        return found

    def caller_words(self, outcome: str) -> list[dict[str, str]]:
        """What to tell the caller once the route is `outcome`: the instructions worded for
        who is on the line, once they have said (else the route's general words); on a text
        call, the route's words for a texter first."""
        found = self.protocol.outcomes[outcome]
        kind = self.caller_kind()
        worded = next(
            (found.instructions[k] for k in SPOKEN_TO_AS[kind] if k in found.instructions)
            if kind is not None
            else iter(()),
            None,
        )
        if self.text_call() and found.tell_texter is not None:
            return [found.tell_texter, *([worded] if worded is not None else [])]
        return [worded if worded is not None else found.tell_caller]

    def yes_no_only(self) -> bool:
        """The caller can answer only yes or no now: an answer said so (see the protocol's
        `closed_mode`) or the dispatcher switched it on, whichever came last."""
        return self._yes_no_at(self.state.answers)

    def _yes_no_at(self, answers: list[Given], before: int | None = None) -> bool:
        """Yes/no mode after `answers`, counting the dispatcher's switches made before the
        event at `before` (None: all of them)."""
        marks = [(given.seq, mode) for given in answers if (mode := self._sets(given)) is not None]
        marks += [mark for mark in self.state.switches if before is None or mark[0] < before]
        if self.text_call():
            marks.append((0, True))  # a text call is yes/no from its start
        return max(marks)[1] if marks else False

    def _sets(self, given: Given) -> bool | None:
        """The yes/no mode an answer sets (True: on, False: off), or None."""
        if given.unanswered is not None:
            return None  # "don't know" says nothing of whether the caller can talk
        question: Question = self.protocol.questions[given.question]
        for answer in question.answers:
            if answer.id == given.answer:
                return True if answer.closed_mode else False if answer.open_mode else None
        return None

    # -- folding events into state ------------------------------------------------------------
    def _apply(self, event: Event) -> None:
        """Fold one event into the state; an event that cannot happen now is a CallError."""
        state = self.state
        if isinstance(event, CallStarted):
            if state.started is not None:
                raise CallError("the call was started twice")
            state.started = event
            state.language = event.language
            self._move_to(self.protocol.protocol.start)
            return
        if state.started is None:
            raise CallError(f"a '{event.kind}' event before the call started")
        if state.closed is not None:
            raise CallError("the call is closed")
        if isinstance(event, QuestionAnswered):
            self._check_answer(event)
            state.answers.append(
                Given(
                    event.question,
                    event.answer,
                    event.value,
                    event.closed,
                    event.at,
                    len(self.events),
                    event.unanswered,
                )
            )
            self._move_to(self._next(event))
        elif isinstance(event, WentBack):
            asked = [given.question for given in state.answers]
            if event.undo_end:
                if state.ended is None or state.ended.question != event.to:
                    raise CallError("there is no ending of the questions to take back")
                state.ended, state.ended_seq = None, 0
            elif event.undo_escalation:
                if state.escalated is None:
                    raise CallError("there is no danger-now key press to take back")
                state.escalated = None
            elif event.to in asked:
                del state.answers[asked.index(event.to) :]
            elif not self._escalated_at(event.to):
                raise CallError(f"cannot go back to '{event.to}': it was not asked")
            if not event.undo_escalation:
                state.ended, state.ended_seq = None, 0  # the questions go on from there
                if state.escalated_then:
                    state.escalated = None  # an old record: any Back took the key away
            self._replay_position()
            if state.ended is not None and state.ended_route is not None:
                # A danger-now key pressed after the questions were ended, taken back: the
                # call is where the ending left it.
                state.route, state.prompt = state.ended_route, None
        elif isinstance(event, Escalated):
            on_screen = state.prompt.question if state.prompt is not None else None
            if event.question != on_screen:
                raise CallError(f"danger-now recorded at '{event.question}', not on screen")
            where = f" at '{event.question}'" if event.question else " on the outcome screen"
            state.escalated = Route(
                self.protocol.protocol.danger_outcome,
                f"The danger-now key was pressed{where}",
                (),
                escalated=True,
                escalated_at=event.question,
            )
            state.escalated_seq = len(self.events)
            state.escalated_then = not event.questions_go_on
            if state.prompt is None or state.escalated_then:
                state.route = state.escalated  # on an outcome (or an old record): at once
                state.prompt = None
        elif isinstance(event, StepTicked):
            if event.step not in {step.number for step in self.protocol.steps}:
                raise CallError(f"there is no step {event.step}")
            if event.done:
                state.ticked.add(event.step)
                state.unticked.discard(event.step)
            else:
                state.ticked.discard(event.step)
                state.unticked.add(event.step)
        elif isinstance(event, NoteAdded):
            state.notes.append(event.text)
        elif isinstance(event, LanguageSwitched):
            state.language = event.language
        elif isinstance(event, YesNoSwitched):
            state.switches.append((len(self.events), event.on))
            if state.prompt is not None:
                # Asked again in the form the mode needs; never passed over while on screen
                # (what is typed there stays, and a place is not lost by a key).
                state.prompt = self._prompt(state.prompt.question, event.on)
        elif isinstance(event, CallClosed):
            state.closed = event
            if state.route is None and state.escalated is not None:
                state.route = state.escalated  # closed right after the danger-now key
        elif isinstance(event, RouteSettled):
            state.settled = event
        elif isinstance(event, QuestioningEnded):
            if state.prompt is None or (state.settled is None and not event.hung_up):
                raise CallError("the questions can be ended only once the route has settled")
            if event.question != state.prompt.question:
                raise CallError(f"questions ended at '{event.question}', not on screen")
            state.ended, state.ended_seq = event, len(self.events)
            if event.hung_up:
                state.ended_route = state.escalated or self._hung_up_route()
            else:
                assert state.settled is not None
                state.ended_route = state.escalated or Route(
                    state.settled.outcome,
                    "The answers had settled the route; the dispatcher ended the questions there",
                    (),
                )
            state.route, state.prompt = state.ended_route, None
        elif isinstance(event, RouteUnsettled):
            state.settled = None
        # RouteReached is a written-down consequence of the answers: nothing to fold.

    def _hung_up_route(self) -> Route:
        """The route for what is known when the caller hung up: the protocol's `hang_up`
        decision over the answers so far, raised to the settled route if that protects more."""
        meta = self.protocol.protocol
        if meta.hang_up is None:
            raise CallError("this protocol has no rule for a caller who hangs up")
        answers = self.state.answers
        node, passed = meta.hang_up, None
        while node not in self.protocol.outcomes:
            decision = self.protocol.decisions[node]  # only decisions: the linter checks
            rule = next(r for r in decision.rules if self._holds(r.when, answers))
            passed, node = (decision, rule), rule.goto
        route = self._explain(node, answers, passed)
        route = Route(route.outcome, f"The caller hung up. {route.because}", route.deciding)
        settled = self.state.settled
        order = self.protocol.safety.order if self.protocol.safety else []
        if settled is not None and settled.outcome != route.outcome:
            rank = {name: index for index, name in enumerate(order)}
            if rank.get(settled.outcome, len(order)) < rank.get(route.outcome, len(order)):
                because = "The caller hung up after the answers had settled the route"
                return Route(settled.outcome, because, ())
        return route

    def _check_answer(self, event: QuestionAnswered) -> None:
        """The answer fits the question on screen, in the form it was asked."""
        prompt = self.state.prompt
        if prompt is None or prompt.question != event.question:
            raise CallError(f"'{event.question}' is not the question being asked")
        question = self.protocol.questions[event.question]
        if event.unanswered is not None:
            if event.answer != question.unknown_answer or event.value is not None:
                raise CallError(f"'{event.question}' has no such way on for no answer")
        elif question.kind == "choice":
            if event.answer not in {a.id for a in question.answers} or event.value is not None:
                raise CallError(f"not one of the answers to '{event.question}'")
        elif event.closed:
            if event.value not in {"yes", "no"} or event.answer is not None:
                raise CallError(f"'{event.question}' was asked as yes/no")
        elif not (event.value or "").strip() or event.answer is not None:
            raise CallError(f"'{event.question}' needs a typed answer")

    def _replay_position(self) -> None:
        """Walk from the start along the remaining answers to find where the call now is."""
        self.state.route = None
        self.state.skipped = []
        node: str = self.protocol.protocol.start
        for index, given in enumerate(self.state.answers):
            self._move_to(node, self.state.answers[:index], given.seq, given.question)
            node = self._next_for(given)
        self._move_to(node)

    def _move_to(
        self,
        node: str,
        answers: list[Given] | None = None,
        before: int | None = None,
        answered: str | None = None,
    ) -> None:
        """Settle on the next thing to ask, passing through decisions and skipped questions
        (`answers` and `before`: the call as it stood then, when walked again after a back,
        up to `answered`, the question answered next, which was asked whatever the mode)."""
        state = self.state
        answers = state.answers if answers is None else answers
        closed = self._yes_no_at(answers, before)
        passed: tuple[Decision, Rule] | None = None
        while True:
            if node == answered:
                return
            if node in self.protocol.outcomes:
                state.prompt = None
                state.route = state.escalated or self._explain(node, answers, passed)
                return
            decision = self.protocol.decisions.get(node)
            if decision is not None:
                rule = next(r for r in decision.rules if self._holds(r.when, answers))
                passed = (decision, rule)
                node = rule.goto
                continue
            question = self.protocol.questions[node]
            typed = question.kind != "choice"
            if closed and typed and question.closed is None and not self.text_call():
                if node not in state.skipped:
                    state.skipped.append(node)
                assert question.next is not None  # guaranteed by the linter
                node = question.next
                continue
            state.prompt = self._prompt(node, closed)
            state.route = None
            return

    def _prompt(self, node: str, closed: bool | None = None) -> Prompt:
        question = self.protocol.questions[node]
        if closed is None:
            closed = self.yes_no_only()
        meta = self.protocol.protocol
        typed_in = question.kind != "choice" and self.text_call()  # a texter types it
        if closed and not question.yes_no and question.closed is not None and not typed_in:
            yes_no = (
                Choice("yes", meta.yes_label),
                Choice("no", meta.no_label),
                Choice("unknown", meta.unknown_label),
            )
            return Prompt(node, question.kind, question.closed.text, yes_no, True)
        choices = tuple(Choice(a.id, a.label) for a in question.answers)
        return Prompt(node, question.kind, self.words_for(node), choices, False)

    def words_for(self, question_id: str) -> dict[str, str]:
        """A question's words as read to the person on the line (see `_worded`)."""
        return self._worded(self.protocol.questions[question_id])

    def _worded(self, question: Question) -> dict[str, str]:
        """The question's words for the person on the line, once they have said who they
        are (before that, or with no form for them, its own text)."""
        kind = self.caller_kind()
        for key in WORDED_AS[kind] if kind is not None else ():
            form: dict[str, str] | None = getattr(question, key)
            if form is not None:
                return form
        return question.text

    def _next(self, event: QuestionAnswered) -> str:
        return self._next_for(
            Given(event.question, event.answer, event.value, event.closed, event.at, 0)
        )

    def _next_for(self, given: Given) -> str:
        question = self.protocol.questions[given.question]
        if question.kind == "choice":
            assert given.answer is not None, "a choice is answered by an answer's id"
            answer = question.answer(given.answer)
            assert answer.next is not None  # guaranteed by the linter
            return answer.next
        assert question.next is not None
        return question.next

    @staticmethod
    def _filled(given: Given) -> bool:
        """A typed question answered with what it asked (not "don't know" or a yes/no)."""
        return given.value is not None and given.unanswered is None and not given.yes_no_form

    def _indicator(self, given: Given) -> str | None:
        question = self.protocol.questions[given.question]
        for answer in question.answers:
            if answer.id == given.answer:
                return answer.indicator
        return None

    def _holds(self, when: Condition | None, answers: list[Given]) -> bool:
        if when is None:
            return True
        chosen = {given.question: given.answer for given in answers}
        for qid, ids in (when.answered or {}).items():
            if chosen.get(qid) not in ids:
                return False
        filled = {given.question for given in answers if self._filled(given)}
        if when.given is not None and not set(when.given) <= filled:
            return False
        found = {self._indicator(given) for given in answers} - {None}
        if when.any_indicator is not None and not found & set(when.any_indicator):
            return False
        if when.any_indicator_kind is not None:
            kinds = {self.protocol.indicators[name].kind for name in found if name}
            if not kinds & set(when.any_indicator_kind):
                return False
        return True

    def _explain(
        self, outcome: str, answers: list[Given], passed: tuple[Decision, Rule] | None
    ) -> Route:
        """The route, with the answers that decided it."""
        if passed is None:
            if not answers:
                return Route(outcome, "The protocol starts at this outcome", ())
            last = answers[-1]
            reason = Reason(last.question, last.answer or last.value or "", last.unanswered)
            return Route(outcome, "The last answer leads here", (reason,))
        decision, rule = passed
        if rule.when is not None:
            return Route(outcome, rule.because, tuple(self._reasons([rule.when], answers, True)))
        # The fall-through rule: what decided it is everything the rules above looked at.
        above = [r.when for r in decision.rules if r is not rule and r.when is not None]
        return Route(outcome, rule.because, tuple(self._reasons(above, answers, False)))

    def _reasons(
        self, conditions: list[Condition], answers: list[Given], matched: bool
    ) -> list[Reason]:
        """The answers a rule's condition looked at (for a fall-through rule: all rules above)."""
        wanted_questions: set[str] = set()
        wanted_indicators: set[str] = set()
        wanted_kinds: set[str] = set()
        for condition in conditions:
            wanted_questions |= set(condition.answered or {}) | set(condition.given or [])
            wanted_indicators |= set(condition.any_indicator or [])
            wanted_kinds |= set(condition.any_indicator_kind or [])
        reasons = []
        for given in answers:
            indicator = self._indicator(given)
            by_indicator = indicator is not None and (
                indicator in wanted_indicators
                or self.protocol.indicators[indicator].kind in wanted_kinds
            )
            if given.question in wanted_questions or (matched and by_indicator):
                reasons.append(
                    Reason(given.question, given.answer or given.value or "", given.unanswered)
                )
        return reasons

    def _note_route(self, before: Route | None, question: str | None = None) -> None:
        """Write down a newly reached route, so a record reads plainly without the engine;
        then whether the route has settled (or, after going back, unsettled): `question` is
        the one just answered, or on screen when the danger-now key was pressed."""
        route = self.state.route
        if route is not None and route != before:
            self.record(RouteReached(at=self.clock(), outcome=route.outcome, because=route.because))
        self._note_settled(question)

    def _note_settled(self, question: str | None) -> None:
        outcomes = self.reachable()
        settled = self.state.settled
        asked = len(self.state.answers)
        if len(outcomes) == 1:
            (outcome,) = outcomes
            if settled is None or settled.outcome != outcome:
                self.record(
                    RouteSettled(at=self.clock(), outcome=outcome, question=question, asked=asked)
                )
        elif settled is not None:
            self.record(RouteUnsettled(at=self.clock(), asked=asked))

    def reachable(self) -> frozenset[str]:
        """The outcomes this call can still end at, over every way the questions left could
        be answered (see engine.reach); one: the route is settled."""
        state = self.state
        if state.escalated is not None:
            return frozenset({state.escalated.outcome})
        if state.route is not None:
            return frozenset({state.route.outcome})
        if state.prompt is None:
            return frozenset()  # not started
        reach = reach_for(self.protocol)
        given = [(g.question, g.answer) for g in state.answers]
        filled = [g.question for g in state.answers if self._filled(g)]
        here = reach.state(state.prompt.question, self.yes_no_only(), given, filled)
        return reach.outcomes(here._replace(text=self.text_call()))

    def _require_prompt(self) -> Prompt:
        if self.state.closed is not None:
            raise CallError("the call is closed")
        if self.state.prompt is None:
            raise CallError("the route is reached: there is no question to answer")
        return self.state.prompt
