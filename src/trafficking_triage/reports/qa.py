"""The monthly QA report: what APCO/NENA ANS 1.107.1 asks a center to look at over its calls
(compliance with the protocol, time to the route, what was left undone), from the records
alone, scored as `records review` scores one call. No Textual.

Each call is read once (its row and events, as the store holds them) into `Figures`; the
report is worked out over those, then written as a text summary (`summary`) and one
self-contained HTML page (`page`, with charts from `charts.py` where matplotlib is
installed). No caller's words are in it: routes, counts, times, scores, names of dispatchers
and consoles."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from ..engine.events import CallClosed, Escalated, QuestionAnswered, RouteSettled
from ..records.worker import NOT_SAVED_AFTER
from ..shown import safe
from ..training.debrief import debrief, routed, safety_questions_first

if TYPE_CHECKING:
    from ..engine import Call
    from ..records.api import CallRow
    from ..training.rubric import Rubric
    from ..training.scenario import Scenario


@dataclass(frozen=True)
class Figures:
    """What the report counts of one call."""

    id: str
    started: datetime
    """Local time."""
    route: str | None
    route_title: str
    status: str
    dispatcher: str
    console: str
    scenario: str | None
    settled_question: int | None
    """How many questions had been answered when the route was known (None: never)."""
    settled_seconds: int | None
    safety_first: bool
    open_steps: tuple[int, ...]
    """The route's steps not ticked when the call closed (or by now, if it is open)."""
    danger_presses: int
    score: int
    """The review's score, as a percentage of what the call could score (a real call is
    scored out of less than a training call: see training.debrief)."""


def figures(
    row: CallRow,
    call: Call,
    scenario: Scenario | None = None,
    rubric: Rubric | None = None,
) -> Figures:
    """One call's figures, from its row and its replayed events."""
    started = call.state.started
    began = started.at if started is not None else row.started_at
    known, _ = routed(call)
    question = seconds = None
    if known is not None:
        at = call.events.index(known)
        question = (
            known.asked
            if isinstance(known, RouteSettled)
            else sum(isinstance(e, QuestionAnswered) for e in call.events[:at])
        )
        seconds = max(0, round((known.at - began).total_seconds()))
    closed = next((e for e in reversed(call.events) if isinstance(e, CallClosed)), None)
    if closed is not None:
        open_steps = tuple(closed.open_steps)
    else:
        open_steps = tuple(item.number for item in call.route_steps() if item.status != "done")
    scored = debrief(scenario, call, rubric)
    route = call.state.route.outcome if call.state.route else row.route
    outcomes = call.protocol.outcomes
    return Figures(
        id=row.id,
        started=row.started_at.astimezone(),
        route=route,
        route_title=outcomes[route].title if route in outcomes else (route or "no route"),
        status=row.status,
        dispatcher=row.dispatcher or "(not given)",
        console=row.console or "(not given)",
        scenario=started.scenario if started is not None else None,
        settled_question=question,
        settled_seconds=seconds,
        safety_first=safety_questions_first(call),
        open_steps=open_steps,
        danger_presses=sum(isinstance(e, Escalated) for e in call.events),
        score=round(100 * scored.score / scored.out_of) if scored.out_of else 0,
    )


def unsaved_periods(
    written: list[tuple[datetime, datetime | None]],
) -> list[tuple[datetime, datetime]]:
    """The periods a console said NOT SAVED, from each event's time and the time the store
    took it: an event the store took more than the console's `NOT_SAVED_AFTER` late was
    NOT SAVED on screen from then until it was taken; overlapping ones run together."""
    late = timedelta(seconds=NOT_SAVED_AFTER)
    periods: list[tuple[datetime, datetime]] = []
    for at, saved in written:
        if saved is None or saved - at <= late:
            continue
        began = at + late
        if periods and began <= periods[-1][1]:
            periods[-1] = (periods[-1][0], max(periods[-1][1], saved))
        else:
            periods.append((began, saved))
    return periods


SUMMARY_UNSAVED = 10
"""NOT SAVED periods the summary lists (the longest); the page lists every one."""


def _week(day: datetime) -> date:
    """The Monday of the call's local week."""
    return day.date() - timedelta(days=day.weekday())


