"""Running a call from a map of answers, with no one at the keyboard.

`decide` uses it to show where a set of answers goes, and `validate` to run the protocol's
worked cases. The answers are a map of question id to answer id (or to the text or number the
caller gave); the call is walked from the start exactly as the app would walk it.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, NamedTuple

from ..protocol.models import Protocol
from ..protocol.problems import Finding, did_you_mean
from .call import Call, CallError
from .events import NoAnswer


@dataclass
class Unanswered(Exception):
    """The answers ran out before the call reached a route; `call` is as far as they went."""

    question: str
    call: Call

    def __str__(self) -> str:
        return f"no answer given for '{self.question}', the next question on this path"


NOT_SAID: dict[str, NoAnswer] = {"(does not know)": "unknown", "(declined to say)": "declined"}
"""The answer a case or `decide` gives for a caller who did not know, or declined to say."""


def _fixed_clock() -> datetime:
    # A replay has no real time; a fixed clock keeps its output the same on every run.
    return datetime(2000, 1, 1, tzinfo=UTC)


def replay_answers(
    protocol: Protocol,
    answers: Mapping[str, object],
    escalate_at: str | None = None,
    sha256: str = "",
    *,
    yes_no: bool = False,
    hang_up_at: str | None = None,
) -> Call:
    """Walk the protocol with `answers`; raises Unanswered, or CallError for a wrong answer.
    Answers may stop once the route has settled: the questions left are then ended there, as
    the dispatcher's `e` ends them. `yes_no`: a text-to-911 call, yes/no from the first
    question with typed answers taken. `hang_up_at`: the caller hangs up when that question
    comes up."""
    for key, named in (("press danger-now at", escalate_at), ("hang up at", hang_up_at)):
        if named is not None and named not in protocol.questions:
            hint = did_you_mean(named, protocol.questions)
            raise CallError(
                f"no question called '{named}' to {key}" + (f" ({hint})" if hint else "")
            )
    call = Call.start(protocol, sha256, clock=_fixed_clock, text_call=yes_no)
    while call.state.prompt is not None:
        prompt = call.state.prompt
        if prompt.question == hang_up_at:
            call.hang_up()
            break
        if prompt.question == escalate_at:
            call.escalate()
            call.end_questioning()  # the questions after the key are not the case's
            break
        if prompt.question not in answers:
            if call.state.settled is not None:
                call.end_questioning()  # the answers stop where the route has settled
                break
            raise Unanswered(prompt.question, call)
        value = answers[prompt.question]
        # JSON has true/false where a person means yes/no.
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        try:
            if text in NOT_SAID:  # as `records show` words it
                call.not_answered(NOT_SAID[text])
                continue
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


class Miss(NamedTuple):
    """One way a scripted walk missed what it promised, worded to follow its subject ("case
    'x' reaches ...", "the scripted caller reaches ...")."""

    part: Literal["answers", "route", "indicators"]
    message: str
    hint: str | None = None


def check_walk(
    protocol: Protocol,
    answers: Mapping[str, object],
    escalate_at: str | None,
    route: str,
    indicators: Collection[str] | None,
    *,
    exact: bool,
    sha256: str = "",
    yes_no: bool = False,
    hang_up_at: str | None = None,
) -> tuple[Call | None, list[Miss]]:
    """Walk `answers` and say how the walk misses the `route` and `indicators` it promises
    (all of them and no other when `exact`, else at least these). The one check behind the
    protocol's worked cases and the training scenarios; the call is None when the answers
    stop short or are refused."""
    try:
        call = replay_answers(
            protocol, answers, escalate_at, sha256, yes_no=yes_no, hang_up_at=hang_up_at
        )
    except Unanswered as stop:
        return None, [Miss("answers", str(stop))]
    except CallError as error:
        return None, [Miss("answers", str(error))]
    misses = []
    reached = call.state.route.outcome if call.state.route else "no outcome"
    if reached != route:
        because = call.state.route.because if call.state.route else None
        misses.append(Miss("route", f"reaches '{reached}', not '{route}'", because))
    if indicators is not None:
        found = {name for name, _ in call.indicators()}
        if exact and found != set(indicators):
            misses.append(Miss("indicators", f"finds {sorted(found)}, not {sorted(indicators)}"))
        missing = [name for name in indicators if name not in found]
        if not exact and missing:
            misses.append(Miss("indicators", f"never raises {', '.join(missing)}"))
    return call, misses


def check_cases(protocol: Protocol, sha256: str = "") -> list[Finding]:
    """Every worked case in the protocol must reach the outcome it expects."""
    findings = []
    for index, case in enumerate(protocol.cases):
        base = ("cases", index)
        where = {"answers": "answers", "route": "expect", "indicators": "expect_indicators"}
        call, misses = check_walk(
            protocol,
            case.answers,
            case.escalate_at,
            case.expect,
            case.expect_indicators,
            exact=True,
            sha256=sha256,
            yes_no=case.text_call,
            hang_up_at=case.hang_up_at,
        )
        for miss in misses:
            separator = ": " if miss.part == "answers" else " "
            findings.append(
                Finding(
                    (*base, where[miss.part]),
                    f"case '{case.name}'{separator}{miss.message}",
                    "case-failed",
                    miss.hint,
                )
            )
        unused = (
            set(case.answers) - {given.question for given in call.state.answers} if call else set()
        )
        if unused and case.escalate_at is None and case.hang_up_at is None:
            findings.append(
                Finding(
                    (*base, "answers"),
                    f"case '{case.name}' answers questions its path never asks:"
                    f" {', '.join(sorted(unused))}",
                    "case-failed",
                )
            )
    return findings


class Settling(NamedTuple):
    """Where a scripted call (a worked case, a scenario) settled."""

    name: str
    outcome: str | None
    settled_at: int | None
    """The question number at which the route settled; None if it never did."""
    asked: int
    """Questions answered in all."""


Walk = tuple[str, Mapping[str, object], str | None, bool, str | None]
"""A scripted call for `settling`: its name, answers, danger-now question, whether it is a
text call, and the question the caller hangs up at."""


def settling(
    protocol: Protocol, walks: list[Walk]
) -> tuple[list[Settling], dict[str, int | None], list[Finding]]:
    """For `validate`: where each scripted walk settled, the latest question each outcome can
    settle at over every way through, and a finding for each settle-by promise or proof of
    the protocol's `safety` section that the protocol breaks."""
    from .reach import reach_for

    rows = []
    for name, answers, escalate_at, yes_no, hang_up_at in walks:
        try:
            call = replay_answers(
                protocol, answers, escalate_at, yes_no=yes_no, hang_up_at=hang_up_at
            )
        except Unanswered as stop:
            call = stop.call
        except CallError:
            continue  # its own check says why
        settled = call.state.settled
        route = call.state.route
        rows.append(
            Settling(
                name,
                route.outcome if route else None,
                settled.asked if settled else None,
                len(call.state.answers),
            )
        )
    reach = reach_for(protocol)
    latest = {outcome: reach.latest_settle(outcome) for outcome in protocol.outcomes}
    findings = []
    for name, promised in protocol.protocol.settle_by.items():
        path = ("protocol", "settle_by", name)
        if name in protocol.indicators:
            worst = latest_settle_raising(protocol, name)
            latest[name] = worst
            if worst is not None and worst > promised:
                findings.append(
                    Finding(
                        path,
                        f"a call that raises '{name}' can settle only at question {worst}, "
                        f"later than question {promised} as promised",
                        "settle-late",
                        "ask the question that raises it earlier",
                    )
                )
            continue
        if name not in protocol.outcomes:
            hint = did_you_mean(name, [*protocol.outcomes, *protocol.indicators])
            findings.append(
                Finding(
                    path, f"no outcome or indicator called '{name}'", "dangling-reference", hint
                )
            )
            continue
        worst = latest[name]
        if worst is not None and worst > promised:
            findings.append(
                Finding(
                    path,
                    f"a call can settle on '{name}' only at question {worst}, later than "
                    f"question {promised} as promised",
                    "settle-late",
                    "ask the questions that decide this route earlier",
                )
            )
    from .proofs import prove

    return rows, latest, findings + prove(protocol)


def latest_settle_raising(protocol: Protocol, indicator: str) -> int | None:
    """Over every way through that raises `indicator`, the most questions answered before the
    route settled; None when no way raises it."""
    from .reach import Done, Reach, State, Steps

    raised = ("indicator", "", frozenset({indicator}))
    reach = Reach(protocol, watch=[raised])

    def expand(state: State) -> Done[int | None] | Steps:
        steps = reach.steps(state)
        if isinstance(steps, str):
            return Done(0 if raised in state.seen else None)
        return steps

    def combine(state: State, steps: Steps, memo: dict[State, int | None]) -> int | None:
        found = [n + asked for child, asked in steps if (n := memo[child]) is not None]
        if not found:
            return None  # no way on from here raises it
        return 0 if len(reach.outcomes(state)) == 1 else max(found)  # settled here, or later

    start = State(protocol.protocol.start, False, frozenset())
    return reach.fold(start, {}, expand, combine)
