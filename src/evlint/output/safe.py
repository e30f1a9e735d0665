"""Text from the checked tree made safe for a terminal.

File names and source lines are whatever the tree holds: an escape sequence in either
(`\\x1b]0;...`, `\\x1b[2J`) would retitle, clear or recolour the user's terminal, a
newline in a name would forge a finding line, and bidirectional overrides (Trojan Source)
would show code other than what is there. The human-readable formats print each such
character as a visible escape (`\\x1b`, `\\u202e`); tabs stay tabs.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """`text` with control and bidirectional-override characters written as escapes."""
    return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
