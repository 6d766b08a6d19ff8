"""Reading a YAML file safely, keeping where every key sits.

Used for the protocol, and for every other YAML file the program reads (settings, scenarios,
answer files), so they all fail the same way: a `FileProblems` with file, line and column.
Only the safe loader is used (the C one when PyYAML has it): a file can never build a Python
object, and a `!!python/...` tag is a problem, not code.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Any

import yaml

from .problems import FileProblems, Mark, PathPart, Positions, Problem, render_path

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]


def _mark(mark: yaml.Mark | None) -> Mark:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


_LONGEST_NUMBER = 40


class _NumberTooLong(yaml.constructor.ConstructorError):
    """A whole number longer than any a protocol or setting needs."""


class _PositionLoader(_SafeLoader):
    """The safe loader, recording positions and refusing duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.positions = Positions()
        self.duplicates: list[tuple[int, object, Mark, Mark]] = []

    def _construct_int(self, node: yaml.ScalarNode) -> int:
        # Any form: decimal, and hex, binary, octal and base-60 (1:30:00), which Python reads
        # without its 4,300-digit guard (base 60 slowly): no setting needs a long number.
        if len(str(node.value)) > _LONGEST_NUMBER:
            problem = f"a number too long to read (more than {_LONGEST_NUMBER} characters)"
            raise _NumberTooLong(None, None, problem, node.start_mark)
        return int(super().construct_yaml_int(node))

    def _construct_map(self, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
        data: dict[Any, Any] = {}
        yield data
        self.flatten_mapping(node)
        keys: dict[Any, tuple[Mark, Mark]] = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=False)
            try:
                hash(key)
            except TypeError:
                raise yaml.constructor.ConstructorError(
                    None, None, "a key must be plain text", key_node.start_mark
                ) from None
            key_mark = _mark(key_node.start_mark)
            if key in keys:
                self.duplicates.append((id(data), key, key_mark, keys[key][0]))
            keys[key] = (key_mark, _mark(value_node.start_mark))
            data[key] = self.construct_object(value_node, deep=False)
        self.positions.mappings[id(data)] = (_mark(node.start_mark), keys)

    def _construct_seq(self, node: yaml.SequenceNode) -> Iterator[list[Any]]:
        data: list[Any] = []
        yield data
        data.extend(self.construct_object(child, deep=False) for child in node.value)
        self.positions.sequences[id(data)] = (
            _mark(node.start_mark),
            [_mark(child.start_mark) for child in node.value],
        )


# YAML 1.1 reads a bare yes, no, on or off as true/false, so `id: no` would silently become a
# boolean. Protocols are full of yes and no answers: only true and false mean booleans here.
_PositionLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}
_PositionLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_PositionLoader.add_constructor("tag:yaml.org,2002:map", _PositionLoader._construct_map)
_PositionLoader.add_constructor("tag:yaml.org,2002:seq", _PositionLoader._construct_seq)
_PositionLoader.add_constructor("tag:yaml.org,2002:int", _PositionLoader._construct_int)


# PyYAML's C parser recurses once per nesting level and can crash the process on a file of
# thousands of nested brackets; no protocol nests more than a dozen levels, so such a file is
# refused before it is parsed.
_TOO_DEEP = re.compile(r"(?:[\[{]\s*){100}")


def _problem(file: str, mark: Mark, message: str, rule: str, hint: str | None = None) -> Problem:
    return Problem(file, mark[0], mark[1], "", message, rule, hint)


def refuse_shared(path: FilePath, name: str, because: str, rule: str) -> None:
    """A file that decides what dispatchers do (a protocol, settings, scenarios, a rubric)
    and that other users can change is refused: FileProblems saying so, and how to mend it."""
    import stat

    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except (OSError, ValueError):
        return  # read_text says why it cannot be read
    if mode & 0o022:
        raise FileProblems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"other users can change this file (mode {mode:o}): {because}",
                    rule,
                    "make it private (chmod 600) or writable by its owner only (chmod 644)",
                )
            ]
        )


