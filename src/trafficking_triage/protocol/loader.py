"""Loading a protocol file: read, parse, validate the shape, check the graph.

The one entry point for the engine, the CLI and the console. On success it gives a
`LoadedProtocol` (the models plus what a record needs to name the file: id, version, sha256);
otherwise a `FileProblems` listing every problem with file, line, column and key path.

The console passes a `checked` file: a protocol that passed every check is remembered there
(as JSON, keyed by the file's bytes and the checking code), so the next console with the same
file and program validates its shape again but skips reading YAML and checking the graph.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .. import __version__
from ..paths import default_protocol_path
from .models import Protocol
from .problems import FileProblems, Finding, Positions, Problem, render_path

if TYPE_CHECKING:
    from pydantic import BaseModel

M = TypeVar("M", bound="BaseModel")

SCENARIOS = "scenarios"
"""The folder beside a protocol file that holds its training scenarios and rubric."""


@dataclass
class LoadedProtocol:
    protocol: Protocol
    path: Path
    name: str
    sha256: str
    paths_checked: int
    data: Any = field(repr=False)
    positions: Positions | None = field(repr=False)
    """Where each key sits in the file; None when it was loaded from a checked copy (the file
    is then read again, should a problem need a line)."""

    @property
    def scenarios(self) -> Path:
        """The protocol's training scenarios (and the rubric): the folder beside its file."""
        return self.path.parent / SCENARIOS

    def problem(self, finding: Finding) -> Problem:
        if self.positions is None:
            from .yamlfile import parse_yaml, read_text

            self.data, self.positions, _ = parse_yaml(read_text(self.path, self.name)[0], self.name)
        return locate(self.name, self.data, self.positions, finding)


def locate(name: str, data: Any, positions: Positions, finding: Finding) -> Problem:
    line, column = positions.locate(data, finding.path, finding.at_key)
    return Problem(
        name, line, column, render_path(finding.path), finding.message, finding.rule, finding.hint
    )


def load_protocol(
    path: Path | None = None,
    name: str | None = None,
    raw: bytes | None = None,
    checked: Path | None = None,
    for_records: bool = False,
) -> LoadedProtocol:
    """Load and check the protocol at `path` (default: the shipped one). With `checked`, a
    copy remembered there for these very bytes and this program is used instead of reading
    the YAML and checking the graph again, and a protocol that passes is remembered. With
    `for_records`, to read recorded calls: the rules for new calls only are let pass."""
    path = path if path is not None else default_protocol_path()
    name = (
        name if name is not None else (path.name if path == default_protocol_path() else str(path))
    )
    if path != default_protocol_path():  # the shipped one is the program's, as its code is
        from .yamlfile import refuse_shared

        refuse_shared(path, name, "anyone could change the questions and routes", "shared-protocol")
    if raw is None:
        from ..files import read_regular

        try:
            raw = read_regular(path)
        except (OSError, ValueError):
            raw = None  # read_text says why, as for every file
    key = _checked_key(raw) if raw is not None and checked is not None else None
    if key is not None and checked is not None:
        remembered = _remembered(checked, key)
        if remembered is not None:
            data, paths = remembered
            with collector_paused():
                protocol = Protocol.model_validate(data)
            return LoadedProtocol(protocol, path, name, key[1], paths, data, None)
    from .yamlfile import read_text

    text, raw = read_text(path, name, raw)
    loaded = parse_protocol(text, hashlib.sha256(raw).hexdigest(), path, name, for_records)
    if key is not None and checked is not None:
        _remember(checked, key, loaded)
    return loaded


def _checked_key(raw: bytes) -> tuple[str, str]:
    """(key, the file's sha256): the file's bytes, and the program that checked them (its
    version and the checking code itself, so an edited checkout never trusts an old check)."""
    digest = hashlib.sha256(raw).hexdigest()
    program = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for module in (
        "models.py",
        "lint.py",
        "lint_graph.py",
        "lint_safety.py",
        "loader.py",
        "yamlfile.py",
        "schema_errors.py",
    ):
        with contextlib.suppress(OSError):
            program.update((here / module).read_bytes())
    return f"{program.hexdigest()}-{digest}", digest


