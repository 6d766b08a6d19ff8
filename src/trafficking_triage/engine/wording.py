"""How a call's questions are worded for the person on the line: the worker, or someone
calling about them, once they have said which they are (the protocol's `caller_kind`)."""

from __future__ import annotations

from ..protocol.models import WORDED_AS, CallerKind, Question
from .state import CallBase


class Wording(CallBase):
    def words_for(self, question_id: str) -> dict[str, str]:
        """A question's words as read to the person on the line (see `_worded`)."""
        return self._worded(self.protocol.questions[question_id])

    def _worded(self, question: Question) -> dict[str, str]:
        """The question's words for the person on the line, once they have said who they
        are (before that, or with no form for them, its own text)."""
        kind = self.caller_kind()
        for key in WORDED_AS[kind] if kind is not None else ():
            form: dict[str, str] | None = getattr(question, key)
            if form is not None:
                return form
        return question.text

    def caller_kind(self) -> CallerKind | None:
        """Who is on the line, by the answer the protocol names (`caller_kind`): the worker,
        someone calling about them, or None until they have said; later answers the protocol
        names (`then`) may say more. A caller who would not say is taken as the answer the
        protocol screens them as (its `if_unknown`)."""
        kinds = self.protocol.protocol.caller_kind
        if kinds is None:
            return None
        chosen = {given.question: given.answer for given in self.state.answers}
        answer = chosen.get(kinds.question)
        found: CallerKind | None = None
        for kind in ("worker", "escaped", "survivor", "at_scene", "other"):
            if answer is not None and answer in getattr(kinds, kind):
                found = kind
                break
        if found is None:
            return None
        for then in kinds.then:
            later = chosen.get(then.question)
            if later is not None and later in then.worker:
                found = "worker"
            elif later is not None and later in then.at_scene:
                found = "at_scene"
        return found
