"""evlint as a flake8 plugin, for projects whose `tox -e pep8` runs flake8 (with hacking).

Registered in the `flake8.extension` entry-point group under the code prefix `EVL`, and
off by default, like hacking's opt-in checks: enable it with `enable-extensions = EVL` in
flake8's configuration (or `flake8 --enable-extensions EVL`).

Only the eventlet pack's `EVL` codes are reported through flake8. The openstack pack's
codes (M322, N340, N373, H905, ...) are the codes of the hacking checks a project already
registers with flake8 (`[flake8:local-plugins]`, hacking's own H905): reported here too,
they would come out twice under one code and no `select`/`ignore` could tell the two
apart. Use `evlint check` for those, or drop the local check (see the README).

Which EVL rules run, their options and per-file-ignores come from evlint's configuration
([tool.evlint] in the nearest pyproject.toml); flake8's `--select`/`--ignore`/`# noqa`
then filter what it shows, as for any plugin.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flake8.exceptions import ExecutionError

from evlint import __version__
from evlint.model import EvlintError, Rule
from evlint.session import LintSession

CODE_PREFIX = "EVL"


def _is_evlint_code(rule: Rule) -> bool:
    return rule.id.startswith(CODE_PREFIX)


# flake8 makes one checker per file (in each worker process): configurations load once.
_SESSION = LintSession(_is_evlint_code)


class EvlintChecker:
    name = "evlint"
    version = __version__
    off_by_default = True

    def __init__(self, tree: ast.AST, filename: str, lines: list[str]) -> None:
        # `tree` makes this an AST plugin (run once per file, and not on files that do not
        # parse); the engine parses the text itself, with its own positions.
        del tree
        self.filename = filename
        self.lines = lines

    def run(self) -> Iterator[tuple[int, int, str, type[Any]]]:
        try:
            result = _SESSION.lint(Path(self.filename), "".join(self.lines))
        except EvlintError as error:  # a broken [tool.evlint]: flake8 stops with this one line
            raise ExecutionError(f"evlint: {error}") from None
        for diagnostic in result.diagnostics:
            if diagnostic.code.startswith(CODE_PREFIX):
                # flake8 columns are 0-based offsets; evlint's are 1-based.
                message = f"{diagnostic.code} {diagnostic.message}"
                yield diagnostic.location.row, diagnostic.location.column - 1, message, type(self)
