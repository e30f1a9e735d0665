"""Reading one source file: only a regular file, never more than the size limit, and never
in a way that can block.

A symbolic link may point anywhere: at a FIFO or a device (not regular: refused), or at a
file of /proc or /sys, which stat calls regular but which may block forever (`/proc/kmsg`),
consume what it hands out, or never end (refused by the device they live on). The file is
opened non-blocking and read up to the limit and one byte, so a file that grows while it
is read is still bounded.
"""

from __future__ import annotations

import functools
import os
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

KERNEL_FILESYSTEMS = ("/proc", "/sys")
_PIECE = 1 << 16  # what a file that grew since its stat is read by


class UnreadableError(OSError):
    """Not a file evlint reads; the message says why."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file at `path`; OverLimitError past `limit`, OSError else."""
    _check(os.stat(path), limit)
    flags = (
        os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    )
    with os.fdopen(os.open(path, flags), "rb", buffering=0) as handle:
        status = os.fstat(handle.fileno())
        _check(status, limit)  # the file opened, if it changed since
        data = _read_up_to(handle, min(status.st_size, limit) + 1, limit + 1)
    if len(data) > limit:
        raise OverLimitError(len(data), limit)
    return data


def _read_up_to(handle: BinaryIO, expected: int, most: int) -> bytes:
    """At most `most` bytes: `expected` (the size stat gave, and a byte to see the end) in
    one read, then more while the file goes on. (One read of `most` bytes, as it was, had
    every file allocate the size limit: nova's 1,500 files took twice as long to read.)"""
    chunks = []
    size, want = 0, expected
    while size < most:
        chunk = handle.read(min(want, most - size))
        if not chunk:
            break
        chunks.append(chunk)
        size, want = size + len(chunk), _PIECE
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


class OverLimitError(UnreadableError):
    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"File is {size} bytes, over the {limit} byte limit (max-file-size); not checked")


def _check(status: os.stat_result, limit: int) -> None:
    if not S_ISREG(status.st_mode):  # a FIFO or a device would block or never end
        raise UnreadableError("Cannot read file: not a regular file")
    if status.st_dev in _kernel_devices():
        raise UnreadableError("Cannot read file: a file of /proc or /sys, not a regular file")
    if status.st_size > limit:
        raise OverLimitError(status.st_size, limit)


@functools.cache
def _kernel_devices() -> frozenset[int]:
    found = set()
    for directory in KERNEL_FILESYSTEMS:
        try:
            found.add(os.stat(directory).st_dev)
        except OSError:
            continue
    root = os.stat("/").st_dev if os.path.exists("/") else None
    return frozenset(device for device in found if device != root)  # (a /proc that is no mount)