@dataclass
class Scores:
    """Review scores (percentages) of a group of calls (a dispatcher, a console, a
    scenario)."""

    shares: list[int] = field(default_factory=list)

    def line(self) -> tuple[int, int, float, int]:
        """(calls, lowest, median, highest)."""
        shares = self.shares
        return len(shares), min(shares), statistics.median(shares), max(shares)


@dataclass
class Report:
    """The report over a period's calls."""

    since: date
    until: date
    training: bool
    calls: list[Figures]
    unsaved: list[tuple[str, str, datetime, datetime]] = field(default_factory=list)
    """(console, call, from, to): each NOT SAVED period."""
    unsaved_unknown: int = 0
    """Calls with events whose saving the store does not know (kept before it kept that)."""
    skipped: list[str] = field(default_factory=list)
    """Calls that could not be read (said, with why)."""
    steps: dict[int, str] = field(default_factory=dict)
    """The steps' titles, by number."""

    def by_route(self) -> list[tuple[str, int]]:
        return Counter(f.route_title for f in self.calls).most_common()

    def weeks(self) -> list[date]:
        first = _week(datetime.combine(self.since, datetime.min.time()))
        found = []
        while first <= self.until:
            found.append(first)
            first += timedelta(days=7)
        return found

    def week_names(self) -> list[str]:
        """Each week by its first day in the period ("Nov 02"; with the year when the period
        spans two); a week only partly in the period is marked "*" and says its days."""
        weeks = self.weeks()
        shape = "%b %d" if weeks[0].year == weeks[-1].year else "%Y-%m-%d"
        names = []
        for monday in weeks:
            first = max(monday, self.since)
            days = (min(monday + timedelta(days=6), self.until) - first).days + 1
            names.append(f"{first:{shape}}" + (f" *{days}d" if days < 7 else ""))
        return names

    def by_week(self) -> dict[str, list[int]]:
        """Per route, the calls in each week of `weeks()`."""
        weeks = self.weeks()
        counts: dict[str, list[int]] = {title: [0] * len(weeks) for title, _ in self.by_route()}
        for f in self.calls:
            counts[f.route_title][weeks.index(_week(f.started))] += 1
        return counts

    def per_route(self) -> list[list[str]]:
        """Per route: calls, and the questions and seconds to the route known (median,
        worst)."""
        rows = []
        for title, count in self.by_route():
            known = [f for f in self.settled() if f.route_title == title]
            questions = [f.settled_question for f in known if f.settled_question is not None]
            seconds = [f.settled_seconds for f in known if f.settled_seconds is not None]
            rows.append([
                title, str(count), _median(questions), str(max(questions, default="-")),
                _median(seconds), str(max(seconds, default="-")),
            ])  # fmt: skip
        return rows

    def steps_open(self) -> list[tuple[int, int]]:
        """Each step with the calls that left it open, most first."""
        return Counter(step for f in self.calls for step in f.open_steps).most_common()

    def settled(self) -> list[Figures]:
        return [f for f in self.calls if f.settled_seconds is not None]

    def status_count(self, status: str) -> int:
        return sum(f.status == status for f in self.calls)

    def scores(self, key: str) -> dict[str, Scores]:
        grouped: dict[str, Scores] = defaultdict(Scores)
        for f in self.calls:
            name = getattr(f, key) or "(none)"
            grouped[name].shares.append(f.score)
        return dict(sorted(grouped.items()))


def said_length(length: timedelta) -> str:
    """How long, in the unit a person would say it."""
    seconds = round(length.total_seconds())
    if seconds < 120:
        return f"{seconds} s"
    if seconds < 2 * 3600:
        return f"{round(seconds / 60)} min"
    if seconds < 2 * 86400:
        return f"{round(seconds / 3600)} h"
    return f"{round(seconds / 86400)} days"


def _median(values: list[int]) -> str:
    return f"{statistics.median(values):g}" if values else "-"


def _share(part: int, whole: int) -> str:
    return f"{round(100 * part / whole)}%" if whole else "-"


