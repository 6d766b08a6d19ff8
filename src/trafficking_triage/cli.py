"""The `trafficking-triage` command: the bare command opens the console, the rest are tools.

Commands that draw no screen (`validate`, `decide`) never import Textual, so they start fast
and run anywhere; only the bare command loads the app, inside its own function.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shlex
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .protocol.problems import FileProblems, Problem
from .records.base import BadRow
from .records.store import DB_NAME, RecordsError

if TYPE_CHECKING:
    from .protocol import LoadedProtocol, Protocol
    from .settings.models import AgencySettings


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; any text in it that is not UTF-8 (a CAD launching the console with
    Latin-1 bytes, say) has each bad byte as U+FFFD, shown and recorded as such: Python keeps
    such bytes as lone surrogates, which no file or screen can take. Paths keep their bytes."""
    args = build_parser().parse_args(argv)
    for name, value in vars(args).items():
        if isinstance(value, str):
            setattr(args, name, as_text(value))
    return args


def _port(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError("a port is a whole number from 1 to 65535")
    return number


def as_text(value: str) -> str:
    """`value` with every undecodable byte (a lone surrogate) as U+FFFD."""
    try:
        data = value.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no byte made
        data = value.encode("utf-8", "surrogatepass")
    return data.decode("utf-8", "replace")


# Each shared option is declared once, here, and works before the command and after it
# (`records show ID --protocol F`, `--protocol F records show ID`). After the command its
# default is SUPPRESS: not given there, the value before the command (or None) stands.
SHARED: dict[str, dict[str, Any]] = {
    "--protocol": {
        "type": Path,
        "metavar": "FILE",
        "help": "protocol file (default: the shipped protocol)",
    },
    "--data-dir": {
        "type": Path,
        "metavar": "DIR",
        "help": "where call records are kept (default: $TRAFFICKING_TRIAGE_DATA, else the "
        "platform's data directory)",
    },
    "--agency": {
        "type": Path,
        "metavar": "FILE",
        "help": "agency settings file (default: $TRAFFICKING_TRIAGE_AGENCY, else agency.yaml "
        "in the platform's config directory)",
    },
    "--store": {
        "metavar": "ADDRESS",
        "help": "where call records are kept: sqlite:///DIR, or a center's database "
        "postgresql://HOST/DB (credentials in PGPASSFILE or a service file, never here) "
        "(default: $TRAFFICKING_TRIAGE_STORE, else the agency settings' store, else the data "
        "directory)",
    },
    "--lang": {
        "metavar": "DISPLAY",
        "help": "the display the questions start in: a language of the protocol (en, es), or "
        "one above the first (es+en), as F4 steps through them",
    },
}


def _shared(*names: str, top: bool = False) -> argparse.ArgumentParser:
    """A parent parser with --version and the shared options `names`."""
    parent = argparse.ArgumentParser(add_help=False)
    version = f"trafficking-triage {__version__}"
    parent.add_argument("--version", action="version", version=version, help="print the version")
    for name in names:
        default = None if top else argparse.SUPPRESS
        parent.add_argument(name, default=default, **SHARED[name])
    return parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trafficking-triage",
        parents=[_shared(*SHARED, top=True)],
        description=(
            "Walks a dispatcher through a call about possible labor trafficking. "
            "With no command, opens the dispatcher console."
        ),
    )
    cad = parser.add_argument_group(
        "call context (as a CAD would launch the console; any user of the machine can read "
        "these in the process list, so a CAD gives them in --context-file or "
        f"${CONTEXT_ENV} instead)"
    )
    cad.add_argument(
        "--context-file",
        type=Path,
        metavar="FILE",
        help="an owner-only YAML or JSON file mapping console, dispatcher, incident, location "
        "and callback to their values",
    )
    cad.add_argument("--console", help="this console's name")
    cad.add_argument("--dispatcher", help="the dispatcher's name or number")
    cad.add_argument("--incident", help="the CAD incident number")
    cad.add_argument("--location", help="the location CAD has (shown pre-filled)")
    cad.add_argument("--callback", help="the callback number CAD has (shown pre-filled)")
    parser.add_argument(
        "--text",
        action="store_true",
        help="text-to-911 (or TTY) sessions: each call is yes/no from its first question, "
        "typed answers are taken, and the routes' words are for a texter",
    )
    _add_commands(parser)
    return parser


