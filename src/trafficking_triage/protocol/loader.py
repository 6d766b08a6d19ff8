"""Loading a protocol file: read, parse, validate the shape, check the graph.

The one entry point for the engine, the CLI and the app. On success it gives a
`LoadedProtocol` (the models plus what a record needs to name the file: id, version, sha256);
otherwise a `ProtocolError` listing every problem with file, line, column and key path.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from ..paths import default_protocol_path
from .lint import Linter
from .models import Protocol
from .problems import Finding, Positions, Problem, ProtocolError, render_path
from .schema_errors import findings_from
from .yamlfile import parse_yaml, read_text


@dataclass
class LoadedProtocol:
    protocol: Protocol
    path: Path
    name: str
    sha256: str
    paths_checked: int
    data: Any = field(repr=False)
    positions: Positions = field(repr=False)

    def problem(self, finding: Finding) -> Problem:
        return locate(self.name, self.data, self.positions, finding)


def locate(name: str, data: Any, positions: Positions, finding: Finding) -> Problem:
    line, column = positions.locate(data, finding.path, finding.at_key)
    return Problem(
        name, line, column, render_path(finding.path), finding.message, finding.rule, finding.hint
    )


def load_protocol(
    path: Path | None = None, name: str | None = None, raw: bytes | None = None
) -> LoadedProtocol:
    path = path if path is not None else default_protocol_path()
    name = (
        name if name is not None else (path.name if path == default_protocol_path() else str(path))
    )
    text, raw = read_text(path, name, raw)
    return parse_protocol(text, hashlib.sha256(raw).hexdigest(), path, name)


@contextmanager
def _collector_paused() -> Iterator[None]:
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


def parse_protocol(text: str, digest: str, path: Path, name: str) -> LoadedProtocol:
    with _collector_paused():
        return _parse_protocol(text, digest, path, name)


def _parse_protocol(text: str, digest: str, path: Path, name: str) -> LoadedProtocol:
    data, positions, problems = parse_yaml(text, name)
    if data is None:
        raise ProtocolError(
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
        raise ProtocolError(
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
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as error:
        findings = findings_from(Protocol, error)
        problems += [locate(name, data, positions, finding) for finding in findings]
        raise ProtocolError(sorted(problems, key=_order)) from None
    linter = Linter(protocol)
    problems += [locate(name, data, positions, finding) for finding in linter.run()]
    if problems:
        raise ProtocolError(sorted(problems, key=_order))
    return LoadedProtocol(protocol, path, name, digest, linter.paths, data, positions)


def _order(problem: Problem) -> tuple[int, int]:
    return (problem.line, problem.column)
