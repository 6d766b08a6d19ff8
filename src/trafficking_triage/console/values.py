"""What a console's session hands back to its screens: a refusal to show, a notice to
give the dispatcher, text copied for the CAD, an unfinished call on offer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from ..records import CallRow

if TYPE_CHECKING:
    from ..engine import Call


Severity = Literal["information", "warning", "error"]


class ConsoleError(Exception):
    """The console cannot open as asked (a display language the protocol lacks, no such
    training scenario); the message says why."""


class Refusal(NamedTuple):
    """What could not be done, in words for the screen (never a caller's words)."""

    message: str
    title: str = "Not recorded"
    severity: Severity = "warning"


class Notice(NamedTuple):
    """Something the dispatcher must be told that no action of theirs returned."""

    message: str
    title: str
    severity: Severity = "information"
    seconds: float = 5


class Copied(NamedTuple):
    """The call's narrative, saved under the records, for the clipboard."""

    text: str
    notice: Notice


class Unfinished(NamedTuple):
    """A call left open by a console that is gone (killed, closed, crashed)."""

    row: CallRow
    call: Call | None
    """Its events replayed on the protocol in force; None when they cannot be."""
    not_resumable: str | None
    """Why it cannot be resumed here, or None."""
    answered: int
    where: str
    """The question it stopped on, or the route it had reached, in words."""
