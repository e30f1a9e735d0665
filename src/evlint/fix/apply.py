"""Apply fixes: edits, then imports with libcst's codemod helpers, verified, written atomically.

A file's fixes are applied together (overlapping ones wait for the next round), the
imports they need are added and the ones they left unused removed, and the result must
parse before anything is kept. `fix_source` repeats lint-and-fix until nothing changes.
"""

from __future__ import annotations

import ast
import bisect
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from evlint.fix.imports import ImportEditError, manage_imports
from evlint.fix.propose import SourceText
from evlint.gcpause import no_cyclic_gc
from evlint.model import Applicability, Diagnostic, Edit, Fix, ImportRef
from evlint.pyparse import parse

MAX_ROUNDS = 10


class FixRefusedError(Exception):
    """The fixed code would not be valid; the file is left as it was."""


@dataclass(frozen=True)
class Applied:
    text: str
    fixes: int


def is_applicable(fix: Fix | None, *, unsafe: bool) -> bool:
    if fix is None:
        return False
    if fix.applicability is Applicability.SAFE:
        return True
    return unsafe and fix.applicability is Applicability.UNSAFE


def apply_fixes(text: str, fixes: Sequence[Fix]) -> Applied:
    """`text` with every fix whose edits do not overlap an earlier one applied."""
    source = SourceText(text)
    taken = _Taken()
    accepted: list[Fix] = []
    for fix in sorted(fixes, key=lambda f: _first_offset(source, f)):
        spans = sorted(
            (source.offset(e.location), source.offset(e.end_location), e.content) for e in fix.edits
        )
        if _clash_within(spans) or any(taken.clashes(span) for span in spans):
            continue  # (a fix whose own edits clash would garble the text: never applied)
        taken.add(spans)
        accepted.append(fix)
    if not accepted:
        return Applied(text, 0)
    edited = _splice(text, sorted(taken.spans))
    del taken
    try:
        new_text = manage_imports(  # (its tree not kept here: one syntax tree alive at a time)
            edited,
            verify(edited),
            add=_unique(ref for fix in accepted for ref in fix.add_imports),
            remove=_unique(ref for fix in accepted for ref in fix.remove_if_unused),
        )
    except ImportEditError as error:
        raise FixRefusedError(str(error)) from None
    if new_text != edited:
        verify(new_text)
    return Applied(new_text, len(accepted))


def _first_offset(source: SourceText, fix: Fix) -> int:
    return min((source.offset(edit.location) for edit in fix.edits), default=0)


Span = tuple[int, int, str]  # start and end offsets, and the text put there


class _Taken:
    """The spans of the fixes accepted so far, sorted by (start, end).

    No two of them clash (`_overlaps`), so their ends are in order too, and a new span can
    clash only with those around the place it would go: a lookup, not a pass over every
    span taken (a file with half a million fixes took minutes that way)."""

    def __init__(self) -> None:
        self.spans: list[Span] = []

    def clashes(self, span: Span) -> bool:
        spans, (start, end, _) = self.spans, span
        at = bisect.bisect_left(spans, (start, start), key=_bounds)
        before = at - 1
        while before >= 0 and spans[before][1] >= start:  # (earlier ones end before `start`)
            if _overlaps(span, spans[before]):
                return True
            before -= 1
        after = at
        while after < len(spans) and spans[after][0] <= end:  # (later ones start after `end`)
            if _overlaps(span, spans[after]):
                return True
            after += 1
        return False

    def add(self, spans: Iterable[Span]) -> None:
        for span in spans:
            bisect.insort(self.spans, span, key=_bounds)


def _clash_within(spans: Sequence[Span]) -> bool:
    return any(_overlaps(span, other) for index, span in enumerate(spans) for other in spans[index + 1 :])


def _bounds(span: Span) -> tuple[int, int]:
    return span[0], span[1]


