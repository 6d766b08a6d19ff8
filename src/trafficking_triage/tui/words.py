"""Small helpers that turn protocol data into screen text.

Everything shown comes through `Content`, never through markup parsing: a protocol text or a
typed answer such as "[bold]" or "[@click=app.quit]" is shown exactly as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from ..engine import Call

STATUS_MARKS = {
    "in_progress": ("▶", "in progress"),
    "waiting": ("·", "after routing"),
    "to_do": ("☐", "to do"),
    "done": ("✔", "done"),
    "not_applicable": ("–", "n/a"),
}
"""Each step status has a symbol and a word, so nothing is told by color alone."""


def local(text: dict[str, str], language: str, between: str = "\n") -> str:
    """The text in `language`, else in the first language the text has.

    A display of two languages, such as "es+en", gives both: the first to read out, the
    second beneath it (or after `between`) for the dispatcher."""
    parts = [text[lang] for lang in language.split("+") if lang in text]
    if not parts:
        return next(iter(text.values()))
    return between.join(dict.fromkeys(parts))


def display_modes(languages: list[str]) -> list[str]:
    """The displays F4 steps through: each language, then the others above the first."""
    first = languages[0]
    return [*languages, *(f"{other}+{first}" for other in languages[1:])]


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


def answer_words(call: Call, question: str, answer: str | None, value: str | None) -> str:
    """What the caller answered, in the call's language: an answer's label or the typed text."""
    if value is not None:
        return value
    first = call.state.language.split("+")[0]  # one language is enough to name an answer
    for option in call.protocol.questions[question].answers:
        if option.id == answer:
            return local(option.label, first)
    return answer or ""


def elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
