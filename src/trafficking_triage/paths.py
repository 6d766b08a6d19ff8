"""Where the program finds its files when it is not told: the shipped protocol, the agency's
settings and the call records.

Kept apart from the loaders so the console can find its files (and show its first question)
before it loads the libraries that check them.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_ENV = "TRAFFICKING_TRIAGE_DATA"
SETTINGS_ENV = "TRAFFICKING_TRIAGE_AGENCY"


def default_protocol_path() -> Path:
    """The protocol shipped with the program.

    Inside an installed wheel it sits beside this package; in a source checkout (an editable
    install) it is the file at the top of the repository that agency staff edit."""
    package = Path(__file__).resolve().parent
    shipped = package / "protocol.yaml"
    return shipped if shipped.is_file() else package.parents[1] / "protocol.yaml"


def default_settings_path() -> Path:
    """`TRAFFICKING_TRIAGE_AGENCY`, else agency.yaml in the platform's config directory."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    from platformdirs import user_config_dir

    return Path(user_config_dir("trafficking-triage", appauthor=False)) / "agency.yaml"


TRAINING = "training"
"""The folder of a data directory that holds training calls: a store of their own, so the
dispatch floor's store never holds a training call to offer."""


def default_data_dir() -> Path:
    """`TRAFFICKING_TRIAGE_DATA`, else the platform's data directory for this program."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("trafficking-triage", appauthor=False))


def earlier_protocol_paths() -> list[Path]:
    """Earlier versions of the shipped protocol, kept so the records of calls taken with them
    still replay and review after an upgrade (each file as it shipped, byte for byte)."""
    return sorted((Path(__file__).resolve().parent / "earlier").glob("*.yaml"))


def missing_directory(named: Path) -> str | None:
    """What is wrong with a data directory someone named (it is used, never made): "does not
    exist" or "is not a directory"; None when it is one."""
    if named.is_dir():
        return None
    return "is not a directory" if named.exists() else "does not exist"
