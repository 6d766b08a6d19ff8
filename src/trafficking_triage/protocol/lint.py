"""Checks of a protocol that the schema alone cannot make: the graph and its references.

Called by the loader once the file has the right shape. Each check returns findings (key path,
message, rule); the loader turns them into problems with line numbers. The graph checks are
linear in the size of the protocol, so a protocol of tens of thousands of questions still
checks in well under a second.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator

from .lint_graph import GraphChecks, edges
from .lint_safety import SafetyChecks, plain_answer
from .models import Condition, Protocol
from .problems import Finding, Path, did_you_mean

__all__ = ["Linter", "edges", "plain_answer"]


class Linter(SafetyChecks, GraphChecks):
    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        self.findings: list[Finding] = []
        self.nodes: set[str] = set()
        self.paths = 0
        """How many distinct ways from the start to an outcome the checks walked over."""

    def add(self, path: Path, message: str, rule: str, hint: str | None = None) -> None:
        self.findings.append(Finding(path, message, rule, hint))

    def reference(self, path: Path, name: str, known: Collection[str], what: str) -> bool:
        if name in known:
            return True
        self.add(
            path, f"no {what} called '{name}'", "dangling-reference", did_you_mean(name, known)
        )
        return False

    def run(self) -> list[Finding]:
        self.check_ids()
        self.check_references()
        self.check_questions()
        self.check_caller_kinds()
        self.check_languages()
        self.check_hang_up()
        self.check_safety()
        if not any(f.rule in {"dangling-reference", "duplicate-id"} for f in self.findings):
            self.check_graph()
        return self.findings

    # -- ids --------------------------------------------------------------------------------
    def check_ids(self) -> None:
        p = self.protocol
        seen: dict[str, str] = {}
        for section, names in (
            ("questions", p.questions),
            ("decisions", p.decisions),
            ("outcomes", p.outcomes),
        ):
            for name in names:
                if name in seen:
                    self.add(
                        (section, name),
                        f"'{name}' is both a {seen[name]} and a {section[:-1]}",
                        "duplicate-id",
                        "questions, decisions and outcomes share one set of names",
                    )
                seen[name] = section[:-1]
        self.nodes = set(seen)
        for qid, question in p.questions.items():
            ids: set[str] = set()
            for index, answer in enumerate(question.answers):
                if answer.id in ids:
                    self.add(
                        ("questions", qid, "answers", index, "id"),
                        f"answer '{answer.id}' appears twice",
                        "duplicate-id",
                    )
                ids.add(answer.id)
        numbers: set[int] = set()
        for index, step in enumerate(p.steps):
            if step.number in numbers:
                self.add(
                    ("steps", index, "number"), f"step {step.number} appears twice", "duplicate-id"
                )
            numbers.add(step.number)

    # -- references -------------------------------------------------------------------------
    def check_references(self) -> None:
        p = self.protocol
        everything = {**p.questions, **p.decisions, **p.outcomes}
        self.reference(("protocol", "start"), p.protocol.start, p.questions, "question")
        self.reference(
            ("protocol", "danger_outcome"), p.protocol.danger_outcome, p.outcomes, "outcome"
        )
        if p.protocol.screening_step not in {step.number for step in p.steps}:
            self.add(
                ("protocol", "screening_step"),
                f"no step numbered {p.protocol.screening_step}",
                "dangling-reference",
            )
        for edge in (e for node in everything for e in edges(p, node)):
            self.reference(edge.path, edge.target, everything, "question, decision or outcome")
        for qid, question in p.questions.items():
            self.reference(("questions", qid, "source"), question.source, p.sources, "source")
            for index, answer in enumerate(question.answers):
                if answer.indicator is not None:
                    self.reference(
                        ("questions", qid, "answers", index, "indicator"),
                        answer.indicator,
                        p.indicators,
                        "indicator",
                    )
        for did, decision in p.decisions.items():
            self.reference(("decisions", did, "source"), decision.source, p.sources, "source")
            for index, rule in enumerate(decision.rules):
                if rule.when is None:
                    continue
                base: Path = ("decisions", did, "rules", index, "when")
                self.check_condition(base, rule.when)
                for qid, answer_ids in (rule.when.answered or {}).items():
                    if self.reference((*base, "answered", qid), qid, p.questions, "question"):
                        known = {a.id for a in p.questions[qid].answers}
                        for answer_id in answer_ids:
                            self.reference(
                                (*base, "answered", qid), answer_id, known, f"answer of '{qid}'"
                            )
                for name in rule.when.any_indicator or []:
                    self.reference((*base, "any_indicator"), name, p.indicators, "indicator")
                for index_given, qid in enumerate(rule.when.given or []):
                    self.typed_question((*base, "given", index_given), qid)
        steps = {step.number for step in p.steps}
        facts = {q.fact for q in p.questions.values() if q.fact is not None}
        for oid, outcome in p.outcomes.items():
            self.reference(("outcomes", oid, "source"), outcome.source, p.sources, "source")
            if outcome.if_hung_up is not None:
                self.radio_placeholders(("outcomes", oid, "if_hung_up"), outcome.if_hung_up, facts)
            for index, contact in enumerate(outcome.contacts):
                self.reference(("outcomes", oid, "contacts", index), contact, p.contacts, "contact")
            for index, number in enumerate(outcome.steps):
                if number not in steps:
                    self.add(
                        ("outcomes", oid, "steps", index),
                        f"no step numbered {number}",
                        "dangling-reference",
                    )
        for aid, addition in p.additions.items():
            base = ("additions", aid)
            self.reference((*base, "source"), addition.source, p.sources, "source")
            facts = {q.fact for q in p.questions.values() if q.fact is not None}
            if addition.radio is not None:
                self.radio_placeholders((*base, "radio"), addition.radio, facts)
            if addition.when_fact is not None:
                self.reference((*base, "when_fact"), addition.when_fact, facts, "fact")
            elif not addition.when:
                self.add(
                    base,
                    f"nothing brings '{aid}' along",
                    "missing-key",
                    "name the indicators that bring it ('when') or a fact ('when_fact')",
                )
            for name in addition.when:
                self.reference((*base, "when"), name, p.indicators, "indicator")
            for index, contact in enumerate(addition.contacts):
                self.reference((*base, "contacts", index), contact, p.contacts, "contact")
            if addition.step is not None and addition.step not in steps:
                self.add((*base, "step"), f"no step numbered {addition.step}", "dangling-reference")
        for index, step in enumerate(p.steps):
            self.reference(("steps", index, "source"), step.source, p.sources, "source")
        for name, listed in p.contacts.items():
            self.reference(("contacts", name, "source"), listed.source, p.sources, "source")
        for name, indicator in p.indicators.items():
            self.reference(("indicators", name, "source"), indicator.source, p.sources, "source")
        for index, section in enumerate(p.reference):
            self.reference(("reference", index, "source"), section.source, p.sources, "source")
        for index, case in enumerate(p.cases):
            self.reference(("cases", index, "expect"), case.expect, p.outcomes, "outcome")
            for qid in case.answers:
                self.reference(("cases", index, "answers", qid), qid, p.questions, "question")
            for key in ("escalate_at", "hang_up_at"):
                at = getattr(case, key)
                if at is not None:
                    self.reference(("cases", index, key), at, p.questions, "question")
            for name in case.expect_indicators or []:
                self.reference(
                    ("cases", index, "expect_indicators"), name, p.indicators, "indicator"
                )

    def check_condition(self, path: Path, when: Condition) -> None:
        """A condition that always or never holds is a mistake, never an intent."""
        given = {k: v for k, v in when.model_dump().items() if v is not None}
        if not given:
            self.add(
                path,
                "a condition with nothing in it always holds",
                "empty-condition",
                "leave out 'when' on the last rule instead",
            )
        for key, value in given.items():
            if not value or (key == "answered" and not all(value.values())):
                self.add((*path, key), f"'{key}' is empty, so it never holds", "empty-condition")

    # -- question shapes --------------------------------------------------------------------
    def check_questions(self) -> None:
        for qid, question in self.protocol.questions.items():
            base: Path = ("questions", qid)
            if question.several and question.kind != "text":
                self.add(
                    (*base, "several"),
                    f"only a text question takes several answers, not a {question.kind} one",
                    "misplaced-key",
                )
            if question.kind == "choice":
                if not question.answers:
                    self.add((*base, "answers"), "a choice question needs answers", "dead-end")
                if question.next is not None:
                    self.add(
                        (*base, "next"),
                        "a choice question goes on from each answer's own 'next'",
                        "misplaced-key",
                    )
                for index, answer in enumerate(question.answers):
                    if answer.yes_no_from_here and answer.free_from_here:
                        self.add(
                            (*base, "answers", index),
                            f"answer '{answer.id}' both starts and ends yes/no mode",
                            "misplaced-key",
                            "keep closed_mode or open_mode, not both",
                        )
                    if answer.next is None:
                        self.add(
                            (*base, "answers", index),
                            f"answer '{answer.id}' leads nowhere",
                            "dead-end",
                            "give it a 'next'",
                        )
                known = {answer.id for answer in question.answers}
                if question.if_unknown is not None:
                    self.reference(
                        (*base, "if_unknown"), question.if_unknown, known, f"answer of '{qid}'"
                    )
                elif question.answers and "unknown" not in known:
                    self.add(
                        base,
                        f"a caller who does not know, or will not say, has no way on from '{qid}'",
                        "no-unknown",
                        "add an answer 'unknown', or name with 'if_unknown' the answer whose "
                        "way such a caller goes",
                    )
                form = question.yes_no_form
                if form is not None:
                    for key in ("yes", "no"):
                        target = getattr(form, key)
                        if target is None:
                            self.add(
                                (*base, "closed"),
                                f"missing required key '{key}'",
                                "missing-key",
                                "name the answer a yes or a no stands for",
                            )
                        else:
                            self.reference(
                                (*base, "closed", key), target, known, f"answer of '{qid}'"
                            )
            else:
                if question.answers:
                    self.add(
                        (*base, "answers"),
                        f"a {question.kind} question takes typed answers, not a list",
                        "misplaced-key",
                    )
                if question.next is None:
                    self.add(
                        base, f"question '{qid}' leads nowhere", "dead-end", "give it a 'next'"
                    )
                if question.fact is None:
                    self.add(
                        base,
                        f"a {question.kind} question must name the fact it fills",
                        "missing-key",
                        "add 'fact: <name>'",
                    )
                if question.if_unknown is not None:
                    self.add(
                        (*base, "if_unknown"),
                        "a typed question goes on from its own 'next' when the caller does not say",
                        "misplaced-key",
                    )
                form = question.yes_no_form
                if form is not None and (form.yes or form.no):
                    self.add(
                        (*base, "closed"),
                        "'yes' and 'no' only apply to choice questions",
                        "misplaced-key",
                    )

    # -- words for the person on the line ---------------------------------------------------
    def check_caller_kinds(self) -> None:
        """A question about the worker is worded for both kinds of caller; whatever is worded
        by kind needs the answer that tells the kind."""
        p = self.protocol
        kinds = p.protocol.caller_kind
        worded = []
        for qid, question in p.questions.items():
            if question.about_worker:
                for key in ("for_worker", "for_other"):
                    if getattr(question, key) is None:
                        self.add(
                            ("questions", qid),
                            f"'{qid}' is about the worker but has no '{key}'",
                            "missing-key",
                            "word it for a worker on the line (for_worker) and for someone "
                            "calling about one (for_other)",
                        )
            if question.for_worker is not None or question.for_other is not None:
                worded.append(("questions", qid))
        worded += [("outcomes", oid) for oid, o in p.outcomes.items() if o.instructions]
        if kinds is None:
            if worded:
                self.add(
                    worded[0],
                    "words chosen by who is calling, but nothing says who is calling",
                    "missing-key",
                    "add protocol.caller_kind: the question and its answers that mean the "
                    "worker is on the line",
                )
            return
        path: Path = ("protocol", "caller_kind")
        if self.reference((*path, "question"), kinds.question, p.questions, "question"):
            asked = p.questions[kinds.question]
            known = {answer.id for answer in asked.answers}
            for key in ("worker", "other", "escaped", "survivor", "at_scene"):
                for index, answer in enumerate(getattr(kinds, key)):
                    what = f"answer of '{kinds.question}'"
                    self.reference((*path, key, index), answer, known, what)
        for number, then in enumerate(kinds.then):
            where: Path = (*path, "then", number)
            if self.reference((*where, "question"), then.question, p.questions, "question"):
                known = {answer.id for answer in p.questions[then.question].answers}
                for key in ("worker", "at_scene"):
                    for index, answer in enumerate(getattr(then, key)):
                        what = f"answer of '{then.question}'"
                        self.reference((*where, key, index), answer, known, what)

    # -- languages --------------------------------------------------------------------------
    def check_languages(self) -> None:
        declared = self.protocol.protocol.languages
        meta = self.protocol.protocol
        for key in ("yes_label", "no_label"):
            if key not in meta.model_fields_set and declared != ["en"]:
                self.add(
                    ("protocol",),
                    f"'{key}' must be given when languages other than English are declared",
                    "missing-language",
                    f"add {key} with a text in each of {', '.join(declared)}",
                )
        for path, text in self.caller_texts():
            if path[0] == "protocol" and path[1] not in meta.model_fields_set:
                continue
            missing = [lang for lang in declared if lang not in text]
            extra = [lang for lang in text if lang not in declared]
            if missing:
                self.add(path, f"no text in {', '.join(missing)}", "missing-language")
            if extra:
                self.add(
                    path,
                    f"language {', '.join(extra)} is not declared",
                    "missing-language",
                    "list it under protocol.languages",
                )

    def caller_texts(self) -> Iterator[tuple[Path, dict[str, str]]]:
        """Every text a caller may hear, with its key path."""
        meta = self.protocol.protocol
        for key in ("yes_label", "no_label", "unknown_label"):
            # Left out, these default to English; a file declaring more languages must set
            # yes and no (a protocol written before "Don't know" was offered may leave it out).
            required = meta.languages != ["en"] and key != "unknown_label"
            if key in meta.model_fields_set or required:
                yield ("protocol", key), getattr(meta, key)
        for qid, question in self.protocol.questions.items():
            yield ("questions", qid, "text"), question.text
            for index, answer in enumerate(question.answers):
                yield ("questions", qid, "answers", index, "label"), answer.label
            if question.yes_no_form is not None:
                yield ("questions", qid, "closed", "text"), question.yes_no_form.text
            for key in ("for_worker", "for_other", "for_escaped"):
                if (form := getattr(question, key)) is not None:
                    yield ("questions", qid, key), form
        for oid, outcome in self.protocol.outcomes.items():
            yield ("outcomes", oid, "tell_caller"), outcome.tell_caller
            for kind, text in outcome.instructions.items():
                yield ("outcomes", oid, "instructions", kind), text
            if outcome.tell_texter is not None:
                yield ("outcomes", oid, "tell_texter"), outcome.tell_texter
        for aid, addition in self.protocol.additions.items():
            if addition.tell_caller is not None:
                yield ("additions", aid, "tell_caller"), addition.tell_caller
