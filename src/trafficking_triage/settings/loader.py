"""Reading agency.yaml with the same kind of messages as the protocol: file, line, key path."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from ..protocol.loader import validated
from ..protocol.problems import FileProblems, Problem
from ..protocol.yamlfile import parse_yaml, read_text, refuse_shared
from .models import DEFAULT_COUNTRY, AgencySettings


def _known_country(code: str) -> bool:
    import phonenumbers

    return code in phonenumbers.SUPPORTED_REGIONS


@dataclass(frozen=True)
class LoadedSettings:
    settings: AgencySettings
    path: Path
    sha256: str


def load_settings(path: Path, name: str | None = None, raw: bytes | None = None) -> LoadedSettings:
    """The settings, or a FileProblems listing every problem in the file. `raw`: the file's
    bytes, if already read."""
    name = name if name is not None else str(path)
    refuse_shared(path, name, "anyone could change the numbers dispatchers call", "shared-settings")
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
    settings = validated(AgencySettings, data, positions, name, problems, {"country": country})
    if problems:
        raise FileProblems(problems)
    return LoadedSettings(settings, path, hashlib.sha256(raw).hexdigest())
