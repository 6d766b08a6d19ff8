"""The protocol layer: the YAML decision tree as strict models, with its checks. No Textual.

The names below are imported when first used (PEP 562): the models cost about 60 ms to define,
and a command that only names a problem type, or prints the version, never needs them."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..paths import default_protocol_path
    from .loader import LoadedProtocol, load_protocol
    from .models import Protocol
    from .problems import FileProblems, Problem

_WHERE = {
    "FileProblems": ".problems",
    "Problem": ".problems",
    "LoadedProtocol": ".loader",
    "load_protocol": ".loader",
    "Protocol": ".models",
    "default_protocol_path": "..paths",
}

__all__ = [
    "FileProblems",
    "LoadedProtocol",
    "Problem",
    "Protocol",
    "default_protocol_path",
    "load_protocol",
]


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(_WHERE[name], __name__), name)
