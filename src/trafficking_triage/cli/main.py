"""`main`: the command line parsed, the command run, and every error a command may meet
said in a line (exit 1), never a traceback."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from ..protocol.problems import FileProblems
from ..records.api import BadRow, RecordsError
from .parser import parse_args
from .protocol_cmds import _count

if TYPE_CHECKING:
    pass


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    try:
        run: Callable[[argparse.Namespace], int] = args.run
        return run(args)
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
        from ..shown import safe

        named = safe(str(error.filename))
        named = named if len(named) <= 120 else named[:60] + "..." + named[-40:]
        print(f"trafficking-triage: {named}: {error.strerror or error}", file=sys.stderr)
        return 1
