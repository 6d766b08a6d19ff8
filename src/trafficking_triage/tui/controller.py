"""What the screens may ask of the app: the few actions that change the call.

Screens are given the app as a `Controller` rather than importing the App class, so they stay
independent of it (and of each other)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, cast

from textual.dom import DOMNode


class Controller(Protocol):
    def answer(self, value: str, question: str | None = None) -> None: ...
    def apply(self, action: Callable[[], object]) -> None: ...
    def go_back_to(self, question: str, ask: bool = False) -> None: ...
    def close_call(self) -> None: ...
    def new_call(self) -> None: ...


def controller(node: DOMNode) -> Controller:
    return cast(Controller, node.app)
