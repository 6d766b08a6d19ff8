"""A call: its events, and the state they add up to.

The app, the record store, `decide`, `validate` (for the protocol's cases) and training all go
through `Call`. The state is never stored, only derived: folding the same events over the same
protocol always gives the same state, which is what makes resuming after a crash, replaying a
record and scoring a training call one mechanism.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from ..protocol.models import (
    Protocol,
)
from .events import (
    DETAIL_NAMES,
    CallClosed,
    CallStarted,
    CloseReason,
    DetailsGiven,
    EntryAdded,
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
from .readings import Readings
from .state import CallError, CallState, Given, Reason, Route
from .view import Prompt, utc_now

__all__ = ["Call", "CallError", "CallState", "Given", "Reason", "Route"]


class Call(Readings):
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
            elif prompt.yes_no_form and question.yes_no_form is not None:
                answer_id = question.yes_no_form.yes if value == "yes" else question.yes_no_form.no
            event = QuestionAnswered(
                at=self.clock(),
                question=prompt.question,
                answer=answer_id,
                value=typed,
                closed=prompt.yes_no_form,
            )
        else:
            text = value.strip()
            if not text and not self.state.entries.get(prompt.question):
                raise CallError("an empty answer: type what the caller said")
            # A number is kept as said ("8", "about 8", "8-10", "a dozen"): never refused.
            # Enter on an empty field after entries (several persons): there are no more.
            event = QuestionAnswered(at=self.clock(), question=prompt.question, value=text or None)
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
        self._give_kept()

    def _give_kept(self) -> None:
        """After an amending Back, each answer it let fall is given again, as the caller gave
        it, while the question on screen is one of them asked in the same form; the call
        stops at the first question the new way brings (or asks another way)."""
        while self.state.pending and self.state.closed is None:
            prompt = self.state.prompt
            if prompt is None or (old := self.state.pending.get(prompt.question)) is None:
                return
            if old.closed != prompt.yes_no_form or (
                old.answer is not None
                and old.value is None
                and old.answer not in {c.id for c in prompt.choices}
                and not prompt.yes_no_form
            ):
                return  # asked another way now: the dispatcher asks it again
            again = old.model_copy(update={"at": self.clock(), "kept": True})
            before = self.state.route
            self.record(again)
            self._note_route(before, again.question)

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

    def back(self, to: str | None = None, *, acts: bool = True, amend: bool = False) -> list[str]:
        """Return to question `to` (default: the previous one). Gives the questions dropped.
        With `amend`, only the answer to `to` is to change: once it is given again, the later
        answers still asked on the new way are given again too (see `_give_kept`).

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
        self.record(WentBack(at=self.clock(), to=target, dropped=dropped, amending=amend))
        self._note_route(before, None)
        return dropped

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

    def tick(self, step: int, done: bool = True) -> None:
        """Tick a step done (or take the tick back). A step this call's route does not take
        ("n/a" on the checklist) is not newly ticked: the record would say it was done on a
        call that did not need it (a mistyped number on a tip call, "officer to the scene").
        One ticked earlier on this call (before the route took it off) may be ticked again
        after its tick was taken back: it was done."""
        if step not in {s.number for s in self.protocol.steps}:
            raise CallError(f"there is no step {step}")
        if done and step not in self.state.unticked:
            item = next(item for item in self.checklist() if item.number == step)
            if item.status == "not_applicable":
                raise CallError(f"step {step} ({item.title}) is not on this call's route")
        self.record(StepTicked(at=self.clock(), step=step, done=done))

    def note(self, text: str) -> None:
        if not text.strip():
            raise CallError("an empty note")
        self.record(NoteAdded(at=self.clock(), text=text))

    def add_entry(self, text: str) -> None:
        """One of several the caller describes (a person, a vehicle): recorded, and the
        question stays on screen for the next."""
        prompt = self._require_prompt()
        if not text.strip():
            raise CallError("an empty entry: type what the caller said")
        self.record(EntryAdded(at=self.clock(), question=prompt.question, text=text.strip()))

    def give_details(self, details: dict[str, str]) -> bool:
        """Record the incident, callback or location the dispatcher entered: only what
        changes (False when nothing did). Each is one line, as a CAD field is."""
        now = self.details()
        changed = {}
        for name, value in details.items():
            if name not in DETAIL_NAMES:
                raise CallError(f"no detail named {name!r}: {', '.join(DETAIL_NAMES)}")
            text = " ".join(value.split())
            if text != now.get(name, ""):
                changed[name] = text
        if changed:
            self.record(DetailsGiven(at=self.clock(), details=changed))
        return bool(changed)

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

    def _require_prompt(self) -> Prompt:
        if self.state.closed is not None:
            raise CallError("the call is closed")
        if self.state.prompt is None:
            raise CallError("the route is reached: there is no question to answer")
        return self.state.prompt

    def _note_route(self, before: Route | None, question: str | None = None) -> None:
        """Write down a newly reached route, so a record reads plainly without the engine;
        then whether the route has settled (or, after going back, unsettled): `question` is
        the one just answered, or on screen when the danger-now key was pressed."""
        route = self.state.route
        if route is not None and route != before:
            self.record(RouteReached(at=self.clock(), outcome=route.outcome, because=route.because))
        self._note_settled(question)

    def _note_settled(self, question: str | None) -> None:
        outcome = self.settled_on()
        settled = self.state.settled
        asked = len(self.state.answers)
        if outcome is not None:
            if settled is None or settled.outcome != outcome:
                self.record(
                    RouteSettled(at=self.clock(), outcome=outcome, question=question, asked=asked)
                )
        elif settled is not None:
            self.record(RouteUnsettled(at=self.clock(), asked=asked))
