"""File names that are not UTF-8: on POSIX a path is bytes, which Python carries in a `str`
with lone surrogates (PEP 383, `os.fsdecode`). evlint keeps them so through every stage,
and turns them back into the original bytes, or an escape, only at the edges."""

from __future__ import annotations

import os
import sys
import urllib.parse
from typing import TextIO


def hashable(text: str) -> bytes:
    """Bytes for a digest: any `str`, lone surrogates included, never raises."""
    return text.encode("utf-8", "surrogatepass")


def escape_undecodable(text: str) -> str:
    """`text` with each lone surrogate written as `\\udcff`: in a JSON document (whose
    strings are the only place a path goes) exactly the escape that reads back as the same
    `str`; in Markdown or HTML an honest rendering of a byte that is not UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def uri_path(path: str) -> str:
    """A relative path percent-encoded from its bytes, for a URI (`b_\\xff.py` -> `b_%FF.py`)."""
    return urllib.parse.quote(os.fsencode(path))


def pass_undecodable_names(*streams: TextIO) -> None:
    """Let a UTF-8 text stream write a non-UTF-8 file name as its original bytes (as `ls`
    and compilers do), rather than crash on it: `surrogateescape` instead of `strict`."""
    for stream in streams or (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").replace("-", "").lower()
        strict = getattr(stream, "errors", None) == "strict"
        if encoding == "utf8" and strict and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")
