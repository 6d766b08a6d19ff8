"""The command line, declared once: the options several commands share, and the parser of
every command, each group's in its own module (its `add`), each command dispatched by the
function it sets as `run`."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    pass


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


CAD_KEYS = ("console", "dispatcher", "incident", "location", "callback")
"""As console/cad.py reads them (a test holds the two the same; the parser stays light)."""

CONTEXT_ENV = "TRAFFICKING_TRIAGE_CONTEXT"


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
    from . import agency_cmds, console_cmds, protocol_cmds, records_cmds, store_cmds

    parser.set_defaults(run=console_cmds.run_console)  # the bare command: the console
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, *shared: str, **options: Any) -> argparse.ArgumentParser:
        return commands.add_parser(name, parents=[_shared(*shared)], **options)

    for group in (protocol_cmds, console_cmds, store_cmds, agency_cmds, records_cmds):
        group.add(command)
    return parser


Command = Callable[..., argparse.ArgumentParser]
"""`command(name, *shared options, **add_parser's options)`: a command's parser."""

OPTIONS: dict[str, dict[str, Any]] = {
    "--scenarios": {
        "type": Path,
        "metavar": "DIR",
        "help": "training scenarios (default: the scenarios folder beside the protocol)",
    },
    "--presenter": {"action": "store_true", "help": "show each question's why and source too"},
    "--force": {"action": "store_true", "help": "replace the file if it exists"},
    "id": {"help": "the call's id, as `records list` shows it"},
}
"""Options of one command each, but of several commands: declared once, here."""


def option(parser: argparse.ArgumentParser, name: str, **overrides: Any) -> None:
    parser.add_argument(name, **{**OPTIONS[name], **overrides})


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a day written YYYY-MM-DD") from None
