"""Telling the dispatcher what the session refused or reports, as a toast: the one way every
screen and the App show a `Refusal` or a `Notice` (never as markup: a path or a protocol text
with brackets in it is shown as written)."""

from __future__ import annotations

from textual.dom import DOMNode

from ..console import Notice, Refusal


def show(node: DOMNode, told: Refusal | Notice | None) -> None:
    if told is None or not node.app.screen_stack:  # none left as the console ends
        return
    seconds = told.seconds if isinstance(told, Notice) else None
    node.app.notify(
        told.message, title=told.title, severity=told.severity, timeout=seconds, markup=False
    )
    node.app.refresh_bindings()  # ctrl+s is offered while the records cannot be written
