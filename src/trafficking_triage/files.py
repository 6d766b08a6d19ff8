"""Writing files that hold what a caller said, or settings that decide who dispatchers call.

One writer for every such file (a narrative copied for CAD, `records export --output`, a call
saved elsewhere, the agency settings template): readable by its owner only from the moment it
exists, never written through a symbolic link, and never a new file over an old one unless the
caller of this function says so. Used by the console session and the `records` and `agency`
commands.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


def write_private(path: Path, text: str, *, replace: bool = False) -> None:
    """Write `text` to `path`, owner-only (0600), and flush it to the disk.

    A new file is created exclusively. An existing one is refused (FileExistsError) unless
    `replace`, and even then only a regular file is written: a symbolic link at `path` is never
    followed (ELOOP), and a directory or device is refused. The mode of a file this function did
    not create is left as it is, owner-only or not, and an existing file that others may read is
    refused rather than filled."""
    flags = os.O_WRONLY | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    created = True
    try:
        descriptor = os.open(path, flags | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.is_symlink():
            link = "a symbolic link is never written through"
            raise OSError(errno.ELOOP, link, str(path)) from None
        if not replace:
            raise
        created = False
        descriptor = os.open(path, flags | getattr(os, "O_NONBLOCK", 0), 0o600)
    try:
        found = os.fstat(descriptor)
        if not stat.S_ISREG(found.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if not created and found.st_mode & 0o077:
            raise PermissionError(errno.EPERM, "others can read or write it", str(path))
        os.ftruncate(descriptor, 0)
        data = text.encode("utf-8")
        written = 0
        while written < len(data):
            written += os.write(descriptor, data[written:])
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def private_directory(path: Path) -> None:
    """Make `path` (and any missing parents) owner-only (0700) whatever the umask; an existing
    directory is left as it is."""
    missing = []
    here = path
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for directory in reversed(missing):
        try:
            directory.mkdir(mode=0o700)
        except FileExistsError:
            continue  # made at the same moment by another console
        os.chmod(directory, 0o700)  # a umask may have taken bits away; never adds any to others