def _add_commands(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, *shared: str, **options: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[_shared(*shared)], **options)

    validate = command(
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
    validate.add_argument(
        "file", nargs="?", type=Path, metavar="PROTOCOL", help="the protocol (as --protocol)"
    )
    validate.add_argument(
        "--scenarios",
        type=Path,
        metavar="DIR",
        help="training scenarios to check (default: the scenarios folder beside the protocol)",
    )

    decide = command(
        "decide",
        "--protocol",
        help="show where a set of answers routes a call, as JSON",
        description=(
            "Replay answers through the protocol and print the route, why, the indicators and "
            "the checklist as JSON. Exits 1 when the answers stop short of a route."
        ),
    )
    decide.add_argument(
        "answers",
        metavar="ANSWERS",
        help="a YAML or JSON file mapping question id to answer id (or to the text or number "
        "the caller gave), '-' to read it from standard input, or the mapping itself, such as "
        "'{location: Main St, can_speak_freely: yes, danger_now: yes}'",
    )
    decide.add_argument(
        "--escalate-at",
        metavar="QUESTION",
        help="press the danger-now key when this question comes up",
    )
    decide.add_argument(
        "--hang-up-at",
        metavar="QUESTION",
        help="the caller hangs up when this question comes up",
    )
    decide.add_argument(
        "--text",
        action="store_true",
        help="a text-to-911 call: yes/no from the first question, typed answers taken",
    )

    train = command(
        "train",
        "--protocol",
        "--data-dir",
        "--agency",
        "--lang",
        help="a training call with a scripted caller, and a debrief with a score",
        description=(
            "Take a training call: the scripted caller's reply shows for each question, the "
            "screen says TRAINING throughout, and closing the call gives the debrief. With no "
            "SCENARIO, pick one from a list. Training calls are recorded apart from real ones "
            "('records list --training')."
        ),
    )
    train.add_argument("scenario", nargs="?", metavar="SCENARIO", help="a scenario id or file")
    train.add_argument(
        "--presenter", action="store_true", help="show each question's why and source too"
    )
    train.add_argument(
        "--fresh",
        action="store_true",
        help="never offer an unfinished training call (what `serve` starts for each browser "
        "tab: one trainee's closed tab is not the next trainee's call)",
    )
    train.add_argument(
        "--scenarios",
        type=Path,
        metavar="DIR",
        help="scenario folder (default: the scenarios beside the protocol)",
    )

    serve = command(
        "serve",
        "--protocol",
        "--data-dir",
        "--agency",
        "--lang",
        help="training in a web browser, for a projector",
        description=(
            "Serve the training console to a web browser (one session per browser tab). "
            "Listens on 127.0.0.1 only unless --host says otherwise."
        ),
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=_port, default=8000, help="port to listen on")
    serve.add_argument("--presenter", action="store_true", help="show why and source too")
    serve.add_argument(
        "--max-sessions",
        type=int,
        default=4,
        metavar="N",
        help="browser tabs (each a console process) served at once (default: 4)",
    )

    graph = command(
        "graph", "--protocol", help="the decision tree for slides (mermaid, dot, svg or text)"
    )
    graph.add_argument(
        "--format",
        choices=["mermaid", "dot", "svg", "text"],
        default="mermaid",
        help="output form (svg: drawn by Graphviz, which must be installed)",
    )

    command(
        "cards",
        "--protocol",
        "--agency",
        help="printable guide cards (HTML, English and Spanish side by side)",
        description=(
            "Write the protocol as printable guide cards to standard output: the questions "
            "in order with where each answer goes, the routing rules, how soon each route is "
            "known, the routes with the agency's numbers, the steps. Print from a browser."
        ),
    )

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

    center = command("store", help="a center's record store on PostgreSQL")
    actions = center.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser(
        "init",
        parents=[_shared("--store")],
        help="make or bring up to date the call tables (run once by the database's owner)",
        description=(
            "Make the call tables in the store (--store or $TRAFFICKING_TRIAGE_STORE), or "
            "bring them up to this program's schema. Consoles connect as a role that may only "
            "insert and read: the database's owner runs this once, and after each upgrade."
        ),
    )
    copy = actions.add_parser(
        "copy",
        parents=[_shared("--data-dir")],
        help="copy a console's own records into the center's store (again adds nothing)",
        description=(
            "Copy every call of a data directory's embedded store into the center's store: "
            "a call not there yet, whole; a call there, the events it lacks, each checked "
            "against what is there at its number. Running it twice adds nothing."
        ),
    )
    copy.add_argument("--to", required=True, metavar="ADDRESS", help="the center's store")

    agency = command("agency", help="the agency settings file")
    actions = agency.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", parents=[_shared()], help="write a commented settings template"
    )
    init.add_argument("path", nargs="?", type=Path, help="where (default: the usual place)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    check = actions.add_parser(
        "validate",
        parents=[_shared()],
        help="check a settings file (as validate --agency FILE does)",
        description="Check a settings file: its shape, every number, and its references.",
    )
    check.add_argument(
        "path",
        nargs="?",
        type=Path,
        metavar="FILE",
        help="the settings file (default: the one the console reads, where `agency init` "
        "writes it)",
    )

    records = command(
        "records",
        help="list, show, export and replay call records",
        description="Call records kept in the data directory (see --data-dir).",
    )
    actions = records.add_subparsers(dest="action", metavar="ACTION", required=True)

    def action(name: str, *shared: str, **options: Any) -> argparse.ArgumentParser:
        return actions.add_parser(
            name, parents=[_shared("--data-dir", "--store", *shared)], **options
        )

    listing = action("list", help="calls, newest first: id, start, route, status")
    listing.add_argument(
        "--since",
        type=_day,
        metavar="YYYY-MM-DD",
        help="calls started on or after this day (local time, as listed)",
    )
    listing.add_argument(
        "--until",
        type=_day,
        metavar="YYYY-MM-DD",
        help="calls started on or before this day (local time, as listed)",
    )
    listing.add_argument("--route", help="calls that reached this outcome (its id)")
    listing.add_argument("--console", help="calls taken at this console (its name)")
    listing.add_argument("--dispatcher", help="calls taken by this dispatcher")
    listing.add_argument(
        "--status", choices=["open", "completed", "abandoned", "interrupted"], help="by status"
    )
    listing.add_argument("--json", action="store_true", help="one JSON document, for tools")
    show = action("show", "--protocol", help="the timeline of one call")
    show.add_argument("id", help="the call's id, as `records list` shows it")
    export = action("export", "--protocol", help="one call as narrative, markdown or json")
    export.add_argument("id", help="the call's id, as `records list` shows it")
    export.add_argument(
        "--format",
        choices=["narrative", "markdown", "json"],
        default="narrative",
        help="narrative: plain text for a CAD remarks field",
    )
    export.add_argument(
        "--output",
        type=Path,
        help="write to this new file (owner-only) instead of standard output",
    )
    export.add_argument(
        "--force", action="store_true", help="replace the --output file if it exists"
    )
    replay = action(
        "replay",
        "--protocol",
        help="rebuild a call from its events and check it reaches the same route",
    )
    replay.add_argument("id", help="the call's id, as `records list` shows it")
    review = action(
        "review",
        "--protocol",
        help="a QA review of one call against the protocol, scored as the training debrief",
    )
    review.add_argument("id", help="the call's id, as `records list` shows it")
    review.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text for the terminal, markdown for a review meeting, json",
    )
    for parser in (listing, show, export, replay, review):
        parser.add_argument(
            "--training",
            action="store_true",
            help="training calls (kept apart from real ones, in the data directory's "
            "training folder)",
        )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day written YYYY-MM-DD") from None


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.file or args.protocol, args.agency, args.scenarios)
        if args.command == "serve":
            return serve(args)
        if args.command == "store":
            return store_command(args)
        if args.command == "protocol":
            return export_protocol(args.dir)
        if args.command == "completion":
            import shtab

            print(shtab.complete(build_parser(), shell=args.shell), end="")
            return 0
        if args.command == "graph":
            from .reports.graph import FORMATS, svg

            protocol = _load(args.protocol).protocol
            try:
                drawn = svg(protocol) if args.format == "svg" else FORMATS[args.format](protocol)
            except RuntimeError as error:
                print(f"trafficking-triage graph: {error}", file=sys.stderr)
                return 1
            sys.stdout.write(drawn)
            return 0
        if args.command == "cards":
            from .reports.cards import cards
            from .settings.loader import load_settings

            agency = _settings_file(args)  # as the console finds it
            settings = load_settings(agency).settings if agency is not None else None
            sys.stdout.write(cards(_load(args.protocol).protocol, settings))
            return 0
        if args.command == "agency" and args.action == "validate":
            return agency_validate(args.path)
        if args.command == "agency":
            return agency_init(args.path, args.force)
        if args.command == "decide":
            return decide(args.answers, args.protocol, args.escalate_at, args.hang_up_at, args.text)
        if args.command == "train":
            return run_console(args, training=True)
        if args.command == "records":
            from .records_cli import run_records

            return run_records(args)
        return run_console(args)
    except FileProblems as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        print(f"{_count(len(error.problems), 'problem')} found", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`records show ID | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141
    except RecordsError as error:
        print(f"trafficking-triage: {error}", file=sys.stderr)
        return 1
    except BadRow as error:  # one call's row, read alone (records show ID)
        print(f"trafficking-triage: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a file or folder named on the command line, as the system says
        from .shown import safe

        named = safe(str(error.filename))
        named = named if len(named) <= 120 else named[:60] + "..." + named[-40:]
        print(f"trafficking-triage: {named}: {error.strerror or error}", file=sys.stderr)
        return 1


def _load(path: Path | None) -> LoadedProtocol:
    from .protocol import load_protocol

    return load_protocol(path)


def validate(path: Path | None, agency: Path | None = None, scenarios: Path | None = None) -> int:
    from .engine import check_cases
    from .engine.replay import Walk, settling
    from .training.scenario import scenario_files, scenario_problems, scripted_answers

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
        from .settings.loader import load_settings

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


def _missing_data_dir(named: Path | None) -> str | None:
    """Why a data directory someone named (`--data-dir`, or the environment) cannot be used: it
    does not exist. Only the platform's own data directory is made when missing, so a mistyped
    name is said at once, not kept as a new empty store that lists no calls."""
    from .paths import DATA_ENV

    if named is not None:
        how = f"--data-dir {named}"
    elif os.environ.get(DATA_ENV):
        named = Path(os.environ[DATA_ENV])
        how = f"${DATA_ENV} ({named})"
    else:
        return None
    from .paths import missing_directory

    what = missing_directory(named)
    if what is None:
        return None
    if what == "is not a directory":
        return f"{how} {what}"
    return (
        f"{how}: no such directory; check the name, or make it first "
        f"(mkdir -m 700 {shlex.quote(str(named))})"
    )


def serve(args: argparse.Namespace) -> int:
    from .serve import serve

    missing = _missing_data_dir(args.data_dir)
    if missing is not None:
        print(f"serve: {missing}", file=sys.stderr)
        return 2

    console = []
    for flag, value in (
        ("--protocol", args.protocol),
        ("--agency", args.agency),
        ("--data-dir", args.data_dir),
        ("--lang", args.lang),
    ):
        if value is not None:
            console += [flag, str(value)]
    return serve(args.host, args.port, args.max_sessions, console, args.presenter)


def agency_init(path: Path | None, force: bool) -> int:
    from .files import private_directory, write_private
    from .paths import default_settings_path
    from .settings.template import TEMPLATE

    target = path or default_settings_path()
    try:
        private_directory(target.parent)  # owner-only, whatever the umask
        write_private(target, TEMPLATE, replace=force)
    except FileExistsError:
        print(f"agency init: {target} exists; not replaced (--force replaces it)", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"agency init: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"written to {target}: fill it in, then check it with")
    print(f"  trafficking-triage agency validate {target}")
    return 0


def store_command(args: argparse.Namespace) -> int:
    """`store init` and `store copy`."""
    from .paths import default_data_dir
    from .records.where import is_center, open_store, store_address

    if args.action == "init":
        address = store_address(args.store)
        if not is_center(address):
            print("store init: give the center's database with --store", file=sys.stderr)
            return 2
        from .records.postgres import PostgresStore

        assert address is not None
        made = PostgresStore(address, migrate=True)
        print(f"{made.where}: call tables ready")
        made.close()
        return 0
    from .records import RecordStore
    from .records.postgres import PostgresStore

    if not is_center(args.to):
        print("store copy: --to names the center's PostgreSQL database", file=sys.stderr)
        return 2
    directory = args.data_dir or default_data_dir()
    if not (directory / DB_NAME).is_file():  # a console that kept no records of its own
        print(f"nothing to copy: no call records in {directory}")
        return 0
    source = RecordStore(directory, read_only=True)
    target = open_store(args.to, Path())
    try:
        assert isinstance(target, PostgresStore)
        calls = added = live = skipped = 0
        for row in reversed(source.rows(training=False)):  # oldest first; real calls only
            if row.status == "open" and not source.hold(row.id):
                live += 1  # its console is taking it now: the next copy brings it
                continue
            try:
                more = target.copy_call(row, source.events(row.id))
            except BadRow as error:  # that call only: said, and the others copied
                print(f"not copied: {error}", file=sys.stderr)
                skipped += 1
                continue
            finally:
                source.release(row.id)
            calls += bool(more)
            added += more
        print(
            f"copied {_count(added, 'event')} of {_count(calls, 'call')} from {source.where} "
            f"to {target.where}"
        )
        if live:
            print(
                f"left {_count(live, 'call')} a running console holds: copy again once "
                f"{'it is' if live == 1 else 'they are'} closed"
            )
        for anomaly in source.anomalies:
            print(f"not copied: {anomaly}", file=sys.stderr)
        if skipped or source.anomalies:
            return 1
    finally:
        source.close()
        target.close()
    return 0


def export_protocol(target: Path) -> int:
    """Copy the shipped protocol and scenarios into `target`, replacing nothing."""
    from .paths import default_protocol_path

    protocol = default_protocol_path()
    files = [(protocol, target / protocol.name)]
    from .protocol.loader import SCENARIOS

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
        for source, to in files:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
            descriptor = os.open(to, flags, 0o644)  # never through a link, never over a file
            os.fchmod(descriptor, 0o644)
            with os.fdopen(descriptor, "wb") as out:
                out.write(source.read_bytes())
    except OSError as error:
        print(f"protocol export: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(f"written: {files[0][1]} and {len(files) - 1} files in {target / SCENARIOS}")
    print(f"check an edit with:  trafficking-triage validate {shlex.quote(str(files[0][1]))}")
    print(f"use it with:         trafficking-triage --protocol {shlex.quote(str(files[0][1]))}")
    return 0


def agency_validate(path: Path | None) -> int:
    from .paths import default_settings_path
    from .protocol import load_protocol
    from .settings.loader import load_settings

    path = path or default_settings_path()
    if not path.exists() and not path.is_symlink():
        print(
            f"agency validate: no settings file at {path}; write one with "
            "`trafficking-triage agency init`",
            file=sys.stderr,
        )
        return 1

    settings = load_settings(path).settings  # a FileProblems lists every problem
    print(f"settings {path} ok" + _unset(load_protocol().protocol, settings))
    return 0


def _unset(protocol: Protocol, settings: AgencySettings) -> str:
    """What a settings file leaves for dispatchers to see as NOT CONFIGURED, if anything."""
    from .settings.resolve import missing_settings

    missing = missing_settings(protocol, settings)
    return f" (not set yet, shown as NOT CONFIGURED: {', '.join(missing)})" if missing else ""


def _count(number: int, noun: str) -> str:
    plural = "" if number == 1 else "s"
    if number < 10**9:
        return f"{number:,} {noun}{plural}"
    # Path counts grow as a power of the question count; a long protocol's would fill the
    # screen (and Python refuses to print an int of more than 4,300 digits).
    exponent = math.log10(number)
    return f"{10 ** (exponent % 1):.1f}e{int(exponent)} {noun}{plural}"


def _read_answers(spec: str) -> Any:
    from .protocol.yamlfile import parse_yaml, read_text

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
    from .engine import CallError, Unanswered, replay_answers
    from .engine.summary import call_summary

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


def run_console(args: argparse.Namespace, training: bool = False) -> int:
    """The bare command and `train`: the console, on the files the command line names (the
    protocol and settings checked before any screen is drawn)."""
    from .console import ConsoleError, ConsoleOptions
    from .paths import default_data_dir

    try:
        cad = _cad_context(args)
    except ConsoleError as error:
        print(f"trafficking-triage: {error}", file=sys.stderr)
        return 2
    context: dict[str, str] = {k: cad[k] for k in ("incident", "location", "callback") if k in cad}
    from .paths import DATA_ENV

    data_dir = args.data_dir or default_data_dir()
    options = ConsoleOptions(
        data_dir_named=args.data_dir is not None or bool(os.environ.get(DATA_ENV)),
        protocol=args.protocol,
        agency=_settings_file(args),
        data_dir=data_dir,
        store=args.store,
        lang=args.lang,
        console=cad.get("console"),
        dispatcher=cad.get("dispatcher"),
        context=context,
        training=training,
        scenario=getattr(args, "scenario", None),
        scenarios=getattr(args, "scenarios", None),
        presenter=getattr(args, "presenter", False),
        resume=not getattr(args, "fresh", False),
        text_calls=getattr(args, "text", False),
    )
    from .tui.launch import run

    try:
        return run(options)
    except ConsoleError as error:
        print(f"{'train' if training else 'trafficking-triage'}: {error}", file=sys.stderr)
        return 2


CAD_KEYS = ("console", "dispatcher", "incident", "location", "callback")
CONTEXT_ENV = "TRAFFICKING_TRIAGE_CONTEXT"


def _cad_context(args: argparse.Namespace) -> dict[str, str]:
    """What the CAD passed in: from $TRAFFICKING_TRIAGE_CONTEXT (a JSON or YAML mapping), then
    from --context-file (an owner-only file), then from the flags (which other users of the
    machine can read in the process list: for training). Later sources win."""
    from .console import ConsoleError

    found: dict[str, str] = {}
    if raw := os.environ.get(CONTEXT_ENV):
        found |= _context_map(as_text(raw), f"${CONTEXT_ENV}")
    if args.context_file is not None:
        path = Path(args.context_file)
        from .files import read_regular
        from .shown import safe

        try:
            mode = path.stat().st_mode & 0o077
            text = read_regular(path).decode("utf-8")
        except OSError as error:
            raise ConsoleError(
                f"--context-file {safe(str(path))} cannot be read ({error.strerror})"
            ) from None
        except (UnicodeDecodeError, ValueError):
            raise ConsoleError(f"--context-file {safe(str(path))} is not UTF-8 text") from None
        if mode:
            raise ConsoleError(
                f"--context-file {path} can be read by other users: it holds what the CAD knows "
                "of a call. Make it owner-only (chmod 600)."
            )
        found |= _context_map(text, str(path))
    found |= {key: value for key in CAD_KEYS if (value := getattr(args, key)) is not None}
    return found


def _context_map(text: str, where: str) -> dict[str, str]:
    """A CAD context mapping, checked; a message never repeats a value (a caller's location)."""
    import yaml

    from .console import ConsoleError

    try:
        # The base loader reads every value as text: a callback "+15551234567" or an
        # incident "0123" stays as the CAD wrote it (never a number, an octal, a time).
        # PyYAML's base loader constructs text, lists and mappings only (no tags, no objects).
        loader = yaml.BaseLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):  # nested thousands deep, say
        data = None
    if not isinstance(data, dict):
        raise ConsoleError(f"{where}: not a mapping of {', '.join(CAD_KEYS)}")
    unknown = sorted(str(key) for key in data if key not in CAD_KEYS)
    if unknown:
        named = ", ".join(ascii(key)[1:-1] for key in unknown)
        raise ConsoleError(f"{where}: unknown keys {named} (known: {', '.join(CAD_KEYS)})")
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConsoleError(f"{where}: {key} must be text or a number")
    return {str(key): str(value) for key, value in data.items()}


def _settings_file(args: argparse.Namespace) -> Path | None:
    """The agency settings to use: the file named (which must then exist), else the default
    file if there is one."""
    from .paths import default_settings_path

    if args.agency is not None:
        return Path(args.agency)
    default = default_settings_path()
    return default if default.exists() else None


if __name__ == "__main__":
    raise SystemExit(main())
