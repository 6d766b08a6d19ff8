"""Small helpers that turn protocol data into screen text.

Everything shown comes through `Content`, never through markup parsing: a protocol text or a
typed answer such as "[bold]" or "[@click=app.quit]" is shown exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

from ..protocol.texts import display_modes, local, said

if TYPE_CHECKING:
    from ..engine import Call

__all__ = ["answer_words", "display_modes", "elapsed", "local", "plain", "set_content"]

STATUS_MARKS = {
    "in_progress": ("▶", "in progress"),
    "waiting": ("·", "after routing"),
    "to_do": ("☐", "to do"),
    "done": ("✔", "done"),
    "not_applicable": ("–", "n/a"),
}
"""Each step status has a symbol and a word, so nothing is told by color alone."""


def plain(text: str, style: str = "") -> Content:
    """Literal text (markup in it is shown, not obeyed), optionally styled as a whole."""
    content = Content(text)
    return content.stylize(style) if style else content


def set_content(widget: Static, content: Content) -> None:
    """Update a Static only if its content really changed: every update costs a relayout."""
    key = (content.plain, tuple(content.spans))
    if getattr(widget, "_shown_key", None) != key:
        widget._shown_key = key  # type: ignore[attr-defined]
        widget.update(content)


def answer_words(
    call: Call, question: str, answer: str | None, value: str | None, unanswered: str | None = None
) -> str:
    """What the caller answered, in the call's language: an answer's label or the typed text
    (or that they did not know, or declined to say)."""
    return said(call.protocol, question, answer, value, call.state.language, unanswered)


def elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
