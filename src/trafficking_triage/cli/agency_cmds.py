"""`agency init` and `agency validate`: the agency settings file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .parser import Command, _shared, option
from .protocol_cmds import _unset

if TYPE_CHECKING:
    pass


def agency_init(path: Path | None, force: bool) -> int:
    from ..files import private_directory, write_private
    from ..paths import default_settings_path
    from ..settings.template import TEMPLATE

    target = path or default_settings_path()
    text = TEMPLATE
    exists = f"agency init: {target} exists; not replaced (--force replaces it)"
    if sys.stdin.isatty() and sys.stdout.isatty():  # a person at a terminal: ask
        from ..settings.asking import asked_settings

        if target.exists() and not force:  # said before any question is asked
            print(exists, file=sys.stderr)
            return 1
        try:
            text = asked_settings(input, print)
        except EOFError:
            print("\nagency init: nothing written", file=sys.stderr)
            return 1
    try:
        private_directory(target.parent)  # owner-only, whatever the umask
        write_private(target, text, replace=force)
    except FileExistsError:
        print(exists, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"agency init: cannot write {target}: {error.strerror or error}", file=sys.stderr)
        return 1
    print(
        f"written to {target}: {'check' if text != TEMPLATE else 'fill it in, then check'} it with"
    )
    print(f"  trafficking-triage agency validate {target}")
    return 0


def agency_validate(path: Path | None) -> int:
    from ..paths import default_settings_path
    from ..protocol import load_protocol
    from ..settings.loader import load_settings

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


def add(command: Command) -> None:
    agency = command("agency", help="the agency settings file")
    actions = agency.add_subparsers(dest="action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init", parents=[_shared()], help="write a commented settings template"
    )
    init.add_argument("path", nargs="?", type=Path, help="where (default: the usual place)")
    option(init, "--force")
    init.set_defaults(run=lambda args: agency_init(args.path, args.force))
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
    check.set_defaults(run=lambda args: agency_validate(args.path))