def numbers(report: Report) -> list[tuple[str, str]]:
    """The headline figures, as the summary and the page both give them."""
    calls = report.calls
    settled = report.settled()
    seconds = [f.settled_seconds for f in settled if f.settled_seconds is not None]
    questions = [f.settled_question for f in settled if f.settled_question is not None]
    unsafe = sum(not f.safety_first for f in calls)
    open_calls = [f for f in calls if f.open_steps]
    return [
        ("Calls", str(len(calls))),
        ("Route known", f"{len(settled)} ({_share(len(settled), len(calls))})"),
        ("Seconds to the route, median", _median(seconds)),
        ("Seconds to the route, worst", str(max(seconds)) if seconds else "-"),
        ("Questions to the route, median", _median(questions)),
        ("Questions to the route, worst", str(max(questions)) if questions else "-"),
        (
            "Safety questions first",
            f"{len(calls) - unsafe} ({_share(len(calls) - unsafe, len(calls))})",
        ),
        (
            "Calls with steps left open",
            f"{len(open_calls)} ({_share(len(open_calls), len(calls))})",
        ),
        ("Danger-now presses", str(sum(f.danger_presses for f in calls))),
        ("Closed as interrupted", str(report.status_count("interrupted"))),
        ("Closed as abandoned", str(report.status_count("abandoned"))),
        ("Still open", str(report.status_count("open"))),
        ("NOT SAVED periods", str(len(report.unsaved))),
    ]


def score_groups(report: Report) -> list[tuple[str, str, str, dict[str, Scores]]]:
    """(heading, column, the figure grouped by, the groups): per dispatcher and console, or
    for training calls per trainee and scenario."""
    if report.training:
        keys = [("By trainee", "Trainee", "dispatcher"), ("By scenario", "Scenario", "scenario")]
    else:
        keys = [("By dispatcher", "Dispatcher", "dispatcher"), ("By console", "Console", "console")]
    return [(heading, label, key, report.scores(key)) for heading, label, key in keys]


def summary(report: Report) -> str:
    """The text summary for the terminal."""
    kind = "training calls" if report.training else "calls"
    lines = [f"QA report: {kind} from {report.since} to {report.until}", ""]
    width = max(len(label) for label, _ in numbers(report))
    lines += [f"  {label:<{width}}  {value}" for label, value in numbers(report)]
    lines += ["", "By route (calls; questions and seconds to the route: median, worst):"]
    for title, count, q_mid, q_max, s_mid, s_max in report.per_route():
        lines.append(f"  {count:>5}  {q_mid:>5} {q_max:>3}  {s_mid:>6} {s_max:>4}  {safe(title)}")
    if not report.calls:
        lines.append("  none")
    if report.steps_open():
        said = ", ".join(f"{step} ({count})" for step, count in report.steps_open())
        lines += ["", f"Steps left open (calls): {said}"]
    for heading, _, _, groups in score_groups(report):
        lines += ["", f"{heading} (review score %: calls, lowest, median, highest):"]
        if not groups:
            lines.append("  none")
        for name, scores in groups.items():
            n, low, middle, high = scores.line()
            lines.append(f"  {safe(name):<20} {n:>5}  {low:>3}  {middle:>5g}  {high:>3}")
    if report.unsaved:
        longest = sorted(report.unsaved, key=lambda p: p[2] - p[3])[:SUMMARY_UNSAVED]
        shown = "" if len(longest) == len(report.unsaved) else f", the {len(longest)} longest"
        lines += ["", f"NOT SAVED (console, call, from, for how long{shown}):"]
        for console, call_id, began, ended in sorted(longest, key=lambda p: p[2]):
            length = said_length(ended - began)
            lines.append(f"  {safe(console)}  {call_id}  {began:%Y-%m-%d %H:%M:%S}  {length}")
        if shown:
            more = len(report.unsaved) - len(longest)
            lines.append(f"  and {more} more: the page lists each")
    if report.unsaved_unknown:
        lines.append(
            f"NOT SAVED periods are not known for {report.unsaved_unknown} calls (kept before "
            "the store kept when it took each event)"
        )
    for skipped in report.skipped:
        lines.append(f"NOT COUNTED: {safe(skipped)}")
    return "\n".join(lines) + "\n"
