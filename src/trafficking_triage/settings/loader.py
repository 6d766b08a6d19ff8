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


def load_settings_for_a_console(
    path: Path, name: str | None = None
) -> tuple[LoadedSettings | None, list[Problem]]:
    """The settings a console opens with, and the problems it must show: a 911 console
    always opens. Each top-level entry a problem is in (a contact, the radio alerts, the
    store) is left out, as if not set: the screen shows it NOT CONFIGURED, and everything
    else in the file is used. A file that cannot be used at all (not YAML, shared with other
    users, unreadable) gives no settings, and its problems. `agency validate` still fails
    on every one of them: this is only for opening a console."""
    try:
        return load_settings(path, name), []
    except FileProblems as error:
        problems = list(error.problems)
    if any(problem.rule.startswith("shared") for problem in problems):
        return None, problems  # numbers anyone could have changed: none of them is used
    name = name if name is not None else str(path)
    try:
        text, raw = read_text(path, name, None)
    except FileProblems:
        return None, problems
    data, positions, parsed = parse_yaml(text, name)
    if parsed or not isinstance(data, dict):
        return None, problems
    left_out = {problem.path.split(".")[0] for problem in problems}
    if "" in left_out or "agency" in left_out:
        return None, problems  # the agency itself (its country reads every number)
    kept = {key: value for key, value in data.items() if key not in left_out}
    again: list[Problem] = []
    agency = kept.get("agency")
    country = agency.get("country") if isinstance(agency, dict) else None
    if not isinstance(country, str) or not _known_country(country):
        country = DEFAULT_COUNTRY
    settings = validated(AgencySettings, kept, positions, name, again, {"country": country})
    if again:
        return None, problems
    return LoadedSettings(settings, path, hashlib.sha256(raw).hexdigest()), problems
