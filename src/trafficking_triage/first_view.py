"""The first question of a call, saved so the next console can show it at once.

Checking the protocol and starting the engine means loading pydantic, which takes longer than
drawing the screen. So each console saves what a new call's screen showed (question, answers,
checklist, missing settings) beside the call records, under a key made of the protocol's and
the settings' SHA-256 and a fingerprint of the program's code. The next console with the same
files shows that question straight away and loads the engine just after the screen is drawn;
keys pressed in between wait in order and go to the call once it is running.

A key can only match after the same protocol and settings were checked without a problem by
the same program, so a broken or edited file never gets past its checks this way. A missing,
unreadable or malformed copy is simply not used. Should the checks still fail, or the call
start on another question than the one shown, the console says so and records nothing in the
meantime on the wrong question. The copy holds protocol texts only, never anything a caller
said.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, get_args

from . import __version__
from .engine.view import ChecklistItem, Choice, Prompt, StepStatus

if TYPE_CHECKING:
    from .engine import Call
    from .protocol import LoadedProtocol
    from .settings import LoadedSettings

FILE_NAME = "first-question.json"


class FirstView(NamedTuple):
    """What the call screen shows when a call opens, before any answer. (A named tuple, as
    in engine.view: defined before the first question shows.)"""

    prompt: Prompt
    section: str
    why: str
    fact: str | None
    """The CAD context key that pre-fills a typed answer (location), if any."""
    checklist: tuple[ChecklistItem, ...]
    missing_settings: tuple[str, ...]
    languages: tuple[str, ...]

    @classmethod
    def of(cls, call: Call, missing_settings: list[str]) -> FirstView:
        prompt = call.state.prompt
        assert prompt is not None, "a new call asks a question first"
        question = call.protocol.questions[prompt.question]
        return cls(
            prompt=prompt,
            section=question.section,
            why=question.why,
            fact=question.fact,
            checklist=tuple(call.checklist()),
            missing_settings=tuple(missing_settings),
            languages=tuple(call.protocol.protocol.languages),
        )

    def to_data(self) -> dict[str, Any]:
        prompt = self.prompt
        return {
            **self._asdict(),
            "prompt": {**prompt._asdict(), "choices": [c._asdict() for c in prompt.choices]},
            "checklist": [item._asdict() for item in self.checklist],
        }

    @classmethod
    def from_data(cls, data: Any) -> FirstView:
        """Raises ValueError, KeyError or TypeError on anything but what `to_data` gave."""
        prompt = data["prompt"]
        view = cls(
            prompt=Prompt(
                question=_text(prompt["question"]),
                kind=prompt["kind"],
                text=_texts(prompt["text"]),
                choices=tuple(
                    Choice(_text(c["id"]), _texts(c["label"])) for c in prompt["choices"]
                ),
                closed=bool(prompt["closed"]),
            ),
            section=_text(data["section"]),
            why=_text(data["why"]),
            fact=None if data["fact"] is None else _text(data["fact"]),
            checklist=tuple(
                ChecklistItem(int(item["number"]), _text(item["title"]), _status(item["status"]))
                for item in data["checklist"]
            ),
            missing_settings=tuple(_text(name) for name in data["missing_settings"]),
            languages=tuple(_text(language) for language in data["languages"]),
        )
        if view.prompt.kind not in {"choice", "text", "number"} or not view.languages:
            raise ValueError("not a first question")
        return view


def _status(value: object) -> StepStatus:
    if value not in get_args(StepStatus):
        raise ValueError("not a step status")
    return value  # type: ignore[return-value]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _texts(value: object) -> dict[str, str]:
    if not isinstance(value, dict) or not value:
        raise TypeError("expected texts by language")
    return {_text(k): _text(v) for k, v in value.items()}


@functools.cache
def program_fingerprint() -> str | None:
    """The program's own code: every module of the package. A version number is not enough:
    code changes between releases (and in a checkout) without it, and a question saved by
    other code may not be the one this code asks first. None when the modules cannot all be
    read as files (an unreadable file, an install without sources): no saved question is
    then trusted, and the console simply checks everything first."""
    digest = hashlib.sha256(__version__.encode())
    package = os.path.dirname(os.path.realpath(__file__))
    try:
        modules = sorted(_modules(package, ""))
        if not modules:
            return None
        for name in modules:
            digest.update(name.encode() + b"\0")
            with open(os.path.join(package, name), "rb") as module:
                digest.update(module.read())
    except OSError:
        return None
    return digest.hexdigest()


def _modules(directory: str, prefix: str) -> Iterator[str]:
    """The `.py` files below `directory`, as relative POSIX paths. (os.scandir rather than
    Path.rglob: this runs before the first question shows, and rglob takes 2 ms longer.)"""
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from _modules(entry.path, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py") and not entry.name.startswith("."):
                yield prefix + entry.name  # editors' lock and backup files are not modules


def view_key(
    protocol_sha256: str, settings_sha256: str | None, program: str | None = None
) -> str | None:
    """Which protocol and settings, checked by which program (see `program_fingerprint`);
    None when the program cannot be told apart, and then nothing is saved or trusted."""
    program = program if program is not None else program_fingerprint()
    if program is None:
        return None
    parts = f"{program}\n{protocol_sha256}\n{settings_sha256 or '-'}"
    return hashlib.sha256(parts.encode()).hexdigest()


def read_first_view(directory: Path, key: str) -> FirstView | None:
    """The saved first question for `key`, or None if there is none to trust."""
    try:
        saved = json.loads((directory / FILE_NAME).read_text(encoding="utf-8"))
        if saved.get("key") != key:
            return None
        return FirstView.from_data(saved["view"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def save_first_view(directory: Path, key: str, view: FirstView) -> None:
    """Save the first question for the next console; a failure only costs the next one time."""
    text = json.dumps({"key": key, "view": view.to_data()}, ensure_ascii=False)
    target = directory / FILE_NAME
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if target.read_text(encoding="utf-8") == text:
            return
    # Written beside the target under a name of its own (created exclusively, owner-only)
    # and renamed over it: two consoles starting together never leave half a file.
    with contextlib.suppress(OSError):
        descriptor, partial = tempfile.mkstemp(dir=directory, prefix=f".{FILE_NAME}.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(partial, target)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(partial)


class Opening(NamedTuple):
    """A console opening on a saved first question: what to show, and how to load the rest
    (the protocol and settings checked from the very bytes the key was made of)."""

    view: FirstView
    load: Callable[[], tuple[LoadedProtocol, LoadedSettings | None]]
