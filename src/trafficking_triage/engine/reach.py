"""Which outcomes a call can still end at, over every way its remaining questions could be
answered; and, for a whole protocol, how late each outcome can settle.

The route is **settled** when one outcome is left: no answer still to come can change it, so
the dispatcher can send at once and keep asking. Used by `Call` after every event, by `decide`
and `validate`, and by the linter's settle-by promises.

Exact, not a heuristic: it follows the graph and the decision rules as `Call` does, yes/no
mode included (an answer that switches it on; a question's yes/no form then offers only the
answers it stands for, and its "don't know"; a typed question without one is passed over).
The dispatcher's own switch of the mode is not foreseen: the call works it out again after
the switch, and a route settled in yes/no mode can unsettle when the mode is switched off. A
walk is remembered by what the rules can see of it: the node, whether the caller is yes/no
only, and which of the rules' clauses (an answer among those named, an indicator or a kind
among those named) it has met. Nothing else a caller says can change a route, so two walks
that agree on these reach the same outcomes. The walk is iterative (a 10,000-question chain
is no deeper than a short one) and each state is worked out once per protocol.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from ..protocol.loader import collector_paused
from .sight import NOTHING_SEEN, Clause, Seen, Sight

if TYPE_CHECKING:
    from ..protocol.models import Answer, Protocol

__all__ = ["NOTHING_SEEN", "Clause", "Done", "Reach", "Seen", "State", "Steps", "reach_for"]

_CACHE: dict[int, tuple[Protocol, Reach]] = {}


Steps = list[tuple["State", bool]]
T = TypeVar("T")


class Done(NamedTuple, Generic[T]):
    """A state's value, worked out without its children (see `Reach.fold`)."""

    value: T


class State(NamedTuple):
    node: str
    yes_no_only: bool
    seen: Seen
    text: bool = False
    """A text-to-911 call: typed questions are asked even in yes/no mode."""


KEEP = 4
"""How many protocols' `Reach` are kept (a console loads one; a worked-out protocol holds
about 8 MB for the shipped one, so a process that loads many must not keep them all)."""


_CACHE_LOCK = threading.Lock()
"""The console works the protocol out in a worker while the screen may already ask."""


def reach_for(protocol: Protocol) -> Reach:
    """The protocol's `Reach`, kept while the program runs (the last KEEP protocols used)."""
    with _CACHE_LOCK:
        kept = _CACHE.pop(id(protocol), None)
        if kept is None or kept[0] is not protocol:
            kept = (protocol, Reach(protocol))
        _CACHE[id(protocol)] = kept  # the most recently used last
        while len(_CACHE) > KEEP:
            del _CACHE[next(iter(_CACHE))]
        return kept[1]


