"""Standard output that cannot crash the run: a reader that went away, a full disk, a closed
stream, a terminal encoding that cannot show a path.

- A reader that stops reading (`evlint check . | head -1`) ends the run quietly with exit 0,
  as ruff and the Unix tools do: the reader got what it wanted.
- A stream that cannot be written (`> /dev/full`, a closed descriptor) is one line on
  standard error, `evlint: error: cannot write the output: ...`, exit 2.
- A character the stream's encoding cannot show (`PYTHONIOENCODING=ascii`, a C locale) is
  written as a backslash escape instead of crashing.

Standard output is re-opened over a raw writer that turns its write errors into exceptions
of their own, so a full disk while evlint writes a fixed file is never mistaken for one
on standard output (and no `except OSError` on the way up swallows them).
"""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import NoReturn

EXIT_CLEAN, EXIT_ERROR = 0, 2


class ReaderGoneError(Exception):
    """Standard output's reader closed the pipe."""


class OutputFailedError(Exception):
    """Standard output cannot be written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _GuardedWriter(io.RawIOBase):
    def __init__(self, fd: int) -> None:
        super().__init__()
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        try:
            return os.write(self._fd, data)
        except BrokenPipeError as error:
            raise ReaderGoneError from error
        except OSError as error:
            raise OutputFailedError(error.strerror or str(error)) from error


def _bytes_or_escape(error: UnicodeError) -> tuple[str | bytes, int]:
    """A file name's undecodable bytes (held as lone surrogates) are written back as those
    bytes, as `ls` does; any other character the stream's encoding lacks becomes an escape."""
    if isinstance(error, UnicodeEncodeError):
        chunk = error.object[error.start : error.end]
        if all("\udc80" <= char <= "\udcff" for char in chunk):
            return bytes(ord(char) - 0xDC00 for char in chunk), error.end
    return codecs.backslashreplace_errors(error)


codecs.register_error("evlint-output", _bytes_or_escape)


def _guard(stream: io.TextIOWrapper) -> io.TextIOWrapper:
    raw = _GuardedWriter(stream.fileno())
    return io.TextIOWrapper(
        io.BufferedWriter(raw),  # type: ignore[type-var]
        encoding=stream.encoding,
        errors="evlint-output",
        line_buffering=stream.line_buffering,
    )


def _has_descriptor(stream: object) -> bool:
    try:
        return isinstance(stream, io.TextIOWrapper) and stream.fileno() >= 0
    except (OSError, ValueError):  # io.UnsupportedOperation: a test runner's in-memory stream
        return False


def _silence_stdout() -> None:
    """Point standard output at /dev/null so the interpreter's last flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass
    sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends


def _cannot_write(reason: str) -> NoReturn:
    _silence_stdout()
    with suppress(OSError, ValueError, AttributeError):
        print(f"evlint: error: cannot write the output: {reason}", file=sys.stderr, flush=True)
    sys.exit(EXIT_ERROR)


@contextmanager
def guarded_stdout() -> Iterator[None]:
    """Run a command that writes to standard output; flush it before leaving so a failed
    write is reported here, not by the interpreter at exit."""
    if sys.stdout is None:  # started with standard output closed (`evlint check . >&-`)
        _cannot_write("standard output is closed")
    if _has_descriptor(sys.stdout):
        sys.stdout.flush()
        sys.stdout = _guard(sys.stdout)  # type: ignore[arg-type]
    if isinstance(sys.stderr, io.TextIOWrapper) and sys.stderr.errors == "strict":
        sys.stderr.reconfigure(errors="evlint-output")
    try:
        try:
            yield
        finally:
            if not sys.stdout.closed:  # (the language server closes it when the client exits)
                sys.stdout.flush()
    except ReaderGoneError:
        _silence_stdout()
        sys.exit(EXIT_CLEAN)
    except OutputFailedError as error:
        _cannot_write(error.reason)
