"""A training scenario: a scripted caller for the same protocol dispatchers use on real calls.

Each reply says what the caller says (shown to the trainee) and which answer that is (so the
scenario can be checked: its replies, fed to the engine, must reach the expected route).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from ..engine.call import CallError
from ..engine.replay import Unanswered, check_walk, replay_answers
from ..protocol.loader import LoadedProtocol, locate, validated
from ..protocol.models import Id, Protocol, Text
from ..protocol.problems import FileProblems, Finding, Problem, did_you_mean
from ..protocol.yamlfile import parse_yaml, read_text, refuse_shared


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reply(Strict):
    say: Text
    """What the caller says, in their own words."""
    answer: str | int
    """The answer it amounts to: an answer id, or the text or number to type."""


class Caller(Strict):
    language: str = "en"
    default: Text
    """What the caller says to a question the scenario does not cover."""
    replies: dict[Id, Reply]


class Expect(Strict):
    route: Id
    indicators: list[Id] = Field(default_factory=list)
    """The indicators a good call-taker should find."""
    time_target_seconds: int = Field(gt=0)


class Scenario(Strict):
    id: Id
    title: Text
    summary: Text
    """The scene, as the trainee may know it before the call: never the route."""
    good_call: Text | None = None
    """What a good call-taker does, route included: for the presenter and the debrief."""
    source: Text
    """The case it is drawn from (written as a scene of our own, not copied)."""
    caller: Caller
    expect: Expect
    escalate_at: Id | None = None
    """Where a good call-taker presses danger-now, if anywhere."""
    hangs_up_after: Id | None = None
    """The caller hangs up once this question is answered; the debrief judges what was done
    before the line went dead."""
    yes_no_from_start: bool = False
    """A text-to-911 or TTY call, or a caller who can only tap: yes/no mode from the start."""


def load_scenario(path: Path, loaded: LoadedProtocol) -> Scenario:
    """The scenario, checked against the protocol; a FileProblems lists every problem."""
    name = str(path)
    refuse_shared(path, name, "anyone could change what trainees are taught", "shared-file")
    text, _ = read_text(path, name)
    data, positions, problems = parse_yaml(text, name)
    scenario = validated(Scenario, data, positions, name, problems)
    problems += [locate(name, data, positions, f) for f in check_scenario(scenario, loaded)]
    if problems:
        raise FileProblems(problems)
    return scenario


def check_scenario(scenario: Scenario, loaded: LoadedProtocol) -> list[Finding]:
    protocol = loaded.protocol
    findings: list[Finding] = []
    for qid in scenario.caller.replies:
        if qid not in protocol.questions:
            findings.append(
                Finding(
                    ("caller", "replies", qid),
                    f"no question called '{qid}'",
                    "dangling-reference",
                    did_you_mean(qid, protocol.questions),
                    at_key=True,
                )
            )
    if scenario.caller.language not in protocol.protocol.languages:
        findings.append(
            Finding(("caller", "language"), "the protocol has no such language", "bad-language")
        )
    if scenario.hangs_up_after is not None and scenario.hangs_up_after not in protocol.questions:
        findings.append(
            Finding(
                ("hangs_up_after",),
                f"no question called '{scenario.hangs_up_after}'",
                "dangling-reference",
                did_you_mean(scenario.hangs_up_after, protocol.questions),
            )
        )
    if scenario.expect.route not in protocol.outcomes:
        findings.append(
            Finding(
                ("expect", "route"),
                f"no outcome called '{scenario.expect.route}'",
                "dangling-reference",
            )
        )
    for name in scenario.expect.indicators:
        if name not in protocol.indicators:
            findings.append(
                Finding(
                    ("expect", "indicators"), f"no indicator called '{name}'", "dangling-reference"
                )
            )
    if findings:
        return findings
    answers = scripted_answers(scenario, protocol)
    expect = scenario.expect
    _call, misses = check_walk(
        protocol,
        answers,
        scenario.escalate_at,
        expect.route,
        expect.indicators,
        exact=False,
        yes_no=scenario.yes_no_from_start,
    )
    where = {
        "answers": ("caller", "replies"),
        "route": ("expect", "route"),
        "indicators": ("expect", "indicators"),
    }
    for miss in misses:
        separator = ": " if miss.part == "answers" else " "
        message = f"the scripted caller{separator}{miss.message}"
        findings.append(Finding(where[miss.part], message, "scenario-failed"))
    return findings


def scripted_answers(scenario: Scenario, protocol: Protocol) -> dict[str, str | int]:
    """What the scripted caller answers, up to where they hang up (if they do)."""
    answers = {qid: reply.answer for qid, reply in scenario.caller.replies.items()}
    if scenario.hangs_up_after is None:
        return answers
    return _until(protocol, answers, scenario.hangs_up_after, scenario.yes_no_from_start)


def _until(
    protocol: Protocol, answers: dict[str, str | int], last: str, yes_no: bool
) -> dict[str, str | int]:
    """The replies a caller gives before hanging up after `last`: the route must have
    settled by then, or the walk stops short and says so."""
    try:
        call = replay_answers(protocol, answers, yes_no=yes_no)
    except (Unanswered, CallError):
        return answers  # the full walk says what is wrong
    asked = [given.question for given in call.state.answers]
    if last not in asked:
        return answers
    return {qid: answers[qid] for qid in asked[: asked.index(last) + 1] if qid in answers}


def load_scenarios(folder: Path, loaded: LoadedProtocol) -> list[Scenario]:
    """Every *.yaml scenario in `folder`, checked against the protocol, in file name order;
    a FileProblems lists every problem of every file."""
    problems: list[Problem] = []
    found = []
    for path in scenario_files(folder):
        try:
            found.append(load_scenario(path, loaded))
        except FileProblems as error:
            problems += error.problems
    if problems:
        raise FileProblems(problems)
    return found


def scenario_problems(folder: Path, loaded: LoadedProtocol) -> tuple[list[Scenario], list[Problem]]:
    """For `validate`: what `train` loads from `folder` (its scenarios, and the rubric
    beside them), and every problem they have."""
    from .rubric import load_rubric

    problems: list[Problem] = []
    try:
        load_rubric(folder)
    except FileProblems as error:
        problems += error.problems
    found: list[Scenario] = []
    try:
        found = load_scenarios(folder, loaded)
    except FileProblems as error:
        problems += error.problems
    return found, problems


def scenario_files(folder: Path) -> list[Path]:
    """The scenario files of a folder, in name order (the rubric beside them is not one)."""
    from .rubric import RUBRIC_FILE

    return sorted(path for path in folder.glob("*.yaml") if path.name != RUBRIC_FILE)
