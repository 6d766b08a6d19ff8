"""Small helpers that turn protocol data into screen text.

Everything shown comes through `Content`, never through markup parsing: a protocol text or a
typed answer such as "[bold]" or "[@click=app.quit]" is shown exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    """Update a Static only if its content really changed, and lay the screen out again only
    if it changes the widget's size: a new text of as many rows, at the width it has, is only
    painted (a layout of the whole screen is most of what a key costs)."""
    before: Content | None = getattr(widget, "_shown_content", None)
    if before is not None and _same(before, content):
        return
    widget._shown_content = content  # type: ignore[attr-defined]
    widget.update(content, layout=_resizes(widget, before, content))


def _same(one: Content, other: Content) -> bool:
    return one.plain == other.plain and one.spans == other.spans


def _resizes(widget: Static, before: Content | None, after: Content) -> bool:
    """Whether showing `after` where `before` is shown may change the widget's size."""
    styles = widget.styles
    width = widget.content_size.width
    if before is None or not width or (styles.width is not None and styles.width.is_auto):
        return True  # never laid out yet, or as wide as its text
    if styles.height is not None and not styles.height.is_auto:
        return False  # rows fixed by the stylesheet
    # The rows at this width, worked out as Textual does for the layout (its styles stand for
    # the rules it reads: Widget.get_content_height passes them the same way).
    rules: Any = styles
    return before.get_height(rules, width) != after.get_height(rules, width)


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
