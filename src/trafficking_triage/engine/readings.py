"""What is read of a call (its checklist, indicators, facts, the words for the caller, the
questions left), worked out from its state, never stored."""

from __future__ import annotations

from collections.abc import Mapping

from ..protocol.models import (
    SPOKEN_TO_AS,
)
from .events import (
    QuestionAnswered,
)
from .fold import Fold
from .reach import Reach, State, reach_for
from .state import CallError
from .view import ChecklistItem, StepStatus


def with_entered(found: dict[str, str], entered: Mapping[str, str]) -> dict[str, str]:
    """`found` with the details the dispatcher entered (F12) standing above it: a value
    replaces what was there, an empty one takes it away."""
    for name, value in entered.items():
        if value:
            found[name] = value
        else:
            found.pop(name, None)
    return found


class Readings(Fold):
    """What the screens, exports and reviews read of a call, worked out from its state."""

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
        return reach.outcomes(self._here(reach, state.prompt.question))

    def settled_on(self) -> str | None:
        """The outcome the route has settled on: the one `reachable` would give, worked out
        only as far as it takes to tell (see `Reach.settled`); None while more than one is
        left, or before the call starts."""
        state = self.state
        if state.escalated is not None:
            return state.escalated.outcome
        if state.route is not None:
            return state.route.outcome
        if state.prompt is None:
            return None
        reach = reach_for(self.protocol)
        return reach.settled(self._here(reach, state.prompt.question))

    def standing(self, reach: Reach) -> State | None:
        """Where the call stands on the walks of `reach`; None once no question is left."""
        prompt = self.state.prompt
        return self._here(reach, prompt.question) if prompt is not None else None

    def _here(self, reach: Reach, question: str) -> State:
        """Where the call stands on the walks of `reach`, at `question`."""
        answers = self.state.answers
        given = [(g.question, g.answer) for g in answers]
        filled = [g.question for g in answers if self._filled(g)]
        here = reach.state(question, self.yes_no_only(), given, filled)
        return here._replace(text=self.text_call())

    def hung_up(self) -> bool:
        """The caller hung up before the questions were done (until Back takes it back)."""
        return self.state.ended is not None and self.state.ended.hung_up

    def hung_up_words(self, outcome: str) -> str | None:
        """What to do next on `outcome` once the caller hung up (the outcome's `if_hung_up`),
        with the facts it names filled in from what the caller said."""
        words = self.protocol.outcomes[outcome].if_hung_up
        from ..protocol.texts import fill_in

        return fill_in(words, self.facts()) if words is not None else None

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
        for question, entries in self.state.entries.items():
            # Several described one at a time: each in turn, then the answer given with Enter.
            fact = self.protocol.questions[question].fact
            if fact is not None:
                answers = self.state.answers
                last = [g.value for g in answers if g.question == question and self._filled(g)]
                facts[fact] = "; ".join([*entries, *(v for v in last if v is not None)])
        return with_entered(facts, self.state.entered)  # the dispatcher's entry stands above

    def details(self) -> dict[str, str]:
        """The incident, callback and location as they stand now: what the CAD passed in at
        the start, replaced by what the dispatcher entered since (never the caller's answers:
        a place as the caller said it is a fact, shown with the facts)."""
        found = dict(self.state.started.context) if self.state.started else {}
        return with_entered(found, self.state.entered)

    def earlier_answer(self, question: str) -> QuestionAnswered | None:
        """The last answer given to `question`, even one that fell away when the dispatcher
        went back over it (to show it, or to start a typed answer with it)."""
        for event in reversed(self.events):
            if isinstance(event, QuestionAnswered) and event.question == question:
                return event
        return None

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

    def escalation_is_last(self) -> bool:
        """The danger-now key was pressed after the last answer still standing (and after
        the questions were ended, if they were)."""
        if self.state.escalated is None:
            return False
        answers = self.state.answers
        after_answers = not answers or answers[-1].seq < self.state.escalated_seq
        return after_answers and self.state.ended_seq < self.state.escalated_seq

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

    def would_drop(self, to: str) -> list[str]:
        """The answered questions that fall away if the call goes back to `to`."""
        asked = [given.question for given in self.state.answers]
        if to not in asked and self._escalated_at(to):
            return []
        if to not in asked:
            raise CallError(f"'{to}' has not been asked in this call")
        return asked[asked.index(to) :]
