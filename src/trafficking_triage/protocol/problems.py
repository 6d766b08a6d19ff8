"""The one error type for a file the program reads, and the positions that let it name a line.

Everything that reads a YAML file (the protocol, agency settings, scenarios, `decide`'s
answers) reports what is wrong as `Problem`s, gathered into one `FileProblems`; the command
line prints them like a compiler's messages.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import NamedTuple

PathPart = str | int
Path = tuple[PathPart, ...]


def render_path(path: Sequence[PathPart]) -> str:
    """`("questions", "x", "answers", 1, "next")` -> `questions.x.answers[1].next`."""
    out = ""
    for part in path:
        if isinstance(part, bool):  # a key YAML read as true or false
            out += f".{str(part).lower()}" if out else str(part).lower()
        elif isinstance(part, int):
            out += f"[{part}]"
        else:
            # A key YAML read as something else (`~:`, `&anchor:` with no name) is shown as
            # YAML writes it, never a crash in the message about it.
            name = part if isinstance(part, str) else "null" if part is None else str(part)
            out += f".{name}" if out else name
    return out


def did_you_mean(word: str, choices: Iterable[str]) -> str | None:
    from difflib import get_close_matches  # only a broken file needs it, not every launch

    match = get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"did you mean '{match[0]}'?" if match else None


class Problem(NamedTuple):
    """One thing wrong, where it is. (Named tuples here, not dataclasses: the console imports
    this module before its first question shows, and a dataclass takes a millisecond to
    define.)"""

    file: str
    line: int
    column: int
    path: str
    message: str
    rule: str
    hint: str | None = None

    def __str__(self) -> str:
        from ..shown import safe  # a file's name, keys and words: never raw on a terminal

        where = f"{self.file}:{self.line}:{self.column}"
        what = f"{self.path}: {self.message}" if self.path else self.message
        hint = f" ({self.hint})" if self.hint else ""
        return safe(f"{where}: {what}{hint} [{self.rule}]")


class FileProblems(Exception):
    """A protocol, settings, scenario or answers file that cannot be used; holds every
    problem found.
    (A plain class, for the same reason as `Problem`.)"""

    def __init__(self, problems: Sequence[Problem] = ()) -> None:
        super().__init__()
        self.problems = list(problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self.problems)


class Finding(NamedTuple):
    """A problem found by a check that knows the key path but not yet the line."""

    path: Path
    message: str
    rule: str
    hint: str | None = None
    at_key: bool = False
    """Point at the key itself (an unknown key) rather than at its value."""


Mark = tuple[int, int]
"""A 1-based (line, column)."""


class Positions:
    """Where each mapping key and list item of a loaded YAML document starts.

    Filled in by the loader as it constructs the data, keyed by the id of each container, so
    a key path found later (by pydantic or a graph check) can be turned into a line number.
    """

    def __init__(self) -> None:
        self.mappings: dict[int, tuple[Mark, dict[object, tuple[Mark, Mark]]]] = {}
        self.sequences: dict[int, tuple[Mark, list[Mark]]] = {}

    def locate(self, root: object, path: Path, at_key: bool = False) -> Mark:
        """The line and column of `path` inside `root`, or of its nearest existing parent."""
        here: Mark = (1, 1)
        node = root
        for index, part in enumerate(path):
            last = index == len(path) - 1
            mapping = self.mappings.get(id(node))
            sequence = self.sequences.get(id(node))
            if mapping is not None and isinstance(node, dict):
                here = mapping[0]
                entry = mapping[1].get(part)
                if entry is None:
                    return here
                here = entry[0] if (at_key and last) else entry[1]
                node = node[part]
            elif sequence is not None and isinstance(node, list) and isinstance(part, int):
                here = sequence[0]
                if not 0 <= part < len(sequence[1]):
                    return here
                here = sequence[1][part]
                node = node[part]
            else:
                return here
        return here
