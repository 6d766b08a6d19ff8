"""The protocol layer: the YAML decision tree as strict models, with its checks. No Textual."""

from ..paths import default_protocol_path
from .loader import LoadedProtocol, load_protocol
from .models import Protocol
from .problems import FileProblems, Problem

__all__ = [
    "FileProblems",
    "LoadedProtocol",
    "Problem",
    "Protocol",
    "default_protocol_path",
    "load_protocol",
]
