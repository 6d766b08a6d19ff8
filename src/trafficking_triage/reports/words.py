"""The protocol's branches and routing rules in words, in English or Spanish, for what is
printed or projected (guide cards, slides): the questions as they are read, the answers as
the console offers them, the signs by name. With `ids`, the protocol's own ids, for editors.
No Textual."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..protocol.texts import local

if TYPE_CHECKING:
    from ..protocol import Protocol
    from ..protocol.models import Condition

LANGUAGES = ("en", "es")

KIND_WORDS = {
    "en": {
        "force": "force",
        "fraud": "fraud",
        "coercion": "coercion",
        "exploitation": "exploitation",
        "minor": "a minor",
        "danger": "danger",
        "injury": "an injury",
        "situation": "the caller's situation",
    },
    "es": {
        "force": "fuerza",
        "fraud": "engaño",
        "coercion": "coacción",
        "exploitation": "explotación",
        "minor": "un menor de edad",
        "danger": "peligro",
        "injury": "una lesión",
        "situation": "la situación de quien llama",
    },
}
"""The protocol's kinds of sign (a fixed list in its schema) in words."""

JOINS = {
    "en": {
        "and": " and ",
        "or": " or ",
        "otherwise": "otherwise",
        "any sign of": "any sign of ",
        "found": "found: ",
        "given": "answered",
        "q": "Q",
    },
    "es": {
        "and": " y ",
        "or": " o ",
        "otherwise": "en cualquier otro caso",
        "any sign of": "alguna señal de ",
        "found": "se halló: ",
        "given": "respondida",
        "q": "P",
    },
}


def _listed(items: list[str], language: str) -> str:
    """ "a, b or c" in the language."""
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + JOINS[language]["or"] + items[-1]


@dataclass(frozen=True)
class Words:
    """How to word a protocol's parts: a language, or ids."""

    protocol: Protocol
    language: str = "en"
    ids: bool = False
    numbers: Mapping[str, int] = field(default_factory=dict)
    """Questions by their number on the page (Q7, in Spanish P7): a rule then names a
    question by it, not by its whole text."""

    def question(self, question_id: str) -> str:
        """A question as it is first read (before the caller says who they are)."""
        if self.ids:
            return question_id
        return local(self.protocol.questions[question_id].text, self.language)

    def named(self, question_id: str) -> str:
        """A question as a rule names it: by its number on the page, else its words."""
        if question_id in self.numbers and not self.ids:
            return f"{JOINS[self.language]['q']}{self.numbers[question_id]}:"
        return f"“{self.question(question_id)}”"

    def answer(self, question_id: str, answer_id: str) -> str:
        if self.ids:
            return answer_id
        question = self.protocol.questions[question_id]
        for answer in question.answers:
            if answer.id == answer_id:
                return local(answer.label, self.language)
        if answer_id == "unknown":  # a question whose "don't know" goes another answer's way
            return local(self.protocol.protocol.unknown_label, self.language)
        return answer_id

    def answers(self, question_id: str, answer_ids: list[str]) -> str:
        joined = JOINS[self.language]["or"] if not self.ids else " or "
        return joined.join(self.answer(question_id, a) for a in answer_ids)

    def sign(self, indicator_id: str) -> str:
        """A sign by its name in the language (its `label` where the protocol gives no other)."""
        if self.ids:
            return indicator_id
        indicator = self.protocol.indicators[indicator_id]
        return (indicator.names or {}).get(self.language, indicator.label)

    def condition(self, when: Condition | None) -> str:
        """A rule's condition in words: each question with the answers that satisfy it, each
        sign by name, each kind of sign; "otherwise" for the last rule."""
        if self.ids:
            return _ids(when)
        joins = JOINS[self.language]
        if when is None:
            return joins["otherwise"]
        parts = []
        for question_id, answer_ids in (when.answered or {}).items():
            question = self.protocol.questions[question_id]
            labels = self.answers(question_id, answer_ids)
            if question.yes_no:
                parts.append(f"{self.named(question_id)} {labels}")
            else:
                said = joins["or"].join(f"“{self.answer(question_id, a)}”" for a in answer_ids)
                named = self.named(question_id) + " " if question_id in self.numbers else ""
                parts.append(named + said)
        for question_id in when.given or []:
            parts.append(f"{self.named(question_id)} {joins['given']}")
        if when.any_indicator:
            signs = [self.sign(i) for i in when.any_indicator]
            parts.append(joins["found"] + _listed(signs, self.language))
        if when.any_indicator_kind:
            kinds = [KIND_WORDS[self.language][k] for k in when.any_indicator_kind]
            parts.append(joins["any sign of"] + _listed(kinds, self.language))
        return joins["and"].join(parts)


def _ids(when: Condition | None) -> str:
    """A condition in the protocol's ids, as its file writes it."""
    if when is None:
        return "otherwise"
    parts = [f"{q} = {' or '.join(ids)}" for q, ids in (when.answered or {}).items()]
    parts += [f"{q} given" for q in when.given or []]
    if when.any_indicator:
        parts.append("found: " + " or ".join(when.any_indicator))
    if when.any_indicator_kind:
        parts.append("any sign of " + " or ".join(when.any_indicator_kind))
    return " and ".join(parts)
