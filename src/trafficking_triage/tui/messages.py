"""The message that carries a call's change to the screens."""

from __future__ import annotations

from textual.message import Message


class CallChanged(Message):
    """The session's call changed (begun, answered, routed, closed, replaced by the next):
    posted to the App, which brings its screens in line. Posted, not called: it is handled
    after the key that made it, and before that key's end reaches the App (messages to the
    App keep their order; see key_turns), so the next key always meets the new screen."""
