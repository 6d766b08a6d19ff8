"""What the screens may ask of the app: the few actions that change the call.

Screens are given the app as a `Controller` rather than importing the App class, so they stay
independent of it (and of each other)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from textual.dom import DOMNode

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

    def answer(self, value: str, question: str | None = None) -> None: ...
    def apply(self, action: Callable[[], object]) -> None: ...
    def go_back_to(self, question: str, ask: bool = False) -> None: ...
    def close_call(self) -> None: ...
    def copy_narrative(self) -> None: ...
    def recording(self) -> bool: ...
    def new_call(self) -> None: ...


def controller(node: DOMNode) -> Controller:
    return cast(Controller, node.app)
