"""The fix stage: a rule's fix template turned into edits for one finding (`propose`), the
edits applied to a file in rounds, verified, with a diff (`apply`), and the imports the
edits need added and the ones they left unused removed, with libcst (`imports`).

This face re-exports what callers use of `apply`; code inside evlint imports from the
submodule itself.
"""

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
