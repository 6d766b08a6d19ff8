"""Commands on a protocol: `validate`, `decide`, `graph`, `cards`, `protocol export` and
`completion`. They draw no screen, so they never import Textual."""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..protocol.problems import FileProblems, Problem
from . import handouts
from .parser import Command, _shared, option

if TYPE_CHECKING:
    from ..protocol import LoadedProtocol, Protocol
    from ..settings.models import AgencySettings


def _load(path: Path | None) -> LoadedProtocol:
    from ..protocol import load_protocol

    return load_protocol(path)


def validate(path: Path | None, agency: Path | None = None, scenarios: Path | None = None) -> int:
    from ..engine import check_cases
    from ..engine.replay import Walk, settling
    from ..training.scenario import scenario_files, scenario_problems, scripted_answers

    loaded = _load(path)
    p = loaded.protocol
    findings = check_cases(p, loaded.sha256)
    walks: list[Walk] = [
        (f"case '{case.name}'", case.answers, case.escalate_at, case.text_call, case.hang_up_at)
        for case in p.cases
    ]
    folder = scenarios if scenarios is not None else loaded.scenarios
    problems: list[Problem] = []
    scenario_line = None
    if folder.is_dir():
        found, problems = scenario_problems(folder, loaded)  # and the rubric, as `train`
        for scenario in found:
            name, replies = f"scenario {scenario.id}", scripted_answers(scenario, p)
            walks.append((name, replies, scenario.escalate_at, scenario.yes_no_from_start, None))
        scenario_line = _count(len(scenario_files(folder)), "scenario") + " reach their routes"
    rows, latest, promises = settling(p, walks)
    problems = [loaded.problem(finding) for finding in [*findings, *promises]] + problems
    settings_line = None
    if agency is not None:
        from ..settings.loader import load_settings

        try:
            settings_line = f"settings {agency} ok" + _unset(p, load_settings(agency).settings)
        except FileProblems as error:
            problems += error.problems
    if problems:
        raise FileProblems(problems)
    counts = [
        _count(len(p.questions), "question"),
        _count(len(p.decisions), "decision"),
        _count(len(p.outcomes), "outcome"),
        _count(loaded.paths_checked, "path") + " checked",
        _count(len(p.cases), "case") + " passed",
    ]
    counts += [line for line in (scenario_line, settings_line) if line]
    print(f"{loaded.name}: ok: {', '.join(counts)}")
    print("where the route settled (no later answer could change it), of the questions asked:")
    for row in rows:
        settled = f"at question {row.settled_at}" if row.settled_at is not None else "never"
        print(f"  {row.name}: {row.outcome or 'no route'}, settled {settled} of {row.asked}")
    worst = ", ".join(
        f"{outcome} {n}"
        + (
            f" (promised by {p.protocol.settle_by[outcome]})"
            if outcome in p.protocol.settle_by
            else ""
        )
        for outcome, n in latest.items()
        if n is not None
    )
    print(f"latest question at which each route settles, over every way through: {worst}")
    if p.safety is not None:
        safety = p.safety
        print("proved over every way through:")
        print(
            f"  a more alarming answer ({', '.join(safety.alarming)}) never gives a less "
            f"protective route ({' > '.join(safety.order)})"
        )
        if safety.on_the_line and safety.on_the_line_route:
            print(
                "  a caller on the line who gives a plain sign that is not clearly negative "
                f"always ends on {safety.on_the_line_route}"
            )
        if safety.known_place and safety.credible:
            print(
                f"  a known place ({safety.known_place}) with a sign of "
                f"{', '.join(safety.credible)} never ends on {safety.order[-1]}"
            )
    return 0


def _count(number: int, noun: str) -> str:
    plural = "" if number == 1 else "s"
    if number < 10**9:
        return f"{number:,} {noun}{plural}"
    # Path counts grow as a power of the question count; a long protocol's would fill the
    # screen (and Python refuses to print an int of more than 4,300 digits).
    exponent = math.log10(number)
    return f"{10 ** (exponent % 1):.1f}e{int(exponent)} {noun}{plural}"


def _unset(protocol: Protocol, settings: AgencySettings) -> str:
    """What a settings file leaves for dispatchers to see as NOT CONFIGURED, if anything."""
    from ..settings.resolve import missing_settings

    missing = missing_settings(protocol, settings)
    return f" (not set yet, shown as NOT CONFIGURED: {', '.join(missing)})" if missing else ""


