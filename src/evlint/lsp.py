"""`evlint lsp`: a language server (pygls) that publishes evlint's findings for open files.

Each open, change and save lints the editor's text as the file at its path would be
linted by `evlint check` (that file's configuration, per-file-ignores, excludes, noqa).
Positions go out 0-based, in the position encoding the client negotiated (UTF-16 unless
it offers another), from evlint's 1-based character columns. Code actions
(`textDocument/codeAction`, see evlint.lsp_actions): each finding's fix (an unsafe one
marked as such), "disable for this line" (a noqa comment), and fixing everything safe.
Each diagnostic links its rule's documentation page (`codeDescription`).

Typing is debounced: a change is linted once the buffer has been quiet for DEBOUNCE_SECONDS,
so a burst of keystrokes in a large file costs one lint, not one per keystroke. A buffer
over `max-file-size` is reported, not linted, as `evlint check` does; a message header
announcing more than MAX_MESSAGE_BYTES is skipped without reading it into memory.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import BinaryIO

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path
from pygls.workspace import TextDocument

from evlint import __version__
from evlint.engine import source_lines
from evlint.lsp_actions import FIX_ALL_KIND, fix_actions, fix_all_action, noqa_action
from evlint.model import Diagnostic, EvlintError, Location, Severity
from evlint.session import LintSession

SOURCE = "evlint"
SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}
# Saving one of these may change what every open file reports.
_CONFIG_NAMES = ("pyproject.toml", "evlint.toml")
_RULE_SUFFIXES = (".yaml", ".yml")
DEBOUNCE_SECONDS = 0.3
MAX_MESSAGE_BYTES = 256 * 1024 * 1024


class EvlintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("evlint", __version__)
        self.session = LintSession()
        # The last findings published per document: (document version, LSP and evlint forms).
        self.published: dict[str, tuple[int | None, list[tuple[types.Diagnostic, Diagnostic]]]] = {}
        self._pending: dict[str, asyncio.TimerHandle] = {}

    def publish_soon(self, uri: str) -> None:
        """Lint `uri` once it has had no change for DEBOUNCE_SECONDS (a later change restarts the wait)."""
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(DEBOUNCE_SECONDS, self._publish_pending, uri)

    def _publish_pending(self, uri: str) -> None:
        self._pending.pop(uri, None)
        document = self.workspace.text_documents.get(uri)
        if document is not None:
            self.publish(document)

    def forget_document(self, uri: str) -> None:
        pending = self._pending.pop(uri, None)
        if pending is not None:
            pending.cancel()
        self.published.pop(uri, None)

    def publish(self, document: TextDocument) -> None:
        """Lint the document's current text and publish the findings (an empty list clears them)."""
        if document.path is None or not document.uri.startswith("file:"):
            return
        try:
            result = self.session.lint(Path(document.path), document.source)
        except EvlintError as error:
            self.window_show_message(types.ShowMessageParams(types.MessageType.Error, f"evlint: {error}"))
            return
        lines = source_lines(document.source)
        pairs = [(lsp_diagnostic(d, document, lines), d) for d in result.diagnostics]
        self.published[document.uri] = (document.version, pairs)
        diagnostics = [lsp for lsp, _ in pairs]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=document.uri, diagnostics=diagnostics, version=document.version
            )
        )

    def files_changed(self, paths: Sequence[Path]) -> bool:
        """Files changed on disk: a configuration or rule file changes every open file's
        findings; a Python module may change its project's index, and so its open files'.
        Whether every open file was linted again."""
        settings = any(path.name in _CONFIG_NAMES or path.name.endswith(_RULE_SUFFIXES) for path in paths)
        if settings:
            self.session.forget()
        modules = [path for path in paths if path.suffix == ".py"]
        self.session.files_changed(modules)
        if settings or modules:
            self.publish_all()
            return True
        return False

    def publish_all(self) -> None:
        for document in list(self.workspace.text_documents.values()):
            self.publish(document)

    def code_actions(self, document: TextDocument, params: types.CodeActionParams) -> list[types.CodeAction]:
        """Fixes and noqa for the published findings that overlap the range, and fix-all."""
        version, pairs = self.published.get(document.uri, (None, []))
        if version != document.version:
            return []  # findings of an older text: their edits would land in the wrong place
        lines = source_lines(document.source)

        def to_range(start: Location, end: Location) -> types.Range:
            return _client_range(document, lines, start, end)

        only = params.context.only
        actions: list[types.CodeAction] = []
        if not only or any(kind.startswith(types.CodeActionKind.QuickFix) for kind in only):
            for lsp, diagnostic in pairs:
                if _overlap(lsp.range, params.range):
                    actions += fix_actions(document.uri, lsp, diagnostic, document.source, to_range)
                    noqa = noqa_action(document.uri, lsp, diagnostic, lines, to_range)
                    actions += [noqa] if noqa is not None else []
        if not only or any(FIX_ALL_KIND.startswith(kind) for kind in only):
            fix_all = self._fix_all(document, [d for _, d in pairs], lines)
            actions += [fix_all] if fix_all is not None else []
        return actions

    def _fix_all(
        self, document: TextDocument, diagnostics: list[Diagnostic], lines: Sequence[str]
    ) -> types.CodeAction | None:
        path = Path(document.path or "")

        def lint(text: str) -> tuple[Diagnostic, ...]:
            return self.session.lint(path, text).diagnostics

        end = Location(len(lines), len(lines[-1]) + 1)
        whole = _client_range(document, lines, Location(1, 1), end)
        try:
            return fix_all_action(document.uri, document.source, diagnostics, lint, whole)
        except EvlintError:
            return None


