"""The fold: each event of a call applied to its state, as the protocol says (the next
question, the route and its reasons, settling). Deterministic: the same events over the same
protocol always give the same state."""

from __future__ import annotations

from ..protocol.models import Decision, Rule
from .events import (
    CallClosed,
    CallStarted,
    DetailsGiven,
    EntryAdded,
    Escalated,
    Event,
    LanguageSwitched,
    NoteAdded,
    QuestionAnswered,
    QuestioningEnded,
    RouteSettled,
    RouteUnsettled,
    StepTicked,
    WentBack,
    YesNoSwitched,
)
from .rules import Rules
from .state import CallError, Given, Route
from .view import Choice, Prompt


class Fold(Rules):
    """Each event applied to the state in turn: where the call goes next, what a question
    asks, the route and why, as the protocol says."""

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
            state.pending.pop(event.question, None)
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
            state.pending = self._let_fall(event) if event.amending else {}
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
        elif isinstance(event, EntryAdded):
            prompt = state.prompt
            if prompt is None or prompt.question != event.question or not prompt.several:
                raise CallError(f"'{event.question}' is not on screen taking several answers")
            if not event.text.strip():
                raise CallError("an empty entry")
            state.entries.setdefault(event.question, []).append(event.text)
        elif isinstance(event, DetailsGiven):
            state.entered.update(event.details)
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
        elif event.answer is not None:
            raise CallError(f"'{event.question}' needs a typed answer")
        elif not (event.value or "").strip() and not self.state.entries.get(event.question):
            # With entries given, Enter on an empty field says there are no more.
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
        yes_no_only = self._yes_no_at(answers, before)
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
            if yes_no_only and typed and question.yes_no_form is None and not self.text_call():
                if node not in state.skipped:
                    state.skipped.append(node)
                assert question.next is not None  # guaranteed by the linter
                node = question.next
                continue
            state.prompt = self._prompt(node, yes_no_only)
            state.route = None
            return

    def _prompt(self, node: str, yes_no_only: bool | None = None) -> Prompt:
        question = self.protocol.questions[node]
        if yes_no_only is None:
            yes_no_only = self.yes_no_only()
        meta = self.protocol.protocol
        typed_in = question.kind != "choice" and self.text_call()  # a texter types it
        form = question.yes_no_form
        if yes_no_only and not question.yes_no and form is not None and not typed_in:
            yes_no = (
                Choice("yes", meta.yes_label),
                Choice("no", meta.no_label),
                Choice("unknown", meta.unknown_label),
            )
            return Prompt(node, question.kind, form.text, yes_no, True)
        choices = tuple(Choice(a.id, a.label) for a in question.answers)
        words = self.words_for(node)
        return Prompt(node, question.kind, words, choices, False, question.several)

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
        question = self.protocol.questions[given.question]
        for answer in question.answers:
            if answer.id == given.answer:
                return True if answer.yes_no_from_here else False if answer.free_from_here else None
        return None

    def _escalated_at(self, question: str) -> bool:
        escalated = self.state.escalated
        return escalated is not None and escalated.escalated_at == question

    def _ending_last(self) -> bool:
        """The questions were ended after the last answer and the danger-now key."""
        escalated = self.state.escalated
        return escalated is None or self.state.escalated_seq < self.state.ended_seq

    def text_call(self) -> bool:
        """A text-to-911 call (see `CallStarted.text_call`)."""
        started = self.state.started
        return started is not None and started.text_call

    def yes_no_only(self) -> bool:
        """The caller can answer only yes or no now: an answer said so (see the protocol's
        `closed_mode`) or the dispatcher switched it on, whichever came last."""
        return self._yes_no_at(self.state.answers)

    def _let_fall(self, back: WentBack) -> dict[str, QuestionAnswered]:
        """The answers an amending Back lets fall after the one it changes, as last given
        (each a candidate to be given again on the new way)."""
        given = {}
        for event in self.events:  # the events before this Back (it is not appended yet)
            if isinstance(event, QuestionAnswered):
                given[event.question] = event
        return {q: given[q] for q in back.dropped if q != back.to and q in given}
