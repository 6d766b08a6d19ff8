"""What the decision rules can see of a walk through a protocol (see engine.reach): the
clauses of every rule's condition, which of them an answer meets, and, at each point, only
those that can still make a difference to the route. The walks of reach.py are built on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..protocol.models import Answer, Condition, Protocol

Clause = tuple[str, str, frozenset[str]]
"""One test a rule makes: ("answered", question, answer ids), ("given", question, {}) for a
typed answer given, ("indicator", "", indicator ids) or ("kind", "", indicator kinds)."""

Seen = frozenset[Clause]
"""What the decision rules can see of a walk so far: the clauses it has met. Every clause
stays met once it is (an answer is given once on a walk; indicators are only added)."""


NOTHING_SEEN: Seen = frozenset()


class Sight:
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