def _read_answers(spec: str) -> Any:
    from ..protocol.yamlfile import parse_yaml, read_text

    if spec == "-":
        text, name = sys.stdin.read(), "<stdin>"
    elif _names_a_file(spec):
        text, name = read_text(Path(spec), spec)[0], spec
    else:
        text, name = spec, "<answers>"
    data, _, problems = parse_yaml(text, name)
    if problems:
        raise FileProblems(problems)
    if not isinstance(data, dict):
        raise ValueError("ANSWERS must be a mapping of question id to answer")
    for key, value in data.items():
        # What a caller said is never repeated in a message: only the question is named.
        if not isinstance(value, str | int | float) or value is None:
            what = "nothing" if value is None else type(value).__name__
            raise ValueError(f"the answer to {str(key)!a} must be text or a number, not {what}")
    return data


def _names_a_file(spec: str) -> bool:
    """ANSWERS names a file (else it is the mapping itself, which may be long: a name too
    long for the system is a mapping, not an error)."""
    if spec.endswith((".yaml", ".yml", ".json")):
        return True
    try:
        return Path(spec).is_file()
    except (OSError, ValueError):
        return False


def decide(
    spec: str,
    protocol_path: Path | None,
    escalate_at: str | None,
    hang_up_at: str | None = None,
    text: bool = False,
) -> int:
    from ..engine import CallError, Unanswered, replay_answers
    from ..engine.summary import call_summary

    loaded = _load(protocol_path)
    try:
        answers = _read_answers(spec)
    except ValueError as error:
        print(f"decide: {error}", file=sys.stderr)
        return 2
    missing: str | None = None
    try:
        call = replay_answers(
            loaded.protocol,
            answers,
            escalate_at,
            loaded.sha256,
            yes_no=text,
            hang_up_at=hang_up_at,
        )
    except Unanswered as stop:
        missing, call = str(stop), stop.call
    except CallError as error:
        print(f"decide: {error}", file=sys.stderr)
        return 1
    summary = call_summary(loaded, call)
    if missing is not None:
        summary["needs"] = missing
    json.dump(summary, sys.stdout, indent=2, ensure_ascii=False)
    print()
    settled = call.state.settled
    if settled is not None:
        at = f" ({settled.question})" if settled.question else ""
        said = f"the route settled on '{settled.outcome}' at question {settled.asked}{at}"
        print(f"decide: {said}", file=sys.stderr)
    if missing is not None:
        print(f"decide: {missing}", file=sys.stderr)
        return 1
    return 0


