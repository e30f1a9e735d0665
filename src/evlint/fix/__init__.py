"""The fix stage: a rule's fix template turned into edits for one finding (`propose`), the
edits applied to a file in rounds, verified, with a diff (`apply`), and the imports the
edits need added and the ones they left unused removed, with libcst (`imports`).

This face re-exports what callers use of `apply`; code inside evlint imports from the
submodule itself. The names are loaded when first asked for: the engine imports
`evlint.fix.propose`, which runs this file, and a lint that fixes nothing does not
need `apply` (nor difflib).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evlint.fix.apply import (
        MAX_ROUNDS,
        FixedSource,
        FixRefusedError,
        fix_edits,
        fix_source,
        is_applicable,
        unified_diff,
    )

__all__ = [
    "MAX_ROUNDS",
    "FixRefusedError",
    "FixedSource",
    "fix_edits",
    "fix_source",
    "is_applicable",
    "unified_diff",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from evlint.fix import apply

        return getattr(apply, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