def _remembered(checked: Path, key: tuple[str, str]) -> tuple[Any, int] | None:
    """The data and path count remembered for `key`; None when there is none to trust (no
    file, another key, damaged: the protocol is then checked in full, as on a first launch)."""
    try:
        saved = json.loads(checked.read_text(encoding="utf-8"))
        if saved["key"] != key[0] or not isinstance(saved["data"], dict):
            return None
        return saved["data"], int(saved["paths_checked_hex"], 16)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remember(checked: Path, key: tuple[str, str], loaded: LoadedProtocol) -> None:
    """Remember a protocol that passed; a failure only costs the next console time. Written
    under a name of its own (owner-only) and renamed over the old copy: consoles starting
    together never read half a file."""
    if not checked.parent.is_dir():
        return
    with contextlib.suppress(OSError, TypeError, ValueError):
        # The path count in hexadecimal: a protocol of 10,000 questions has more paths than
        # a decimal integer may have digits in Python (4,300), and a power of two base has no
        # such limit either way.
        paths = format(loaded.paths_checked, "x")
        text = json.dumps({"key": key[0], "paths_checked_hex": paths, "data": loaded.data})
        descriptor, partial = tempfile.mkstemp(dir=checked.parent, prefix=f".{checked.name}.")
        try:
            with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
                handle.write(text)
            os.replace(partial, checked)
        finally:
            with contextlib.suppress(OSError):
                os.unlink(partial)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large file becomes objects.

    Building tens of thousands of dicts and lists makes the collector walk every one of them
    again and again; nothing built here forms a cycle, so pausing it loses nothing and keeps
    load time linear in the file's size (measured in benchmarks/bench_load.py)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


RULES_FOR_NEW_CALLS = frozenset({"no-unknown", "closed-form"})
"""Rules a protocol must keep to for calls taken now (a way on for "don't know" everywhere, a
yes/no form on every choice question) that protocols written before them broke: reading the
records of calls taken with such a protocol does not need them."""


def parse_protocol(
    text: str, digest: str, path: Path, name: str, for_records: bool = False
) -> LoadedProtocol:
    with collector_paused():
        return _parse_protocol(text, digest, path, name, for_records)


def _parse_protocol(
    text: str, digest: str, path: Path, name: str, for_records: bool
) -> LoadedProtocol:
    from .lint import Linter
    from .yamlfile import parse_yaml

    data, positions, problems = parse_yaml(text, name)
    if data is None:
        raise FileProblems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    "the file is empty",
                    "empty-file",
                    "start from the shipped protocol.yaml",
                )
            ]
        )
    if not isinstance(data, dict):
        raise FileProblems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    "expected a mapping of protocol sections at the top",
                    "wrong-type",
                )
            ]
        )
    protocol = validated(Protocol, data, positions, name, problems)
    linter = Linter(protocol)
    found = linter.run()
    if for_records:
        found = [finding for finding in found if finding.rule not in RULES_FOR_NEW_CALLS]
    problems += [locate(name, data, positions, finding) for finding in found]
    if problems:
        raise FileProblems(sorted(problems, key=_order))
    return LoadedProtocol(protocol, path, name, digest, linter.paths, data, positions)


def validated(
    model: type[M],
    data: Any,
    positions: Positions,
    name: str,
    problems: Sequence[Problem] = (),
    context: dict[str, Any] | None = None,
) -> M:
    """`data` (read from the YAML file `name`) as `model`: the one way a protocol, settings, a
    scenario or a rubric becomes a model. FileProblems, in line order, with `problems` (found
    already) and every one the model finds, each at its line and key path."""
    from pydantic import ValidationError

    from .schema_errors import findings_from

    try:
        return model.model_validate(data, context=context)
    except ValidationError as error:
        found = [locate(name, data, positions, f) for f in findings_from(model, error)]
        raise FileProblems(sorted([*problems, *found], key=_order)) from None


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line, problem.column)
