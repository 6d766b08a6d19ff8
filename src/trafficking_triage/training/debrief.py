"""Scoring a training call: what went right, what was missed, and a score out of 100.

The rubric is shown line by line on the debrief screen, so a trainee sees how the score came
about. Pure Python: the same debrief can be printed, exported or shown."""

from __future__ import annotations

from dataclasses import dataclass

from ..engine import Call
from ..engine.events import QuestionAnswered, RouteReached, RouteSettled
from .scenario import Scenario

ROUTE_POINTS = 40
INDICATOR_POINTS = 25
SAFETY_POINTS = 10
STEP_POINTS = 15
TIME_POINTS = 10


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


def debrief(scenario: Scenario, call: Call) -> Debrief:
    protocol = call.protocol
    route = call.state.route
    expected = scenario.expect.route
    reached = route.outcome if route else None
    lines = []

    if reached == expected:
        why = route.because if route else ""
        lines.append(RubricLine("Route", ROUTE_POINTS, ROUTE_POINTS, f"right: {expected}. {why}"))
    else:
        lines.append(
            RubricLine(
                "Route",
                0,
                ROUTE_POINTS,
                f"reached {reached or 'no route'}; this call should go to {expected}"
                f" ({protocol.outcomes[expected].title})",
            )
        )

    found = {name for name, _ in call.indicators()}
    wanted = scenario.expect.indicators
    hits = [name for name in wanted if name in found]
    missed = [protocol.indicators[name].label for name in wanted if name not in found]
    points = round(INDICATOR_POINTS * len(hits) / len(wanted)) if wanted else INDICATOR_POINTS
    detail = f"found {len(hits)} of {len(wanted)}"
    if missed:
        detail += "; missed: " + ", ".join(missed)
    lines.append(RubricLine("Indicators", points, INDICATOR_POINTS, detail))

    order = [
        protocol.questions[e.question].section
        for e in call.events
        if isinstance(e, QuestionAnswered)
    ]
    first_other = next((i for i, s in enumerate(order) if s != "safety"), len(order))
    safety_first = "safety" not in order[first_other:]
    lines.append(
        RubricLine(
            "Safety first",
            SAFETY_POINTS if safety_first else 0,
            SAFETY_POINTS,
            "where, danger, weapons and who is near came first"
            if safety_first
            else "a safety question came after the screening had begun",
        )
    )

    applicable = call.route_steps()
    done = [item for item in applicable if item.status == "done"]
    points = round(STEP_POINTS * len(done) / len(applicable)) if applicable else 0
    left = ", ".join(str(item.number) for item in applicable if item.status != "done")
    lines.append(
        RubricLine(
            "Steps",
            points,
            STEP_POINTS,
            f"{len(done)} of {len(applicable)} ticked" + (f"; open: {left}" if left else ""),
        )
    )

    started = call.state.started
    # The moment the route was known (settled, or the danger-now key): the trainee dispatches
    # then and is meant to keep asking, so the end of the questions is not the time to route.
    known = (RouteSettled, RouteReached)
    routed = next((e.at for e in call.events if isinstance(e, known)), None)
    target = scenario.expect.time_target_seconds
    if started is None or routed is None:
        lines.append(RubricLine("Time to route", 0, TIME_POINTS, "no route reached"))
    else:
        seconds = max(1, round((routed - started.at).total_seconds()))
        points = TIME_POINTS if seconds <= target else round(TIME_POINTS * target / seconds)
        lines.append(
            RubricLine("Time to route", points, TIME_POINTS, f"{seconds} s against {target} s")
        )
    return Debrief(tuple(lines))