class Reach(Sight):
    def __init__(
        self, protocol: Protocol, watch: Iterable[Clause] = (), *, project: bool = True
    ) -> None:
        """The walks, on what the rules can see of them (`Sight`: `watch` and `project`)."""
        super().__init__(protocol, watch, project=project)
        self._moved: dict[State, str | list[tuple[State, bool, str]]] = {}
        """Each state's moves, worked out once: the outcome walk, each outcome's latest
        settle and the proofs all step through the same states."""
        self._offered: dict[tuple[str, bool], tuple[tuple[Answer, bool], ...]] = {}
        """Per question, in free or yes/no mode: the answers offered, each with whether it is
        the question's "don't know" (`Question.unknown_answer`, worked out once)."""
        self._outcomes: dict[State, frozenset[str]] = {}
        self._many: set[State] = set()
        """States `settled` found can still end at more than one outcome."""
        self._worst: dict[str, dict[State, int | None]] = {}
        """Per outcome, the latest settle from each state worked out (see `latest_settle`)."""

    # -- what a call can still reach ---------------------------------------------------------
    def state(
        self,
        node: str,
        yes_no_only: bool,
        given: Iterable[tuple[str, str | None]],
        filled: Iterable[str] = (),
    ) -> State:
        """The state at `node` after the answers `given` (question, answer id or None), of
        which the typed questions in `filled` were answered with what they asked."""
        seen = NOTHING_SEEN
        for question, answer in given:
            if answer is not None:
                seen = self._see(seen, question, self._answer(question, answer))
        typed = [self.typed_clauses[q] for q in filled if q in self.typed_clauses]
        seen = seen | frozenset(typed)
        return State(node, yes_no_only, self._project(node, seen))

    def outcomes(self, start: State) -> frozenset[str]:
        """Every outcome a call in state `start` can still end at."""
        if start in self._outcomes:
            return self._outcomes[start]
        with collector_paused():  # many small objects, no cycles (see protocol.loader)
            return self._walk_outcomes(start)

    def settled(self, start: State) -> str | None:
        """The one outcome a call in state `start` can still end at; None while more than one
        can be. What `outcomes` tells when it gives one, walking only until a second outcome
        turns up: early in a call that is a few dozen states, not the whole protocol (the
        shipped one's first answer: about 120 of 1,500). Every state walked to its end is
        remembered as `outcomes` remembers it; a start found to have two, as having two."""
        known = self._outcomes.get(start)
        if known is not None:
            return next(iter(known)) if len(known) == 1 else None
        if start in self._many:
            return None
        with collector_paused():
            return self._walk_settled(start)

    def _walk_settled(self, start: State) -> str | None:
        memo = self._outcomes
        found: set[str] = set()
        stack = [start]
        while stack:
            state = stack[-1]
            known = memo.get(state)
            if known is None and state not in self._many:
                steps = self.steps(state)
                if isinstance(steps, str):
                    known = memo[state] = frozenset({steps})
                else:
                    waiting = [child for child, _asked in steps if child not in memo]
                    if waiting:
                        stack.extend(waiting)
                        continue
                    known = memo[state] = frozenset().union(*(memo[c] for c, _ in steps))
            stack.pop()
            if known is None or len(found.union(known)) > 1:  # a second outcome
                self._many.add(start)
                return None
            found.update(known)
        known = memo[start]
        return next(iter(known)) if len(known) == 1 else None  # none: a protocol with no way on

    def _walk_outcomes(self, start: State) -> frozenset[str]:
        def expand(state: State) -> Done[frozenset[str]] | Steps:
            steps = self.steps(state)
            return Done(frozenset({steps})) if isinstance(steps, str) else steps

        def combine(
            _state: State, steps: Steps, memo: dict[State, frozenset[str]]
        ) -> frozenset[str]:
            return frozenset().union(*(memo[child] for child, _asked in steps))

        return self.fold(start, self._outcomes, expand, combine)

    def fold(
        self,
        start: State,
        memo: dict[State, T],
        expand: Callable[[State], Done[T] | Steps],
        combine: Callable[[State, Steps, dict[State, T]], T],
    ) -> T:
        """`memo[start]`, worked out children first for every state it needs (each once, with
        no recursion, so a long chain is no deeper than a short one): `expand` gives a state's
        value when it needs no children (`Done`), else the steps to them; `combine`, its value
        from theirs."""
        stack = [start]
        while stack:
            state = stack[-1]
            if state in memo:
                stack.pop()
                continue
            steps = expand(state)
            if isinstance(steps, Done):
                memo[state] = steps.value
                stack.pop()
                continue
            waiting = [child for child, _asked in steps if child not in memo]
            if waiting:
                stack.extend(waiting)
                continue
            memo[state] = combine(state, steps, memo)
            stack.pop()
        return memo[start]

    def steps(self, state: State) -> str | list[tuple[State, bool]]:
        """The outcome a state is at, or where it can go next: (the next state, whether a
        question was asked on the way, as against passed through or passed over)."""
        moves = self.moves(state)
        return moves if isinstance(moves, str) else [(child, asked) for child, asked, _ in moves]

    def moves(self, state: State) -> str | list[tuple[State, bool, str]]:
        """`steps`, each with what was said on the way: an answer id, "(answered)", "(does not
        know)" for a typed question left unanswered, or "" where nothing was asked."""
        found = self._moved.get(state)
        if found is not None:
            return found
        moves = self._moves(state)
        if not isinstance(moves, str):
            moves = [
                (State(child.node, child.yes_no_only, self._project(child.node, child.seen),
                       child.text), asked, said)
                for child, asked, said in moves
            ]  # fmt: skip
        self._moved[state] = moves
        return moves

    def _moves(self, state: State) -> str | list[tuple[State, bool, str]]:
        protocol = self.protocol
        node, yes_no_only, seen, text = state
        if node in protocol.outcomes:
            return node
        decision = protocol.decisions.get(node)
        if decision is not None:
            rule = next(r for r in decision.rules if self._holds(r.when, seen))
            return [(State(rule.goto, yes_no_only, seen, text), False, "")]
        question = protocol.questions[node]
        if question.kind != "choice":
            assert question.next is not None  # guaranteed by the linter
            passed_over = yes_no_only and question.yes_no_form is None and not text
            as_typed = text or not yes_no_only or passed_over
            after = State(question.next, yes_no_only, seen, text)
            clause = self.typed_clauses.get(node)
            if passed_over or clause is None or not as_typed:
                return [(after, not passed_over, "" if passed_over else "(answered)")]
            # Answered with what it asks, or "don't know": a rule may tell them apart.
            return [
                (after._replace(seen=seen | {clause}), True, "(answered)"),
                (after, True, "(does not know)"),
            ]
        offered = self._offered.get((node, yes_no_only))
        if offered is None:
            answers = question.answers
            unknown = question.unknown_answer
            if yes_no_only and not question.yes_no and question.yes_no_form is not None:
                form = question.yes_no_form
                answers = [a for a in answers if a.id in {form.yes, form.no, unknown}]
            offered = self._offered[(node, yes_no_only)] = tuple(
                (answer, answer.id == unknown) for answer in answers
            )
        steps: list[tuple[State, bool, str]] = []
        for answer, is_unknown in offered:
            assert answer.next is not None  # guaranteed by the linter
            mode = (yes_no_only or answer.yes_no_from_here) and not answer.free_from_here
            after = State(answer.next, mode, self._see(seen, node, answer), text)
            steps.append((after, True, answer.id))
            switches = answer.yes_no_from_here or answer.free_from_here
            if is_unknown and switches:
                # Did not know or declined: the way of this answer, but the mode stays.
                child = State(answer.next, yes_no_only, after.seen, text)
                steps.append((child, True, "(does not know)"))
        return steps

    # -- how late each outcome can settle -------------------------------------------------
    def latest_settle(self, outcome: str, start: State | None = None) -> int | None:
        """Over every way through the protocol from `start` (default: the first question) that
        ends at `outcome`, the most questions answered before the route settled on it; None
        when no way ends there. Zero: settled before a question is answered."""
        start = start or State(self.protocol.protocol.start, False, NOTHING_SEEN)
        with collector_paused():
            return self._walk_latest(start, outcome)

    def _walk_latest(self, start: State, outcome: str) -> int | None:
        def expand(state: State) -> Done[int | None] | Steps:
            reachable = self.outcomes(state)
            if outcome not in reachable:
                return Done(None)
            if len(reachable) == 1:
                return Done(0)
            steps = self.steps(state)
            assert not isinstance(steps, str)  # more than one outcome: not at one
            return steps

        def combine(_state: State, steps: Steps, memo: dict[State, int | None]) -> int | None:
            found = [n + asked for child, asked in steps if (n := memo[child]) is not None]
            return max(found) if found else None

        return self.fold(start, self._worst.setdefault(outcome, {}), expand, combine)
