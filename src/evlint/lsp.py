"""`evlint lsp`: a language server (pygls) that publishes evlint's findings for open files.

Each open, change and save lints the editor's text as the file at its path would be
linted by `evlint check` (that file's configuration, per-file-ignores, excludes, noqa).
Positions go out 0-based, in the position encoding the client negotiated (UTF-16 unless
it offers another), from evlint's 1-based character columns. A finding with a safe fix
offers it as a quick fix (`textDocument/codeAction`), imports included.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from evlint import __version__
from evlint.engine import source_lines
from evlint.fix.apply import fix_edits
from evlint.model import Applicability, Diagnostic, EvlintError, Location, Severity
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


class EvlintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("evlint", __version__)
        self.session = LintSession()
        # The last findings published per document: (document version, LSP and evlint forms).
        self.published: dict[str, tuple[int | None, list[tuple[types.Diagnostic, Diagnostic]]]] = {}

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

    def quick_fixes(self, document: TextDocument, wanted: types.Range) -> list[types.CodeAction]:
        """The safe fixes of the published findings that overlap `wanted`, as quick fixes."""
        version, pairs = self.published.get(document.uri, (None, []))
        if version != document.version:
            return []  # findings of an older text: their edits would land in the wrong place
        lines = source_lines(document.source)
        actions = []
        for lsp, diagnostic in pairs:
            fix = diagnostic.fix
            if fix is None or fix.applicability is not Applicability.SAFE or not _overlap(lsp.range, wanted):
                continue
            edits = [
                types.TextEdit(
                    range=_client_range(document, lines, edit.location, edit.end_location),
                    new_text=edit.content,
                )
                for edit in fix_edits(document.source, fix)
            ]
            actions.append(
                types.CodeAction(
                    title=f"{fix.message} ({diagnostic.code})",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[lsp],
                    edit=types.WorkspaceEdit(changes={document.uri: edits}),
                    is_preferred=True,
                )
            )
        return actions


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
    if diagnostic.suggestion:
        message += f"\nhelp: {diagnostic.suggestion}"
    return types.Diagnostic(
        range=_client_range(document, lines, diagnostic.location, diagnostic.end_location),
        message=message,
        severity=SEVERITIES[diagnostic.severity],
        code=diagnostic.code,
        code_description=types.CodeDescription(href=diagnostic.url) if diagnostic.url else None,
        source=SOURCE,
    )


def create_server() -> EvlintLanguageServer:
    server = EvlintLanguageServer()

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: EvlintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.publish(ls.workspace.get_text_document(params.text_document.uri))

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: EvlintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.publish(ls.workspace.get_text_document(params.text_document.uri))

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
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix]),
    )
    def code_action(ls: EvlintLanguageServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.quick_fixes(ls.workspace.get_text_document(params.text_document.uri), params.range)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: EvlintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.published.pop(params.text_document.uri, None)
        ls.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=params.text_document.uri, diagnostics=[])
        )

    return server


def serve() -> None:
    """Serve over standard input and output until the client says exit."""
    create_server().start_io()