def read_text(path: FilePath, name: str, raw: bytes | None = None) -> tuple[str, bytes]:
    """The file's text and bytes, or a FileProblems saying why it cannot be read. `raw`:
    the bytes already read from it (the console reads them once, then checks them)."""
    from ..files import read_regular

    try:
        raw = read_regular(path) if raw is None else raw
    except FileNotFoundError:
        raise FileProblems([_problem(name, (0, 0), "no such file", "unreadable")]) from None
    except IsADirectoryError:
        raise FileProblems(
            [_problem(name, (0, 0), "is a directory, not a file", "unreadable")]
        ) from None
    except OSError as error:
        raise FileProblems(
            [_problem(name, (0, 0), f"cannot be read: {error.strerror}", "unreadable")]
        ) from None
    except ValueError:  # a path the system cannot take (a NUL in it)
        raise FileProblems([_problem(name, (0, 0), "not a usable path", "unreadable")]) from None
    try:
        return raw.decode("utf-8-sig"), raw
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        raise FileProblems(
            [
                _problem(
                    name,
                    (line, column),
                    f"not valid UTF-8 text (byte 0x{byte})",
                    "encoding",
                    "save the file as UTF-8",
                )
            ]
        ) from None


def parse_yaml(text: str, name: str) -> tuple[Any, Positions, list[Problem]]:
    """Parse one YAML document.

    A document that cannot be parsed at all raises a FileProblems. Duplicate keys do not stop
    the reading: they come back as problems, so they are listed with everything else wrong."""
    too_deep = _TOO_DEEP.search(text)
    if too_deep is not None:
        line = text.count("\n", 0, too_deep.start()) + 1
        raise FileProblems(
            [
                _problem(
                    name, (line, 1), "brackets nested too deeply to be a protocol", "yaml-syntax"
                )
            ]
        )
    loader = _PositionLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.constructor.ConstructorError as error:
        problem = str(error.problem or "cannot be read")
        quoted = re.search(r"'([^']*)'", problem)
        if "could not determine a constructor for the tag" in problem and quoted:
            tag = quoted.group(1).replace("tag:yaml.org,2002:", "!!")
            problem = f"the tag '{tag}' is not allowed: protocol files hold plain data only"
        rule = "yaml-syntax" if isinstance(error, _NumberTooLong) else "unsafe-tag"
        raise FileProblems([_problem(name, _mark(error.problem_mark), problem, rule)]) from None
    except RecursionError:
        raise FileProblems(
            [_problem(name, (1, 1), "nested too deeply to be a protocol", "yaml-syntax")]
        ) from None
    except yaml.reader.ReaderError as error:
        before = text[: error.position]
        line = before.count("\n") + 1
        column = error.position - (before.rfind("\n") + 1) + 1
        raise FileProblems(
            [
                _problem(
                    name,
                    (line, column),
                    f"a character YAML does not allow here (code {error.character!r})",
                    "yaml-syntax",
                )
            ]
        ) from None
    except yaml.MarkedYAMLError as error:
        message = str(error.problem or "is not valid YAML")
        if error.context:
            # Where the parser gave up can be far from the mistake (an unclosed bracket is
            # found at the end of the file): name where the unclosed construct began too.
            began = error.context_mark
            if began is not None and _mark(began) != _mark(error.problem_mark):
                message = f"{message} ({error.context} that began at line {began.line + 1}, "
                message += f"column {began.column + 1})"
            else:
                message = f"{message} ({error.context})"
        raise FileProblems(
            [_problem(name, _mark(error.problem_mark), message, "yaml-syntax")]
        ) from None
    except yaml.YAMLError as error:
        raise FileProblems([_problem(name, (1, 1), str(error), "yaml-syntax")]) from None
    finally:
        loader.dispose()
    duplicates = [
        Problem(
            name,
            mark[0],
            mark[1],
            render_path((*_path_to(data, container), key)),  # type: ignore[arg-type]
            f"'{key}' is defined twice",
            "duplicate-id",
            f"first defined at line {first[0]}",
        )
        for container, key, mark, first in loader.duplicates
    ]
    return data, loader.positions, duplicates


def _path_to(root: Any, target: int) -> tuple[PathPart, ...]:
    """The key path of the container whose id is `target` (only used to word a problem)."""
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(root, ())]
    seen: set[int] = set()  # an alias can make the data refer to itself
    while stack:
        node, path = stack.pop()
        if id(node) == target:
            return path
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, dict):
            stack.extend((value, (*path, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*path, index)) for index, value in enumerate(node))
    return ()


def read_yaml(path: FilePath, name: str | None = None) -> tuple[Any, Positions, list[Problem]]:
    name = name if name is not None else str(path)
    return parse_yaml(read_text(path, name)[0], name)
