"""One console's work, with no screen in it (see session.py): what a console is opened with
and how (options.py), the session of its calls, and what it hands its screens (values.py)."""

from .options import CHECKED_PROTOCOL, ConsoleOptions, open_session
from .session import CallSession
from .values import ConsoleError, Copied, Notice, Refusal, Severity, Unfinished

__all__ = [
    "CHECKED_PROTOCOL",
    "CallSession",
    "ConsoleError",
    "ConsoleOptions",
    "Copied",
    "Notice",
    "Refusal",
    "Severity",
    "Unfinished",
    "open_session",
]
