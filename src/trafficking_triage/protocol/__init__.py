"""The protocol layer: the YAML decision tree as strict models, with its checks. No Textual.

Its names are imported on first use, so `ProtocolError` can be caught without loading the
models (see `trafficking_triage.lazy`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_names

if TYPE_CHECKING:
    from ..paths import default_protocol_path
    from .loader import LoadedProtocol, load_protocol
    from .models import Protocol
    from .problems import Problem, ProtocolError

__all__ = [
    "LoadedProtocol",
    "Problem",
    "Protocol",
    "ProtocolError",
    "default_protocol_path",
    "load_protocol",
]

__getattr__ = lazy_names(
    __name__,
    {
        "LoadedProtocol": "loader",
        "Problem": "problems",
        "Protocol": "models",
        "ProtocolError": "problems",
        "default_protocol_path": "loader",
        "load_protocol": "loader",
    },
)
