"""Names of a package imported on first use (PEP 562).

The console shows its first question before pydantic is loaded, yet it needs a few light
things from packages whose other modules use pydantic (`ProtocolError`, the engine's plain
data). A package lists where each of its names lives; a name is imported when it is first
read, not when the package is.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_names(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module `__getattr__` for `package`: `where` maps each name to its submodule."""

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(importlib.import_module(f"{package}.{module}"), name)

    return __getattr__