def _overlap(first: types.Range, second: types.Range) -> bool:
    """Whether the ranges share a line: editors ask for the actions at the cursor's line."""
    return first.start.line <= second.end.line and second.start.line <= first.end.line


def _client_range(
    document: TextDocument, lines: Sequence[str], start: Location, end: Location
) -> types.Range:
    """evlint's 1-based character locations as a 0-based range in the client's units.

    `lines` split as Python does (CR, LF, CRLF): pygls' own `lines` also split at form feeds.
    """
    code_points = types.Range(
        start=types.Position(line=start.row - 1, character=start.column - 1),
        end=types.Position(line=end.row - 1, character=end.column - 1),
    )
    return document.position_codec.range_to_client_units(lines, code_points)


def lsp_diagnostic(diagnostic: Diagnostic, document: TextDocument, lines: Sequence[str]) -> types.Diagnostic:
    """An evlint finding as an LSP diagnostic in the client's units."""
    message = diagnostic.message
    url = diagnostic.url  # the rule's page on the docs site (`docs-url`), or its own `url`
    if diagnostic.suggestion:
        message += f"\nhelp: {diagnostic.suggestion}"
    return types.Diagnostic(
        range=_client_range(document, lines, diagnostic.location, diagnostic.end_location),
        message=message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=url) if url else None,
        source=SOURCE,
        related_information=_made_at(diagnostic, document, lines),
    )


def _made_at(
    diagnostic: Diagnostic, document: TextDocument, lines: Sequence[str]
) -> list[types.DiagnosticRelatedInformation] | None:
    """An object-flow finding's constructor, in this document or another file (whose text
    the server has not read: the start of its line)."""
    origin = diagnostic.made_at
    if origin is None:
        return None
    if origin.path == diagnostic.path and origin.column is not None:
        start = Location(origin.row, origin.column)
        where = types.Location(uri=document.uri, range=_client_range(document, lines, start, start))
    else:
        position = types.Position(line=origin.row - 1, character=0)
        uri = from_fs_path(os.path.abspath(origin.path)) or origin.path
        where = types.Location(uri=uri, range=types.Range(start=position, end=position))
    return [types.DiagnosticRelatedInformation(location=where, message="the eventlet object is made here")]


def create_server() -> EvlintLanguageServer:
    server = EvlintLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: EvlintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    async def did_change(ls: EvlintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish_soon(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: EvlintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        document = ls.workspace.get_text_document(params.text_document.uri)
        if not ls.files_changed([Path(document.path)] if document.path else []):
            ls.publish(document)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(ls: EvlintLanguageServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [
            Path(to_fs_path(change.uri) or "") for change in params.changes if change.uri.startswith("file:")
        ]
        ls.files_changed(paths)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: EvlintLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(ls.workspace.get_text_document(params.text_document.uri), params)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EvlintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.forget_document(params.text_document.uri)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    return server


class BoundedStdin:
    """Standard input for pygls' reader: a body over MAX_MESSAGE_BYTES (a corrupt or hostile
    `Content-Length`) is read and dropped in small pieces rather than allocated at once; the
    server then answers it as an unparsable message and goes on."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readline(self) -> bytes:
        return self._stream.readline()

    def read(self, size: int) -> bytes:
        if size <= MAX_MESSAGE_BYTES:
            return self._stream.read(size)
        left = size
        while left > 0:
            chunk = self._stream.read(min(left, 1 << 20))
            if not chunk:
                return b""  # the client went away mid-message
            left -= len(chunk)
        return b"\0"  # not JSON: logged and skipped


def serve() -> None:
    """Serve over standard input and output until the client says exit."""
    create_server().start_io(stdin=BoundedStdin(sys.stdin.buffer))  # type: ignore[arg-type]