def export_protocol(target: Path) -> int:
    """Copy the shipped protocol and scenarios into `target`, replacing nothing."""
    from ..paths import default_protocol_path

    protocol = default_protocol_path()
    files = [(protocol, target / protocol.name)]
    from ..protocol.loader import SCENARIOS

    scenarios = protocol.parent / SCENARIOS
    files += [(s, target / SCENARIOS / s.name) for s in sorted(scenarios.glob("*.yaml"))]
    there = [str(to) for _, to in files if to.exists() or to.is_symlink()]
    if there:
        print(
            f"protocol export: nothing written: {there[0]}"
            + (f" and {len(there) - 1} more files are" if len(there) > 1 else " is")
            + " there already (export into a new folder)",
            file=sys.stderr,
        )
        return 1
    try:
        # Whatever the umask: only their owner may change files that decide a route (the
        # console refuses a protocol others can change, as it refuses such settings).
        made = [d for d in (target, target / SCENARIOS) if not d.exists()]
        (target / SCENARIOS).mkdir(parents=True, exist_ok=True)
        for folder in made:
            os.chmod(folder, 0o755)  # noqa: S103 - readable by all, written by its owner
        from ..files import write_shared

        for source, to in files:
            write_shared(to, source.read_bytes())  # never through a link, never over a file
    except OSError as error:
        print(f"protocol export: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"written: {files[0][1]} and {len(files) - 1} files in {target / SCENARIOS}")
    print(f"check an edit with:  trafficking-triage validate {shlex.quote(str(files[0][1]))}")
    print(f"use it with:         trafficking-triage --protocol {shlex.quote(str(files[0][1]))}")
    return 0


def add(command: Command) -> None:
    validate_ = command(
        "validate",
        "--protocol",
        "--agency",
        help="check a protocol file and run its worked cases",
        description=(
            "Check a protocol file: its shape, every reference, the graph (no loops, nothing "
            "unreachable, every way through ends at an outcome), its worked cases and the "
            "training scenarios beside it; with --agency, a settings file too. Lists every "
            "problem with file, line and key path; exits 1 if there is any."
        ),
    )
    validate_.add_argument(
        "file", nargs="?", type=Path, metavar="PROTOCOL", help="the protocol (as --protocol)"
    )
    option(validate_, "--scenarios")
    validate_.set_defaults(
        run=lambda args: validate(args.file or args.protocol, args.agency, args.scenarios)
    )

    decide_ = command(
        "decide",
        "--protocol",
        help="show where a set of answers routes a call, as JSON",
        description=(
            "Replay answers through the protocol and print the route, why, the indicators and "
            "the checklist as JSON. Exits 1 when the answers stop short of a route."
        ),
    )
    decide_.add_argument(
        "answers",
        metavar="ANSWERS",
        help="a YAML or JSON file mapping question id to answer id (or to the text or number "
        "the caller gave), '-' to read it from standard input, or the mapping itself, such as "
        "'{location: Main St, can_speak_freely: yes, danger_now: yes}'",
    )
    decide_.add_argument(
        "--escalate-at",
        metavar="QUESTION",
        help="press the danger-now key when this question comes up",
    )
    decide_.add_argument(
        "--hang-up-at", metavar="QUESTION", help="the caller hangs up when this question comes up"
    )
    decide_.add_argument(
        "--text",
        action="store_true",
        help="a text-to-911 call: yes/no from the first question, typed answers taken",
    )
    decide_.set_defaults(
        run=lambda args: decide(
            args.answers, args.protocol, args.escalate_at, args.hang_up_at, args.text
        )
    )

    graph = command(
        "graph",
        "--protocol",
        help="the decision tree for slides (mermaid, dot, svg, png, pdf or text)",
        description=(
            "Draw the decision tree, in words (the questions numbered as on the guide "
            "cards, the answers as offered, each routing rule's condition). With --slides DIR, "
            "one drawing per part of the call, each readable on a projected 1920x1080 slide "
            "(text at least 24 px): a part that does not fit is cut into several."
        ),
    )
    graph.add_argument(
        "--format",
        choices=["mermaid", "dot", "svg", "png", "pdf", "text"],
        default=None,
        help="output form (svg, png and pdf are drawn by Graphviz, which must be installed; "
        "default: mermaid, or svg with --slides)",
    )
    graph.add_argument(
        "--slides",
        type=Path,
        metavar="DIR",
        help="write one drawing per part of the call into DIR (made if missing)",
    )
    graph.add_argument(
        "--lang", choices=["en", "es"], default="en", help="the words' language (default en)"
    )
    graph.add_argument(
        "--ids", action="store_true", help="the protocol's ids instead of words (for editors)"
    )
    graph.set_defaults(run=lambda args: handouts.run_graph(args, _load(args.protocol)))

    cards = command(
        "cards",
        "--protocol",
        "--agency",
        help="printable guide cards (HTML, English and Spanish side by side)",
        description=(
            "Write the protocol as printable guide cards to standard output: the questions "
            "in order with where each answer goes, the routing rules, how soon each route is "
            "known, the routes with the agency's numbers, the steps. Print from a browser, "
            "or write the PDF with --pdf (US letter, landscape, at most 6 pages)."
        ),
    )
    cards.add_argument(
        "--pdf",
        type=Path,
        metavar="FILE",
        help="write the cards as a PDF (printed by headless Chromium, which must be installed)",
    )
    cards.set_defaults(run=lambda args: handouts.run_cards(args, _load(args.protocol)))

    shipped = command("protocol", help="the protocol shipped with the program")
    actions = shipped.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        parents=[_shared()],
        help="write the shipped protocol and training scenarios out for editing",
        description=(
            "Write the shipped protocol.yaml and its scenarios folder (with the scoring "
            "rubric) into DIR, to edit and check with `validate DIR/protocol.yaml`, then use "
            "with --protocol. Existing files are never replaced."
        ),
    )
    export.add_argument("dir", type=Path, metavar="DIR", help="where (made if missing)")
    export.set_defaults(run=lambda args: export_protocol(args.dir))

    completion = command(
        "completion",
        help="print a shell completion script (bash, zsh or tcsh)",
        description=(
            "Print the completion script for a shell. bash: "
            "`trafficking-triage completion bash > ~/.local/share/bash-completion/completions/"
            "trafficking-triage`; zsh: write `completion zsh` to a file named "
            "_trafficking-triage in a folder on your $fpath."
        ),
    )
    completion.add_argument("shell", choices=["bash", "zsh", "tcsh"], help="the shell")
    completion.set_defaults(run=run_completion)


def run_completion(args: argparse.Namespace) -> int:
    import shtab

    from .parser import build_parser

    print(shtab.complete(build_parser(), shell=args.shell), end="")
    return 0
