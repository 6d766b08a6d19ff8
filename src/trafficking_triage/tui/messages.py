"""The message that carries a call's change to the screens."""

from __future__ import annotations

from textual.message import Message


class CallChanged(Message):
    """The session's call changed (begun, answered, routed, closed, replaced by the next):
    posted to the App, which brings its screens in line. Posted, not called, so it is handled
    after the key that made it; the keys behind that key wait until every change posted is
    handled (the App's `changes`, which key_turns asks), so the next key always meets the
    new screen, whatever queue the change came through (a dialog's result, a timer)."""
