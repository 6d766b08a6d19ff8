"""The linter's checks of the protocol's graph: no loop, nothing unreachable, every way from
the start ending at an outcome, every question that yes/no mode can reach asked in yes/no
form; and the ways out of each node (`edges`), which the drawings and the walks follow too.
Mixed into `lint.Linter`, whose `add` it uses."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .models import Protocol
from .problems import Finding, Path


@dataclass(frozen=True)
class Edge:
    """One way the call can go from a node, and where in the file that way is written."""

    target: str
    path: Path


def edges(protocol: Protocol, node: str) -> Iterator[Edge]:
    """The ways out of a question or decision (outcomes have none)."""
    question = protocol.questions.get(node)
    if question is not None:
        if question.kind == "choice":
            for index, answer in enumerate(question.answers):
                if answer.next is not None:
                    yield Edge(answer.next, ("questions", node, "answers", index, "next"))
        elif question.next is not None:
            yield Edge(question.next, ("questions", node, "next"))
        return
    decision = protocol.decisions.get(node)
    if decision is not None:
        for index, rule in enumerate(decision.rules):
            yield Edge(rule.goto, ("decisions", node, "rules", index, "goto"))


class GraphChecks:
    protocol: Protocol
    findings: list[Finding]
    nodes: set[str]
    paths: int

    def add(self, path: Path, message: str, rule: str, hint: str | None = None) -> None:
        raise NotImplementedError  # the Linter's

    def check_graph(self) -> None:
        """No cycles, nothing unreachable, every way from the start ends in an outcome."""
        p = self.protocol
        start = p.protocol.start
        order: list[str] = []  # post-order: every node after all the nodes it leads to
        state: dict[str, int] = {}  # 1 = on the current walk, 2 = finished
        # The hang-up rule is a second way in: it can be reached from any question.
        roots = [start, *([p.protocol.hang_up] if p.protocol.hang_up in p.decisions else [])]
        for root in roots:
            if root not in state:
                self._walk(root, state, order)
        self._graph_findings(start, state, order)

    def _walk(self, start: str, state: dict[str, int], order: list[str]) -> None:
        """Depth first from `start`, finding loops; `order` gets each node once finished."""
        p = self.protocol
        stack: list[tuple[str, Iterator[Edge]]] = [(start, edges(p, start))]
        state[start] = 1
        trail = [start]
        while stack:
            node, out = stack[-1]
            edge = next(out, None)
            if edge is None:
                stack.pop()
                trail.pop()
                state[node] = 2
                order.append(node)
                continue
            seen = state.get(edge.target)
            if seen == 1:
                loop = [*trail[trail.index(edge.target) :], edge.target]
                self.add(
                    edge.path,
                    "the call can go round in a loop: " + " -> ".join(loop),
                    "cycle",
                    "every way through must end at an outcome",
                )
            elif seen is None:
                state[edge.target] = 1
                trail.append(edge.target)
                stack.append((edge.target, edges(p, edge.target)))

    def _graph_findings(self, start: str, state: dict[str, int], order: list[str]) -> None:
        p = self.protocol
        for section, names in (("questions", p.questions), ("decisions", p.decisions)):
            for name in names:
                if name not in state:
                    self.add(
                        (section, name),
                        f"'{name}' cannot be reached from the start ('{start}')",
                        "unreachable",
                    )
        for name in p.outcomes:
            if name not in state and name != p.protocol.danger_outcome:
                self.add(
                    ("outcomes", name),
                    f"'{name}' cannot be reached from the start ('{start}')",
                    "unreachable",
                )
        for did, decision in p.decisions.items():
            for index, rule in enumerate(decision.rules):
                last = index == len(decision.rules) - 1
                if rule.when is None and not last:
                    self.add(
                        ("decisions", did, "rules", index + 1),
                        "this rule can never apply: the rule before it always does",
                        "unreachable",
                    )
                if last and rule.when is not None:
                    self.add(
                        ("decisions", did, "rules", index),
                        f"a call can match none of the rules of '{did}' and stop there",
                        "dead-end",
                        "end the rules with one that has no 'when'",
                    )
        self.check_yes_no_forms()
        if any(f.rule in {"cycle", "dead-end"} for f in self.findings):
            return
        ways: dict[str, int] = {}
        for node in order:
            ways[node] = 1 if node in p.outcomes else sum(ways[e.target] for e in edges(p, node))
        self.paths = ways.get(start, 0)

    def check_yes_no_forms(self) -> None:
        """Yes/no mode can be switched on at any question (by an answer or by the
        dispatcher), so every choice question must work as yes/no."""
        p = self.protocol
        seen = self.nodes
        for qid in sorted(seen & set(p.questions)):
            question = p.questions[qid]
            if question.kind == "choice" and not question.yes_no and question.yes_no_form is None:
                self.add(
                    ("questions", qid),
                    f"'{qid}' can be asked of a caller who cannot speak freely,"
                    " but has no yes/no form",
                    "closed-form",
                    "add 'closed:' with a yes/no text and the answers yes and no stand for",
                )
