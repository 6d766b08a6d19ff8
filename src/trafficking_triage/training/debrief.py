"""Scoring a training call: what went right, what was missed, and a score out of 100.

The rubric's weights are data (training/rubric.py); each line is shown on the debrief screen,
so a trainee sees how the score came about. Pure Python: the same debrief can be printed,
exported or shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..engine import Call
from ..engine.events import RouteReached, RouteSettled, StepTicked
from ..protocol.texts import local, said
from .rubric import Rubric
from .scenario import Scenario


@dataclass(frozen=True)
class RubricLine:
    label: str
    points: int
    out_of: int
    detail: str


@dataclass(frozen=True)
class Debrief:
    lines: tuple[RubricLine, ...]

    @property
    def score(self) -> int:
        return sum(line.points for line in self.lines)

    @property
    def out_of(self) -> int:
        """100 for a training call; less for a real one (no scenario to judge against)."""
        return sum(line.out_of for line in self.lines)


def _share(out_of: int, got: int, of: int) -> int:
    return round(out_of * got / of) if of else out_of


def debrief(scenario: Scenario | None, call: Call, rubric: Rubric | None = None) -> Debrief:
    """The score of a call over its event log. A real call (no scenario) is scored only on
    what needs no script: the safety questions first, and the route's steps ticked."""
    rubric = rubric or Rubric()
    if scenario is None:
        order, _ = _safety_first(call, [])
        return Debrief((_safety_line(rubric, order, []), _steps_line(rubric, call)))
    protocol = call.protocol
    route = call.state.route
    expected = scenario.expect.route
    reached = route.outcome if route else None
    right = reached == expected
    title = {name: outcome.title for name, outcome in protocol.outcomes.items()}
    lines = []

    if right:
        why = route.because if route else ""
        detail = f"right: {title[expected]}. {why}"
        lines.append(RubricLine("Route", rubric.route, rubric.route, detail))
    else:
        detail = (
            f"reached {title[reached] if reached else 'no route'}; this call should go to"
            f" {title[expected]}"
        )
        lines.append(RubricLine("Route", 0, rubric.route, detail))

    found = {name for name, _ in call.indicators()}
    wanted = scenario.expect.indicators
    hits = [name for name in wanted if name in found]
    missed = [protocol.indicators[name].label for name in wanted if name not in found]
    detail = f"found {len(hits)} of {len(wanted)}"
    if missed:
        detail += "; missed: " + ", ".join(missed)
    points = _share(rubric.indicators, len(hits), len(wanted))
    lines.append(RubricLine("Indicators", points, rubric.indicators, detail))

    compared, otherwise = _as_said(scenario, call)
    in_order, unsafe = _safety_first(call, otherwise)
    lines.append(_safety_line(rubric, in_order, unsafe))

    good = compared - len(otherwise)
    detail = f"{good} of {compared} choice answers as the caller gave them"
    if not compared:
        detail = "no choice answer to check against the caller's script"
    if otherwise:
        detail += "; recorded otherwise: " + "; ".join(words for _, words in otherwise)
    # Any answer recorded otherwise costs at least a point: it is what responders will act on.
    points = rubric.as_said * good // compared if compared else rubric.as_said
    lines.append(RubricLine("As said", points, rubric.as_said, detail))

    lines.append(_steps_line(rubric, call))

    known, acted = routed(call)
    target = scenario.expect.time_target_seconds
    started = call.state.started.at if call.state.started else None
    at = (known.at if known else None), (acted.at if acted else None)
    lines.append(_timed("Time to route", rubric.time_to_route, started, at[0], target, right))
    lines.append(_timed("Time to dispatch", rubric.time_to_dispatch, started, at[1], target, right))
    return Debrief(tuple(lines))


