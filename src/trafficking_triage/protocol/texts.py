"""Texts in the protocol's languages: which words to show or read out for a question, an answer
or an outcome, in a display such as "en", "es" or "es+en" (Spanish to read out, English
beneath). The one place that knows what a display is and how an answer is named; the engine,
the exports and the screens all ask here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Protocol


def reading_language(display: str) -> str:
    """The language read out in a display ("es" in "es+en")."""
    return display.split("+")[0]


def local(text: Mapping[str, str], display: str, between: str = "\n") -> str:
    """The text in the display's languages, the one to read out first; a language the text
    lacks is passed over, and a text in none of them gives its first language."""
    parts = [text[lang] for lang in display.split("+") if lang in text]
    if not parts:
        return next(iter(text.values()))
    return between.join(dict.fromkeys(parts))


def display_modes(languages: Sequence[str]) -> list[str]:
    """The displays a console offers (F4 steps through them; --lang takes one): each
    language, then each other language above the protocol's first."""
    first = languages[0]
    return [*languages, *(f"{other}+{first}" for other in languages[1:])]


def answer_label(protocol: Protocol, question: str, answer: str | None, display: str) -> str | None:
    """The label of answer `answer` of `question` in the display's reading language; None when
    the question has no such answer."""
    for option in protocol.questions[question].answers:
        if option.id == answer:
            return local(option.label, reading_language(display))
    return None


CALLER_KIND_WORDS = {
    "worker": "If the worker is on the line",
    "escaped": "If the worker got away",
    "survivor": "If a survivor of a past case",
    "at_scene": "If with the worker at the scene",
    "other": "If calling about someone else",
}
"""How the screen and the guide cards name each kind of caller an outcome's instructions are
worded for."""

NO_ANSWER_WORDS = {"unknown": "(does not know)", "declined": "(declined to say)"}
"""How a question the caller gave no answer to reads, wherever the answer would."""

NO_MORE_WORDS = "(no more than those given one at a time)"
"""How a question taking several reads when Enter closed it with nothing more typed."""


def said(
    protocol: Protocol,
    question: str,
    answer: str | None,
    value: str | None,
    display: str,
    unanswered: str | None = None,
) -> str:
    """What the caller answered, in words: that they did not know or declined to say, else
    the text typed, else the answer's label, else the answer as recorded."""
    if unanswered is not None:
        return NO_ANSWER_WORDS.get(unanswered, f"({unanswered})")
    if value is not None:
        return value
    if answer is None:
        return NO_MORE_WORDS  # Enter on an empty field after several entries
    return answer_label(protocol, question, answer, display) or answer


def placeholders(text: str) -> list[str]:
    """The names a text fills in from a call, in braces ("{location}"); ValueError, saying
    why, for a brace that opens none, or a placeholder with more than a name in it: a
    format ("{location:>99}"), a conversion ("{location!r}"), an attribute or an index. A
    radio line is words and names, so a settings file can never make the console format a
    number, grow a line to a gigabyte or reach into an object."""
    import string

    try:
        parts = list(string.Formatter().parse(text))
    except ValueError:
        raise ValueError("a brace that opens no placeholder (write {{ or }} for a brace)") from None
    names = []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValueError(
                f"a placeholder is a name in braces, and nothing more: {{{name}}} "
                "(no format, conversion, attribute or index)"
            )
        names.append(name)
    return names


def fill_in(text: str, values: Mapping[str, str], missing: str = "not said") -> str:
    """`text` with each placeholder's value (`missing` for a name without one); anything in
    a placeholder beyond its name is ignored (`placeholders` refuses it as a file loads)."""
    import string

    out = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        out.append(literal)
        if name is not None:
            try:
                out.append(values[name])  # a mapping may say itself what a missing name reads
            except KeyError:
                out.append(missing)
    return "".join(out)
