"""The language server's code actions, as edits of the editor's text.

- each finding's fix: a safe one as the preferred quick fix, an unsafe one marked
  "(unsafe)" in its title and never preferred (display-only fixes are not offered);
- "Disable CODE for this line": a noqa comment naming CODE on the line the finding's
  noqa is read from, merged into one that names other codes;
- "Fix all evlint findings" (`source.fixAll.evlint`): every safe fix, as `--fix` applies
  them, in one edit of the whole document.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from lsprotocol import types

from evlint.fix.apply import fix_edits, fix_source, is_applicable
from evlint.model import Applicability, Diagnostic, Edit, Location

FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.evlint"
# A bare noqa comment, or one with codes (what suppress.py reads), the codes captured
_CODE = r"[A-Z]+[0-9]+"
_NOQA = re.compile(rf"#\s*noqa(?::[ \t]*(?P<codes>{_CODE}(?:[ \t]*,[ \t]*{_CODE})*))?", re.IGNORECASE)

# A range in the client's units, from evlint's 1-based character locations.
ToRange = Callable[[Location, Location], types.Range]


def fix_actions(
    uri: str, lsp: types.Diagnostic, diagnostic: Diagnostic, source: str, to_range: ToRange
) -> list[types.CodeAction]:
    fix = diagnostic.fix
    if fix is None or not is_applicable(fix, unsafe=True):
        return []
    unsafe = fix.applicability is Applicability.UNSAFE
    edits = [
        types.TextEdit(range=to_range(edit.location, edit.end_location), new_text=edit.content)
        for edit in fix_edits(source, fix)
    ]
    title = f"{fix.message} ({diagnostic.code}{', unsafe' if unsafe else ''})"
    return [
        types.CodeAction(
            title=title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[lsp],
            edit=types.WorkspaceEdit(changes={uri: edits}),
            is_preferred=not unsafe,
        )
    ]


def noqa_action(
    uri: str, lsp: types.Diagnostic, diagnostic: Diagnostic, lines: Sequence[str], to_range: ToRange
) -> types.CodeAction | None:
    row = diagnostic.noqa_row or diagnostic.location.row
    if not 0 < row <= len(lines):
        return None
    edit = _noqa_edit(lines[row - 1], row, diagnostic.code)
    if edit is None:
        return None
    return types.CodeAction(
        title=f"Disable {diagnostic.code} for this line",
        kind=types.CodeActionKind.QuickFix,
        diagnostics=[lsp],
        edit=types.WorkspaceEdit(
            changes={
                uri: [types.TextEdit(range=to_range(edit.location, edit.end_location), new_text=edit.content)]
            }
        ),
    )


def _noqa_edit(line: str, row: int, code: str) -> Edit | None:
    """The edit that makes `line` (row `row`) suppress `code`; None if it already does."""
    comments = list(_NOQA.finditer(line))
    found = comments[-1] if comments else None  # the last comment on the line decides
    if found is None:
        end = Location(row, len(line.rstrip()) + 1)
        return Edit(f"  # noqa: {code}", end, Location(row, len(line) + 1))  # (a template)
    codes = found["codes"]
    if codes is None or code in re.split(r"[ \t]*,[ \t]*", codes.upper()):
        return None  # a bare noqa comment suppresses everything
    at = Location(row, found.end("codes") + 1)
    return Edit(f", {code}", at, at)


def fix_all_action(
    uri: str,
    source: str,
    diagnostics: Sequence[Diagnostic],
    lint: Callable[[str], Sequence[Diagnostic]],
    whole: types.Range,
) -> types.CodeAction | None:
    """Every safe fix applied until nothing changes, as `evlint check --fix` does."""
    if not any(is_applicable(d.fix, unsafe=False) for d in diagnostics):
        return None
    fixed = fix_source(source, lint, unsafe=False, diagnostics=diagnostics)
    if fixed.text == source:
        return None
    return types.CodeAction(
        title="Fix all evlint findings (safe fixes)",
        kind=FIX_ALL_KIND,
        edit=types.WorkspaceEdit(changes={uri: [types.TextEdit(range=whole, new_text=fixed.text)]}),
    )
