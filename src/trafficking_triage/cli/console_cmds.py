"""The bare command (the dispatcher console), `train` and `serve`: the call context a CAD
hands over, the data directory checked, then the console run."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .parser import CAD_KEYS, CONTEXT_ENV, Command, _port, as_text, option

if TYPE_CHECKING:
    pass


def _missing_data_dir(named: Path | None) -> str | None:
    """Why a data directory someone named (`--data-dir`, or the environment) cannot be used: it
    does not exist. Only the platform's own data directory is made when missing, so a mistyped
    name is said at once, not kept as a new empty store that lists no calls."""
    from ..paths import DATA_ENV

    if named is not None:
        how = f"--data-dir {named}"
    elif os.environ.get(DATA_ENV):
        named = Path(os.environ[DATA_ENV])
        how = f"${DATA_ENV} ({named})"
    else:
        return None
    from ..paths import missing_directory

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
    from ..serve import serve

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


def run_console(args: argparse.Namespace, training: bool = False) -> int:
    """The bare command and `train`: the console, on the files the command line names (the
    protocol and settings checked before any screen is drawn)."""
    from ..console import ConsoleError, ConsoleOptions
    from ..paths import default_data_dir

    try:
        cad = _cad_context(args)
    except ConsoleError as error:
        print(f"trafficking-triage: {error}", file=sys.stderr)
        return 2
    context: dict[str, str] = {k: cad[k] for k in ("incident", "location", "callback") if k in cad}
    from ..paths import DATA_ENV

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
        context_file=Path(args.context_file) if args.context_file is not None else None,
    )
    from ..tui.launch import run

    try:
        return run(options)
    except ConsoleError as error:
        print(f"{'train' if training else 'trafficking-triage'}: {error}", file=sys.stderr)
        return 2


def _cad_context(args: argparse.Namespace) -> dict[str, str]:
    """What the CAD passed in: from $TRAFFICKING_TRIAGE_CONTEXT (a JSON or YAML mapping), then
    from --context-file (an owner-only file), then from the flags (which other users of the
    machine can read in the process list: for training). Later sources win."""
    from ..console.cad import context_map, read_context_file

    found: dict[str, str] = {}
    if raw := os.environ.get(CONTEXT_ENV):
        found |= context_map(as_text(raw), f"${CONTEXT_ENV}")
    if args.context_file is not None:
        found |= read_context_file(Path(args.context_file))[0]
    found |= {key: value for key in CAD_KEYS if (value := getattr(args, key)) is not None}
    return found


def _settings_file(args: argparse.Namespace) -> Path | None:
    """The agency settings to use: the file named (which must then exist), else the default
    file if there is one."""
    from ..paths import default_settings_path

    if args.agency is not None:
        return Path(args.agency)
    default = default_settings_path()
    return default if default.exists() else None


def add(command: Command) -> None:
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
    option(train, "--presenter")
    train.add_argument(
        "--fresh",
        action="store_true",
        help="never offer an unfinished training call (what `serve` starts for each browser "
        "tab: one trainee's closed tab is not the next trainee's call)",
    )
    option(train, "--scenarios")
    train.set_defaults(run=lambda args: run_console(args, training=True))

    serve_ = command(
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
    serve_.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve_.add_argument("--port", type=_port, default=8000, help="port to listen on")
    option(serve_, "--presenter")
    serve_.add_argument(
        "--max-sessions",
        type=int,
        default=4,
        metavar="N",
        help="browser tabs (each a console process) served at once (default: 4)",
    )
    serve_.set_defaults(run=serve)
