"""Running a call from a map of answers, with no one at the keyboard.

`decide` uses it to show where a set of answers goes, and `validate` to run the protocol's
worked cases. The answers are a map of question id to answer id (or to the text or number the
caller gave); the call is walked from the start exactly as the app would walk it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from ..protocol.models import Protocol
from ..protocol.problems import Finding, did_you_mean
from .call import Call, CallError


@dataclass
class Unanswered(Exception):
    """The answers ran out before the call reached a route; `call` is as far as they went."""

    question: str
    call: Call

    def __str__(self) -> str:
        return f"no answer given for '{self.question}', the next question on this path"


def _fixed_clock() -> datetime:
    # A replay has no real time; a fixed clock keeps its output the same on every run.
    return datetime(2000, 1, 1, tzinfo=UTC)


def replay_answers(
    protocol: Protocol,
    answers: Mapping[str, object],
    escalate_at: str | None = None,
    sha256: str = "",
) -> Call:
    """Walk the protocol with `answers`; raises Unanswered, or CallError for a wrong answer."""
    if escalate_at is not None and escalate_at not in protocol.questions:
        hint = did_you_mean(escalate_at, protocol.questions)
        raise CallError(
            f"no question called '{escalate_at}' to press danger-now at"
            + (f" ({hint})" if hint else "")
        )
    call = Call.start(protocol, sha256, clock=_fixed_clock)
    while call.state.prompt is not None:
        prompt = call.state.prompt
        if prompt.question == escalate_at:
            call.escalate()
            break
        if prompt.question not in answers:
            raise Unanswered(prompt.question, call)
        value = answers[prompt.question]
        # JSON has true/false where a person means yes/no.
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        try:
            call.answer(text)
        except CallError:
            known = [choice.id for choice in prompt.choices]
            if not known:
                raise
            # The value is not repeated in the message: it may be something a caller said.
            hint = did_you_mean(text, known)
            raise CallError(
                f"the answer given for '{prompt.question}' is not one of its answers"
                + (f" ({hint})" if hint else f"; answers are {', '.join(known)}")
            ) from None
    return call


def check_cases(protocol: Protocol, sha256: str = "") -> list[Finding]:
    """Every worked case in the protocol must reach the outcome it expects."""
    findings = []
    for index, case in enumerate(protocol.cases):
        base = ("cases", index)
        try:
            call = replay_answers(protocol, case.answers, case.escalate_at, sha256)
        except Unanswered as missing:
            findings.append(
                Finding((*base, "answers"), f"case '{case.name}': {missing}", "case-failed")
            )
            continue
        except CallError as error:
            findings.append(
                Finding((*base, "answers"), f"case '{case.name}': {error}", "case-failed")
            )
            continue
        route = call.state.route
        reached = route.outcome if route else "no outcome"
        if reached != case.expect:
            findings.append(
                Finding(
                    (*base, "expect"),
                    f"case '{case.name}' reaches '{reached}', not '{case.expect}'",
                    "case-failed",
                    route.because if route else None,
                )
            )
        if case.expect_indicators is not None:
            found = {name for name, _ in call.indicators()}
            if found != set(case.expect_indicators):
                findings.append(
                    Finding(
                        (*base, "expect_indicators"),
                        f"case '{case.name}' finds {sorted(found)},"
                        f" not {sorted(case.expect_indicators)}",
                        "case-failed",
                    )
                )
        unused = set(case.answers) - {given.question for given in call.state.answers}
        if unused and case.escalate_at is None:
            findings.append(
                Finding(
                    (*base, "answers"),
                    f"case '{case.name}' answers questions its path never asks:"
                    f" {', '.join(sorted(unused))}",
                    "case-failed",
                )
            )
    return findings
