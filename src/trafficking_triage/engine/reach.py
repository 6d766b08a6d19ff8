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

if TYPE_CHECKING:
    from ..protocol.models import Answer, Condition, Protocol

_CACHE: dict[int, tuple[Protocol, Reach]] = {}


Clause = tuple[str, str, frozenset[str]]
"""One test a rule makes: ("answered", question, answer ids), ("given", question, {}) for a
typed answer given, ("indicator", "", indicator ids) or ("kind", "", indicator kinds)."""

Seen = frozenset[Clause]
"""What the decision rules can see of a walk so far: the clauses it has met. Every clause
stays met once it is (an answer is given once on a walk; indicators are only added)."""


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


NOTHING_SEEN: Seen = frozenset()


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


class Reach:
    def __init__(
        self, protocol: Protocol, watch: Iterable[Clause] = (), *, project: bool = True
    ) -> None:
        """`watch`: more clauses to remember on a walk than the rules test (what a proof
        asks of the ways through; see engine.proofs). `project`: keep of a walk only what can
        still make a difference (`_project`); off only to check and measure what that buys."""
        self.protocol = protocol
        self.project = project
        conditions = [
            rule.when
            for decision in protocol.decisions.values()
            for rule in decision.rules
            if rule.when is not None
        ]
        self.tests = {id(when): frozenset(_clauses(when)) for when in conditions}
        self.clauses = frozenset().union(*self.tests.values(), watch)
        self.typed_clauses = {c[1]: c for c in self.clauses if c[0] == "given"}
        self.by_question: dict[str, list[Clause]] = {}
        for clause in self.clauses:
            if clause[0] == "answered":
                self.by_question.setdefault(clause[1], []).append(clause)
        self.watch = frozenset(watch)
        self._met: dict[tuple[str, str], Seen] = {}
        """Per question and answer, the clauses giving it meets (whatever was met before)."""
        self._projected: dict[tuple[str, Seen], Seen] = {}
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
        self._ahead, self._meetable = self._look_ahead()

    def _look_ahead(self) -> tuple[dict[str, tuple[str, ...]], dict[str, Seen]]:
        """Per node, the decisions a walk from it can still pass, and the clauses it can still
        meet."""
        from ..protocol.lint_graph import edges

        protocol = self.protocol
        ahead: dict[str, tuple[str, ...]] = {}
        meetable: dict[str, Seen] = {}
        for root in [*protocol.questions, *protocol.decisions]:  # each after those it leads to
            stack = [root]
            while stack:
                node = stack[-1]
                if node in ahead or node in protocol.outcomes:
                    stack.pop()
                    continue
                targets = [e.target for e in edges(protocol, node)]
                waiting = [t for t in targets if t not in ahead and t not in protocol.outcomes]
                if waiting:
                    stack.extend(waiting)
                    continue
                stack.pop()
                found = {node} if node in protocol.decisions else set()
                met = set(self._met_at(node))
                for target in targets:
                    found.update(ahead.get(target, ()))
                    met.update(meetable.get(target, ()))
                ahead[node], meetable[node] = tuple(sorted(found)), frozenset(met)
        return ahead, meetable

    def _met_at(self, node: str) -> Iterable[Clause]:
        """The clauses answering `node` can meet."""
        question = self.protocol.questions.get(node)
        if question is None:
            return ()
        met: set[Clause] = set()
        if node in self.typed_clauses:
            met.add(self.typed_clauses[node])
        for answer in question.answers:
            met.update(self._see(NOTHING_SEEN, node, answer))
        return met

    def _project(self, node: str, seen: Seen) -> Seen:
        if not self.project:
            return seen
        key = (node, seen)
        found = self._projected.get(key)
        if found is None:
            found = self._projected[key] = self._project_now(node, seen)
        return found

    def _project_now(self, node: str, seen: Seen) -> Seen:
        """What of `seen` can still make a difference from `node` on: the clauses of each rule
        ahead up to the first one that holds (that one will hold whatever comes later, as
        clauses are only ever added), leaving out rules that can no longer hold (a clause not
        met that no question ahead can meet), and the watched clauses. Walks that agree on it
        reach the same outcomes in the same number of questions, so each is worked out once."""
        if node in self.protocol.outcomes:
            return seen & self.watch
        possible = seen | self._meetable.get(node, NOTHING_SEEN)
        keep = set(seen & self.watch)
        for name in self._ahead.get(node, ()):
            for rule in self.protocol.decisions[name].rules:
                test = self.tests[id(rule.when)] if rule.when is not None else NOTHING_SEEN
                if test <= seen:
                    keep.update(test)
                    break
                if test <= possible:
                    keep.update(test & seen)
        return seen & frozenset(keep) if len(keep) < len(seen) else seen

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

    # -- the rules, on what they can see ---------------------------------------------------
    def _answer(self, question: str, answer_id: str) -> Answer:
        return self.protocol.questions[question].answer(answer_id)

    def _see(self, seen: Seen, question: str, answer: Answer) -> Seen:
        met = self._met.get((question, answer.id))
        if met is None:
            met = self._met[(question, answer.id)] = self._meets(question, answer)
        return seen | met if met else seen

    def _meets(self, question: str, answer: Answer) -> Seen:
        met = [c for c in self.by_question.get(question, ()) if answer.id in c[2]]
        indicator = answer.indicator
        if indicator is not None:
            kind = self.protocol.indicators[indicator].kind
            met += [
                clause
                for clause in self.clauses
                if (clause[0] == "indicator" and indicator in clause[2])
                or (clause[0] == "kind" and kind in clause[2])
            ]
        return frozenset(met)

    def _holds(self, when: Condition | None, seen: Seen) -> bool:
        """`Call._holds`, on what the rules can see (which is all it reads)."""
        return when is None or self.tests[id(when)] <= seen


def _clauses(when: Condition) -> list[Clause]:
    """The tests a rule's condition makes, every one of which must hold."""
    found: list[Clause] = [
        ("answered", question, frozenset(ids)) for question, ids in (when.answered or {}).items()
    ]
    found += [("given", question, frozenset()) for question in when.given or []]
    if when.any_indicator is not None:
        found.append(("indicator", "", frozenset(when.any_indicator)))
    if when.any_indicator_kind is not None:
        found.append(("kind", "", frozenset(when.any_indicator_kind)))
    return found
