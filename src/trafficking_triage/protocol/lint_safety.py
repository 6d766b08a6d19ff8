"""The linter's checks of what protocol 3 added: the hang-up rule, the conditions on a typed
answer given, the radio lines of additions, and the names the `safety` section gives the
proofs (engine.proofs). Mixed into `lint.Linter`, whose `add` and `reference` they use."""

from __future__ import annotations

from collections.abc import Collection

from .models import Protocol
from .problems import Finding, Path


class SafetyChecks:
    protocol: Protocol
    findings: list[Finding]

    def add(self, path: Path, message: str, rule: str, hint: str | None = None) -> None:
        raise NotImplementedError  # the Linter's

    def reference(self, path: Path, name: str, known: Collection[str], what: str) -> bool:
        raise NotImplementedError  # the Linter's

    def radio_placeholders(self, path: Path, text: str, facts: Collection[str]) -> None:
        """A radio line names in braces only facts a question fills in."""
        from .texts import placeholders

        try:
            named = placeholders(text)
        except ValueError as error:
            self.add(path, str(error), "placeholder")
            return
        for name in named:
            self.reference(path, name, facts, "fact")

    def typed_question(self, path: Path, qid: str) -> None:
        """`given` and `known_place` name a typed question (a choice has no answer to give
        but its own)."""
        p = self.protocol
        if self.reference(path, qid, p.questions, "question") and p.questions[qid].kind == "choice":
            self.add(
                path,
                f"'{qid}' is a choice question: 'given' is for typed answers",
                "misplaced-key",
                "test a choice question's answers with 'answered'",
            )

    def check_hang_up(self) -> None:
        """The hang-up rule gives a route wherever the caller hangs up: from its decision
        only decisions and outcomes can be reached, each decision ending with a rule for
        every other call (checked with the graph)."""
        p = self.protocol
        start = p.protocol.hang_up
        if start is None:
            return
        if not self.reference(("protocol", "hang_up"), start, p.decisions, "decision"):
            return
        pending, seen = [start], set()
        while pending:
            node = pending.pop()
            if node in seen or node in p.outcomes:
                continue
            seen.add(node)
            decision = p.decisions.get(node)
            if decision is None:
                self.add(
                    ("protocol", "hang_up"),
                    f"a caller who hangs up can be led to the question '{node}'",
                    "hang-up",
                    "the hang-up rule must lead only to decisions and outcomes",
                )
                continue
            pending += [rule.goto for rule in decision.rules]

    def check_safety(self) -> None:
        """What the proofs name exists, and the order lists every outcome once."""
        p = self.protocol
        safety = p.safety
        if safety is None:
            return
        base: Path = ("safety",)
        for index, name in enumerate(safety.order):
            self.reference((*base, "order", index), name, p.outcomes, "outcome")
        missing = [name for name in p.outcomes if name not in safety.order]
        if missing or len(set(safety.order)) != len(safety.order):
            self.add(
                (*base, "order"),
                "the order must name every outcome once"
                + (f" (missing: {', '.join(missing)})" if missing else ""),
                "safety-order",
            )
        for index, answered in enumerate(safety.on_the_line):
            for qid, ids in answered.items():
                path = (*base, "on_the_line", index, qid)
                if self.reference(path, qid, p.questions, "question"):
                    known = {a.id for a in p.questions[qid].answers}
                    for answer_id in ids:
                        self.reference(path, answer_id, known, f"answer of '{qid}'")
        for index, qid in enumerate(safety.plain_signs):
            path = (*base, "plain_signs", index)
            if self.reference(path, qid, p.questions, "question") and not plain_answer(p, qid):
                self.add(
                    path,
                    f"'{qid}' has no plain answer that raises no indicator",
                    "safety-order",
                    "a plain sign is a yes/no question whose one answer raises an indicator",
                )
        if safety.on_the_line_route is not None:
            self.reference(
                (*base, "on_the_line_route"), safety.on_the_line_route, p.outcomes, "outcome"
            )
        if safety.known_place is not None:
            self.typed_question((*base, "known_place"), safety.known_place)


def plain_answer(protocol: Protocol, qid: str) -> str | None:
    """The clearly negative answer of a plain-sign question: of yes and no, the one that raises
    no indicator while the other does (None when the question is not of that shape)."""
    question = protocol.questions[qid]
    if not question.yes_no:
        return None
    raising = [key for key in ("yes", "no") if question.answer(key).indicator is not None]
    if len(raising) != 1:
        return None
    return "no" if raising == ["yes"] else "yes"
