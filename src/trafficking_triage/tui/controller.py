"""What the screens may ask of the app: the few actions that change the call.

Screens are given the app as a `Controller` rather than importing the App class, so they stay
independent of it (and of each other)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, cast

from textual.dom import DOMNode

if TYPE_CHECKING:
    from ..settings import LoadedSettings, ResolvedContact
    from ..training.scenario import Scenario


class Controller(Protocol):
    records_trouble: str | None
    """Why the call records cannot be written right now, or None when all is saved."""
    contacts: dict[str, ResolvedContact]
    """The protocol's contacts with the agency's numbers filled in."""
    settings: LoadedSettings | None
    scenario: Scenario | None
    """The training scenario being played, if this is a training call."""
    presenter: bool
    missing_settings: list[str]
    """Short names of the agency contacts not set yet (warned of on the call screen)."""
    language: str
    """The display the next call starts in (en, es, es+en)."""
    context: dict[str, str]
    """What the CAD passed in: incident, location, callback."""
    clock: Callable[[], datetime]
    opened_at: datetime
    """When the console opened on its first question."""

    def start_opening(self) -> None:
        """Begin loading the engine in a thread, if the console opened on a saved first
        question (see first_view)."""

    def finish_opening(self) -> bool:
        """Load the engine and start the call, if the console opened on a saved first
        question and has not yet done so (see first_view). False if there is no call to act
        on (the checks failed and the console is closing)."""

    def answer(self, value: str, question: str | None = None) -> None: ...
    def apply(self, action: Callable[[], object]) -> None: ...
    def go_back_to(self, question: str, ask: bool = False) -> None: ...
    def close_call(self) -> None: ...
    def copy_narrative(self) -> None: ...
    def recording(self) -> bool: ...
    def new_call(self) -> None: ...


def controller(node: DOMNode) -> Controller:
    return cast(Controller, node.app)
