"""Writing files that hold what a caller said, or settings that decide who dispatchers call.

One writer for every such file (a narrative copied for CAD, `records export --output`, a call
saved elsewhere, the agency settings template): readable by its owner only from the moment it
exists, never written through a symbolic link, and never a new file over an old one unless the
caller of this function says so. Used by the console session and the `records` and `agency`
commands. And the one writer of what is handed out (`write_shared`: slides, guide cards, the
protocol exported for editing), readable by all but never over a file nor through a link.
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


def write_shared(path: Path, data: bytes) -> None:
    """A new file for others to read (0644 whatever the umask, changed by its owner only):
    created exclusively, never through a symbolic link (FileExistsError or OSError)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    descriptor = os.open(path, flags, 0o644)
    try:
        os.fchmod(descriptor, 0o644)
        written = 0
        while written < len(data):
            written += os.write(descriptor, data[written:])
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


LARGEST_READ = 32 * 1024 * 1024
"""Bytes at most in any file the program reads (protocols, settings, scenarios, answers, a
CAD's context): the shipped protocol is about 100 KB, a generated protocol of 50,000
questions (benchmarks/bench_load.py) about 18 MB."""


def read_regular(path: Path, limit: int = LARGEST_READ) -> bytes:
    """A regular file's bytes. Anything else (a FIFO, a device such as /dev/zero, a socket)
    is refused at once rather than waited on or read forever, and so is a file longer than
    `limit`: OSError, with a message that says which."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    descriptor = os.open(path, flags)  # non-blocking: opening a FIFO does not wait
    try:
        found = os.fstat(descriptor)
        if stat.S_ISDIR(found.st_mode):
            raise IsADirectoryError(errno.EISDIR, "is a directory, not a file", str(path))
        if not stat.S_ISREG(found.st_mode):
            raise OSError(errno.EINVAL, "is not a regular file (a pipe or a device)", str(path))
        if found.st_size > limit:
            raise OSError(errno.EFBIG, f"is larger than {limit // (1024 * 1024)} MB", str(path))
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:  # grew while read
        raise OSError(errno.EFBIG, f"is larger than {limit // (1024 * 1024)} MB", str(path))
    return data


def own_directory(path: Path) -> None:
    """`path` as a private folder of the program's own (exports/, live/, training/): made
    owner-only if missing; a symbolic link there is refused (OSError ELOOP), never followed
    to wherever it points, and so is anything that is not a folder."""
    try:
        path.mkdir(mode=0o700)
        os.chmod(path, 0o700)  # whatever the umask
    except FileExistsError:
        pass
    found = os.lstat(path)
    if stat.S_ISLNK(found.st_mode):
        raise OSError(errno.ELOOP, "is a symbolic link: the program never follows one", str(path))
    if not stat.S_ISDIR(found.st_mode):
        raise NotADirectoryError(errno.ENOTDIR, "is not a folder", str(path))
