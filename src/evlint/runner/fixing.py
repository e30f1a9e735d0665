"""Writing fixes: each file with applicable fixes fixed (or diffed), re-linted until the
fixes settle, and written atomically only inside the paths given."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from evlint.deepstack import with_deep_stack
from evlint.internal import capture
from evlint.lint_file import crashed
from evlint.model import Diagnostic, FileResult
from evlint.pyparse import source_encoding

if TYPE_CHECKING:
    from evlint.index.namer import ModuleNamer
    from evlint.runner.jobs import Linter, Pending

_LONE_CR = re.compile(r"\r(?!\n)")


@dataclass(frozen=True)
class FixMode:
    """--fix (write) or --diff (show, write nothing); unsafe: --unsafe-fixes."""

    unsafe: bool = False
    write: bool = True
    # Where writing is allowed: the paths given, resolved.
    roots: tuple[Path, ...] = ()


def with_fixes(
    results: Sequence[FileResult],
    pending: Sequence[Pending],
    linter: Linter,
    namer: ModuleNamer,
    mode: FixMode,
    review: Review | None = None,
) -> list[FileResult]:
    """`results` with the files that were linted (`pending`) fixed as `mode` says; `review`
    adjusts each round's findings as the check's were (see runner.project_names)."""
    linted = {entry.shown: entry for entry in pending}
    return [
        _fixed(result, linted[result.path], linter, namer, mode, review) if result.path in linted else result
        for result in results
    ]


Review = Callable[[Iterable[Diagnostic]], tuple[Diagnostic, ...]]


def _fixed(
    result: FileResult,
    entry: Pending,
    linter: Linter,
    namer: ModuleNamer,
    mode: FixMode,
    review: Review | None,
) -> FileResult:
    """The file (`entry.source`, as checked) after its fixes, written to its path unless
    mode.write is off (--diff, standard input); refused fixes leave it alone."""
    from evlint.atomic import ChangedSinceReadError, write_atomically
    from evlint.engine import lint_text
    from evlint.fix.apply import MAX_ROUNDS, FixRefusedError, fix_source, is_applicable, unified_diff
    from evlint.unused_noqa import apply_noqa_checked

    if not any(is_applicable(d.fix, unsafe=mode.unsafe) for d in result.diagnostics):
        return result
    rules = linter.compiled.get(entry.active)
    module = namer.context(entry.path) if linter.index is not None else None

    def lint(text: str) -> tuple[Diagnostic, ...]:
        report = lint_text(result.path, text, rules, module, linter.index)
        kept = apply_noqa_checked(report.diagnostics, text, rules.rules[: rules.reportable], result.path)
        return review(kept) if review is not None else tuple(kept)

    source = entry.source
    try:
        encoding = source_encoding(source)
        original = source.decode(encoding)
        try:
            fixed = fix_source(original, lint, unsafe=mode.unsafe, diagnostics=result.diagnostics)
        except RecursionError:  # deeply nested code: again with room for it (evlint.deepstack)
            fixed = with_deep_stack(
                lambda: fix_source(original, lint, unsafe=mode.unsafe, diagnostics=result.diagnostics)
            )
        if not fixed.converged:
            raise FixRefusedError(
                f"the fixes did not settle after {MAX_ROUNDS} rounds (rules that undo each other?)"
            )
        if fixed.text == original:
            return result
        if not mode.write and _LONE_CR.search(original):
            raise FixRefusedError(
                "its lines end in lone carriage returns, which patch and git apply do not read"
                " as line ends: no diff is shown (--fix applies the fixes)"
            )
        data = fixed.text.encode(encoding)
        if mode.write:
            if entry.path.is_symlink():
                raise FixRefusedError("it is a symbolic link; fix the file it points to")
            if not _inside(entry.path, mode.roots):
                raise FixRefusedError("it is outside the paths given (reached through a symbolic link)")
            write_atomically(entry.path, data, expected=source)
    except ChangedSinceReadError:
        return replace(result, fix_error="fixes not applied: the file changed since it was checked")
    except (FixRefusedError, OSError, UnicodeError, SyntaxError, RecursionError) as error:
        return replace(result, fix_error=f"fixes not applied: {error}")
    except Exception as error:  # a bug in a fix: reported, the file left as it was
        crash = capture(error, result.path, "fixing")
        return replace(crashed(result.path, crash, result), fix_error="fixes not applied: internal error")
    diff = "" if mode.write else unified_diff(result.path, original, fixed.text)
    crashes = result.internal_errors
    kept = (*fixed.diagnostics, *(crash.diagnostic() for crash in crashes))
    text = fixed.text if kept else ""
    return FileResult(
        result.path,
        kept,
        text,
        fixed=fixed.fixes,
        diff=diff,
        fixed_source=data,
        internal_errors=crashes,
        fixed_codes=_fixed_codes(result.diagnostics, fixed.diagnostics, mode),
    )


def _fixed_codes(before: Sequence[Diagnostic], after: Sequence[Diagnostic], mode: FixMode) -> tuple[str, ...]:
    """The codes of the fixable findings that fixing made go away."""
    from collections import Counter

    from evlint.fix.apply import is_applicable

    fixable = Counter(d.code for d in before if is_applicable(d.fix, unsafe=mode.unsafe))
    return tuple(sorted((fixable - Counter(d.code for d in after)).elements()))


def _inside(path: Path, roots: Sequence[Path]) -> bool:
    """Whether `path`, symbolic links resolved, is one of `roots` or below one."""
    real = path.resolve()
    return any(real == root or real.is_relative_to(root) for root in roots)
