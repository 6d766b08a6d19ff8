"""The decision rules read over a call's answers: whether a rule's condition holds, and the
route with the answers that decided it (what the screen shows as "why")."""

from __future__ import annotations

from ..protocol.models import Condition, Decision, Rule
from .state import Given, Reason, Route
from .wording import Wording


class Rules(Wording):
    def _filled(self, given: Given) -> bool:
        """A typed question answered with what it asked (not "don't know" or a yes/no); at
        a question taking several, entries count too."""
        if given.unanswered is not None or given.yes_no_form:
            return False
        return given.value is not None or bool(self.state.entries.get(given.question))

    def _indicator(self, given: Given) -> str | None:
        question = self.protocol.questions[given.question]
        for answer in question.answers:
            if answer.id == given.answer:
                return answer.indicator
        return None

    def _holds(self, when: Condition | None, answers: list[Given]) -> bool:
        if when is None:
            return True
        chosen = {given.question: given.answer for given in answers}
        for qid, ids in (when.answered or {}).items():
            if chosen.get(qid) not in ids:
                return False
        filled = {given.question for given in answers if self._filled(given)}
        if when.given is not None and not set(when.given) <= filled:
            return False
        found = {self._indicator(given) for given in answers} - {None}
        if when.any_indicator is not None and not found & set(when.any_indicator):
            return False
        if when.any_indicator_kind is not None:
            kinds = {self.protocol.indicators[name].kind for name in found if name}
            if not kinds & set(when.any_indicator_kind):
                return False
        return True

    def _explain(
        self, outcome: str, answers: list[Given], passed: tuple[Decision, Rule] | None
    ) -> Route:
        """The route, with the answers that decided it."""
        if passed is None:
            if not answers:
                return Route(outcome, "The protocol starts at this outcome", ())
            last = answers[-1]
            reason = Reason(last.question, last.answer or last.value or "", last.unanswered)
            return Route(outcome, "The last answer leads here", (reason,))
        decision, rule = passed
        if rule.when is not None:
            return Route(outcome, rule.because, tuple(self._reasons([rule.when], answers, True)))
        # The fall-through rule: what decided it is everything the rules above looked at.
        above = [r.when for r in decision.rules if r is not rule and r.when is not None]
        return Route(outcome, rule.because, tuple(self._reasons(above, answers, False)))

    def _reasons(
        self, conditions: list[Condition], answers: list[Given], matched: bool
    ) -> list[Reason]:
        """The answers a rule's condition looked at (for a fall-through rule: all rules above)."""
        wanted_questions: set[str] = set()
        wanted_indicators: set[str] = set()
        wanted_kinds: set[str] = set()
        for condition in conditions:
            wanted_questions |= set(condition.answered or {}) | set(condition.given or [])
            wanted_indicators |= set(condition.any_indicator or [])
            wanted_kinds |= set(condition.any_indicator_kind or [])
        reasons = []
        for given in answers:
            indicator = self._indicator(given)
            by_indicator = indicator is not None and (
                indicator in wanted_indicators
                or self.protocol.indicators[indicator].kind in wanted_kinds
            )
            if given.question in wanted_questions or (matched and by_indicator):
                reasons.append(
                    Reason(given.question, given.answer or given.value or "", given.unanswered)
                )
        return reasons
