"""The embedded store's directory and file, made private before anything is written to
them: owner-only, never through a symbolic link, never one other users can write."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from ..files import private_directory
from ..paths import DATA_ENV
from .api import RecordsError, RecordsUnwritable, cause_of


def _private_directory(directory: Path) -> None:
    """The data directory, made owner-only (0700) with any missing parent whatever the umask;
    one that exists is never changed, and refused if other users can write to it."""
    try:
        existed = directory.is_dir()
        private_directory(directory)
        mode = stat.S_IMODE(directory.stat().st_mode)
        if existed and mode & 0o022:
            raise RecordsError(
                f"the data directory {directory} can be written by other users (mode "
                f"{mode:o}): anyone could replace the call records there. It was left as it "
                f"is; choose a private one with --data-dir or {DATA_ENV}, or make it "
                "private (chmod 700)."
            )
        # A probe of its own (consoles sharing the directory may start at the same moment).
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".write-test-"):
            pass
    except OSError as error:
        raise RecordsUnwritable(
            cause_of(error),
            f"the data directory {directory} cannot be written ({cause_of(error)}); no call "
            f"can be recorded there. Choose another with --data-dir or {DATA_ENV}.",
        ) from None


def _private_file(path: Path) -> None:
    """Create `path` readable by its owner only, before anything is written into it; a
    symbolic link there is refused (see `SqliteStore._refuse_shared` for a file that exists)."""
    try:
        descriptor = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode):
            raise RecordsError(
                f"{path} is a symbolic link: the call records are never written through one. "
                "It was left as it is."
            ) from None
        return
    os.fchmod(descriptor, 0o600)  # a umask may have taken bits away; never adds any
    os.close(descriptor)
