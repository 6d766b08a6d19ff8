"""Reading agency.yaml with the same kind of messages as the protocol: file, line, key path."""

from __future__ import annotations

import hashlib
import stat
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..protocol.loader import locate
from ..protocol.problems import FileProblems, Problem
from ..protocol.schema_errors import findings_from
from ..protocol.yamlfile import parse_yaml, read_text
from .models import DEFAULT_COUNTRY, AgencySettings


def _known_country(code: str) -> bool:
    import phonenumbers

    return code in phonenumbers.SUPPORTED_REGIONS


@dataclass(frozen=True)
class LoadedSettings:
    settings: AgencySettings
    path: Path
    sha256: str


def _refuse_shared(path: Path, name: str) -> None:
    """Settings that other users can change decide whom dispatchers call: refused."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return  # read_text says why it cannot be read
    if mode & 0o022:
        raise FileProblems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    f"other users can change this file (mode {mode:o}): anyone could change "
                    "the numbers dispatchers call",
                    "shared-settings",
                    "make it private (chmod 600) or writable by its owner only (chmod 644)",
                )
            ]
        )


def load_settings(path: Path, name: str | None = None, raw: bytes | None = None) -> LoadedSettings:
    """The settings, or a FileProblems listing every problem in the file. `raw`: the file's
    bytes, if already read."""
    name = name if name is not None else str(path)
    _refuse_shared(path, name)
    text, raw = read_text(path, name, raw)
    data, positions, problems = parse_yaml(text, name)
    if not isinstance(data, dict):
        raise FileProblems(
            [
                Problem(
                    name,
                    1,
                    1,
                    "",
                    "expected a mapping of settings at the top",
                    "wrong-type",
                    "start from 'trafficking-triage agency init'",
                )
            ]
        )
    agency = data.get("agency")
    country = agency.get("country") if isinstance(agency, dict) else None
    if not isinstance(country, str) or not _known_country(country):
        country = DEFAULT_COUNTRY  # a country that is not one is reported by its own check
    try:
        settings = AgencySettings.model_validate(data, context={"country": country})
    except ValidationError as error:
        problems += [locate(name, data, positions, f) for f in findings_from(AgencySettings, error)]
        raise FileProblems(sorted(problems, key=lambda p: (p.line, p.column))) from None
    if problems:
        raise FileProblems(problems)
    return LoadedSettings(settings, path, hashlib.sha256(raw).hexdigest())
