"""The `trafficking-triage` command: the bare command opens the console, the rest are tools.

Commands that draw no screen (`validate`, `decide`, `records`) never import Textual, so they
start fast and run anywhere; only the console's commands load the app, inside their own
function. Each group of commands is a module with its parsers (`add`) and what they run."""

from .main import main
from .parser import build_parser, parse_args

__all__ = ["build_parser", "main", "parse_args"]