def _overlaps(span: tuple[int, int, str], other: tuple[int, int, str]) -> bool:
    (start, end, _), (other_start, other_end, _) = span, other
    if start == end or other_start == other_end:  # insertions clash only at the same point
        return other_start < start < other_end or start < other_start < end or start == other_start
    return start < other_end and other_start < end


def _splice(text: str, spans: Sequence[tuple[int, int, str]]) -> str:
    parts: list[str] = []
    position = 0
    for start, end, content in spans:
        parts.append(text[position:start])
        parts.append(content)
        position = end
    parts.append(text[position:])
    return "".join(parts)


def _unique(refs: Iterable[ImportRef]) -> list[ImportRef]:
    return list(dict.fromkeys(refs))


def verify(text: str) -> ast.Module:
    """The parsed fixed code; FixRefusedError if it does not parse."""
    try:
        return parse(text)
    except (SyntaxError, ValueError) as error:
        row = getattr(error, "lineno", None) or 1
        raise FixRefusedError(
            f"the fixed code would not parse (line {row}: {getattr(error, 'msg', error)})"
        ) from None


@dataclass(frozen=True)
class FixedSource:
    text: str
    fixes: int
    diagnostics: tuple[Diagnostic, ...]  # what remains after fixing
    converged: bool = True  # False: fixes still pending after the last round


def fix_source(
    text: str,
    lint: Callable[[str], Sequence[Diagnostic]],
    *,
    unsafe: bool,
    rounds: int = MAX_ROUNDS,
    display_only: bool = False,
    diagnostics: Sequence[Diagnostic] | None = None,
) -> FixedSource:
    """Lint, apply the applicable fixes, lint again, until a round changes nothing.

    `diagnostics`: the text's findings if already known (skips the first lint).
    `display_only` also applies the fixes users are never offered (for rules' own examples).
    """
    with no_cyclic_gc():  # (each round parses the whole file two or three times)
        return _fix_rounds(text, lint, unsafe, rounds, display_only, diagnostics)


def _fix_rounds(
    text: str,
    lint: Callable[[str], Sequence[Diagnostic]],
    unsafe: bool,
    rounds: int,
    display_only: bool,
    diagnostics: Sequence[Diagnostic] | None,
) -> FixedSource:
    fixed = 0
    if diagnostics is None:
        diagnostics = lint(text)
    for _ in range(rounds):
        fixes = [
            d.fix
            for d in diagnostics
            if d.fix is not None and (display_only or is_applicable(d.fix, unsafe=unsafe))
        ]
        if not fixes:
            return FixedSource(text, fixed, tuple(diagnostics))
        applied = apply_fixes(text, fixes)
        if applied.text == text:
            return FixedSource(text, fixed, tuple(diagnostics))
        text, fixed = applied.text, fixed + applied.fixes
        del fixes, applied
        diagnostics = ()  # (a round's findings and fixes are let go before the next lint)
        diagnostics = lint(text)
    return FixedSource(text, fixed, tuple(diagnostics), converged=False)


def fix_edits(text: str, fix: Fix) -> tuple[Edit, ...]:
    """Every edit the fix makes to `text` on its own, imports included (for JSON and editors)."""
    if not fix.add_imports and not fix.last_use:
        return fix.edits
    try:
        fixed = apply_fixes(text, [fix]).text
    except FixRefusedError:
        return fix.edits
    return text_edits(text, fixed)


def text_edits(old: str, new: str) -> tuple[Edit, ...]:
    """The smallest line-block edits that turn `old` into `new`, trimmed to the changed characters."""
    source = SourceText(old)
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        start = source.line_starts[i1] if i1 < len(source.line_starts) else len(old)
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        prefix = _common_prefix(before, after)
        suffix = _common_prefix(before[prefix:][::-1], after[prefix:][::-1])
        old_end, new_end = len(before) - suffix, len(after) - suffix
        edits.append(source.edit(start + prefix, start + old_end, after[prefix:new_end]))
    return tuple(edits)


def _common_prefix(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


def unified_diff(path: str, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines
    )