def routed(call: Call) -> tuple[RouteSettled | RouteReached | None, StepTicked | None]:
    """When the call's own route was known, and when it was first acted on: the last time the
    route settled on the outcome the call went to (a settle later taken back by Back is not
    it), else its reaching; then the first tick, after that, of a step that route asks for."""
    final = call.state.route.outcome if call.state.route else call.dispatch_outcome()
    if final is None:
        return None, None
    known: RouteSettled | RouteReached | None = None
    for event in call.events:
        if isinstance(event, RouteSettled) and event.outcome == final:
            known = event  # the last: the one that held
        elif isinstance(event, RouteReached) and event.outcome == final and known is None:
            known = event
    if known is None:
        return None, None
    steps = set(call.protocol.outcomes[final].steps) - {call.protocol.protocol.screening_step}
    after = call.events[next(i for i, e in enumerate(call.events) if e is known) :]
    acted = next(
        (e for e in after if isinstance(e, StepTicked) and e.done and e.step in steps), None
    )
    return known, acted


def safety_questions_first(call: Call) -> bool:
    """No safety question came after the screening had begun (what the rubric's safety line
    checks first; the QA report counts it)."""
    return _safety_first(call, [])[0]


def _safety_first(call: Call, otherwise: list[tuple[str, str]]) -> tuple[bool, list[str]]:
    """Whether no safety question came after the screening had begun, and the safety
    questions recorded otherwise than the caller said."""
    protocol = call.protocol
    # The answers as they stand: one corrected by going back is not asked out of order.
    order = [protocol.questions[given.question].section for given in call.state.answers]
    first_other = next((i for i, s in enumerate(order) if s != "safety"), len(order))
    unsafe = [q for q, _ in otherwise if protocol.questions[q].section == "safety"]
    return "safety" not in order[first_other:], unsafe


def _safety_line(rubric: Rubric, in_order: bool, unsafe: list[str]) -> RubricLine:
    if not in_order:
        points, detail = 0, "a safety question came after the screening had begun"
    elif unsafe:
        points = 0
        detail = "a safety answer was recorded otherwise than the caller said: " + ", ".join(unsafe)
    else:
        points, detail = rubric.safety_first, "where, danger, weapons and who is near came first"
    return RubricLine("Safety first", points, rubric.safety_first, detail)


def _steps_line(rubric: Rubric, call: Call) -> RubricLine:
    applicable = call.route_steps()
    done = [item for item in applicable if item.status == "done"]
    left = ", ".join(str(item.number) for item in applicable if item.status != "done")
    return RubricLine(
        "Steps",
        _share(rubric.steps, len(done), len(applicable)) if applicable else 0,
        rubric.steps,
        f"{len(done)} of {len(applicable)} ticked" + (f"; open: {left}" if left else ""),
    )


def _timed(
    label: str, out_of: int, started: datetime | None, at: datetime | None, target: int, right: bool
) -> RubricLine:
    """Points for a moment within the target; none when the route is wrong (a fast wrong
    call is not a good one) or the moment never came."""
    if not right:
        return RubricLine(label, 0, out_of, "not scored: the route is wrong")
    if started is None or at is None:
        never = "no route reached" if label == "Time to route" else "no step of the route ticked"
        return RubricLine(label, 0, out_of, never)
    seconds = max(1, round((at - started).total_seconds()))
    points = out_of if seconds <= target else round(out_of * target / seconds)
    return RubricLine(label, points, out_of, f"{seconds} s against {target} s")


def _as_said(scenario: Scenario, call: Call) -> tuple[int, list[tuple[str, str]]]:
    """How many choice answers can be checked against the scripted caller, and those recorded
    otherwise than the caller gave them: (question, "weapons: caller said unknown, recorded
    no")."""
    protocol = call.protocol
    compared, otherwise = 0, []
    for given in call.state.answers:
        reply = scenario.caller.replies.get(given.question)
        question = protocol.questions[given.question]
        if reply is None or question.kind != "choice" or given.answer is None:
            continue
        expected = str(reply.answer)
        form = question.yes_no_form
        if given.yes_no_form and form is not None and expected in {"yes", "no"}:
            expected = (form.yes if expected == "yes" else form.no) or expected
        compared += 1
        if given.answer != expected:
            first = protocol.protocol.languages[0]
            asked = local(call.words_for(given.question), first)
            meant = said(protocol, given.question, expected, None, first)
            recorded = said(protocol, given.question, given.answer, None, first)
            words = f'"{asked}": the caller said {meant}, recorded {recorded}'
            otherwise.append((given.question, words))
    return compared, otherwise
