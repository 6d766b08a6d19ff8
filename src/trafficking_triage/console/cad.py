"""What a CAD hands a call: the incident number, location and callback (and the console and
dispatcher), from a mapping the CAD writes. With a context file, the file is read again as
each new call starts, and its details go to the new call only when the CAD has written the
file since the last call took it: one incident's details never reach the next caller."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .values import ConsoleError

CAD_KEYS = ("console", "dispatcher", "incident", "location", "callback")
CALL_KEYS = ("incident", "location", "callback")
"""What belongs to one call (the console and dispatcher belong to the console)."""


def context_map(text: str, where: str) -> dict[str, str]:
    """A CAD context mapping, checked; a message never repeats a value (a caller's location)."""
    import yaml

    try:
        # The base loader reads every value as text: a callback "+15551234567" or an
        # incident "0123" stays as the CAD wrote it (never a number, an octal, a time).
        # PyYAML's base loader constructs text, lists and mappings only (no tags, no objects).
        loader = yaml.BaseLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
    except (yaml.YAMLError, RecursionError):  # nested thousands deep, say
        data = None
    if not isinstance(data, dict):
        raise ConsoleError(f"{where}: not a mapping of {', '.join(CAD_KEYS)}")
    unknown = sorted(str(key) for key in data if key not in CAD_KEYS)
    if unknown:
        named = ", ".join(ascii(key)[1:-1] for key in unknown)
        raise ConsoleError(f"{where}: unknown keys {named} (known: {', '.join(CAD_KEYS)})")
    for key, value in data.items():
        if not isinstance(value, str):
            raise ConsoleError(f"{where}: {key} must be text or a number")
    return {str(key): str(value) for key, value in data.items()}


def read_context_file(path: Path) -> tuple[dict[str, str], str]:
    """The file's mapping, and a digest of its bytes (to tell a rewritten file). Raises
    ConsoleError, naming the file and never what it holds."""
    from ..files import read_regular
    from ..shown import safe

    try:
        mode = path.stat().st_mode & 0o077
        raw = read_regular(path)
        text = raw.decode("utf-8")
    except OSError as error:
        raise ConsoleError(
            f"--context-file {safe(str(path))} cannot be read ({error.strerror})"
        ) from None
    except (UnicodeDecodeError, ValueError):
        raise ConsoleError(f"--context-file {safe(str(path))} is not UTF-8 text") from None
    if mode:
        raise ConsoleError(
            f"--context-file {safe(str(path))} can be read by other users: it holds what the "
            "CAD knows of a call. Make it owner-only (chmod 600)."
        )
    return context_map(text, safe(str(path))), hashlib.sha256(raw).hexdigest()


class ContextFile:
    """The CAD's file, as each new call takes it."""

    def __init__(self, path: Path, taken: str | None) -> None:
        self.path = path
        self.taken = taken
        """The digest of the file as the last call took it (the first call: at launch)."""

    def for_next_call(self) -> dict[str, str]:
        """The details for a call starting now: the file's, if written since the last call
        took it; else none. Raises ConsoleError when it cannot be read (the call starts all
        the same, without them)."""
        if not self.path.exists():
            return {}  # the CAD has not written one for this call (yet)
        found, digest = read_context_file(self.path)
        if digest == self.taken:
            return {}
        self.taken = digest
        return {key: found[key] for key in CALL_KEYS if key in found}
