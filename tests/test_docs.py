"""The documentation site builds with warnings as errors, and its generated pages are complete.

`mkdocs build --strict` fails on a broken link or anchor, a page left out of the navigation,
an unknown `<!-- evlint:... -->` marker or a command without its section on the CLI page
(docs/hooks/evlint_docs.py); these tests also check that what is generated covers every
rule file and every option `evlint check --help` prints, so a stale page fails here.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli

MKDOCS = Path(sys.executable).parent / "mkdocs"

pytestmark = pytest.mark.skipif(not MKDOCS.exists(), reason="needs mkdocs (the dev extras)")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    site = tmp_path_factory.mktemp("docs") / "site"
    built = subprocess.run(
        [str(MKDOCS), "build", "--strict", "--config-file", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert built.returncode == 0, built.stdout + built.stderr
    yield site
    shutil.rmtree(site, ignore_errors=True)


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find("<h2", start)
    return html[start : end if end != -1 else len(html)]


def test_every_rule_file_has_a_generated_page(site: Path) -> None:
    rule_files = sorted((ROOT / "rules").rglob("*.yaml"))
    assert rule_files
    index = (site / "rules" / "index.html").read_text(encoding="utf-8")
    for path in rule_files:
        code = path.stem
        page = site / "rules" / code / "index.html"
        assert page.is_file(), f"no page for {path.relative_to(ROOT)}"
        text = page.read_text(encoding="utf-8")
        assert f"{code} " in text and path.relative_to(ROOT).as_posix() in text
        assert f'href="{code}/"' in index, f"the rules table does not link {code}"


def test_cli_page_lists_every_option_of_evlint_check(site: Path) -> None:
    help_text = run_cli(["check", "--help"]).stdout
    options = {
        option
        for line in help_text.splitlines()
        if re.match(r"^  -", line)
        for option in re.findall(r"(?<![\w-])--?[a-zA-Z][\w-]*", re.split(r"\s{2,}", line.strip())[0])
    }
    assert {"--select", "--fix", "-q", "--quiet", "--help"} <= options
    check = _section((site / "cli" / "index.html").read_text(encoding="utf-8"), "evlint-check")
    missing = sorted(option for option in options if f"<code>{option}</code>" not in check)
    assert missing == [], f"the CLI page's `evlint check` table lacks {missing}"


def test_cli_page_has_a_section_for_every_command(site: Path) -> None:
    listed = run_cli(["--help"]).stdout.split("Commands:", 1)[1]
    commands = re.findall(r"^  ([a-z][a-z-]*)", listed, re.MULTILINE)
    assert "check" in commands and "report" in commands
    html = (site / "cli" / "index.html").read_text(encoding="utf-8")
    for command in commands:
        assert f'id="evlint-{command}"' in html, f"no section for evlint {command}"
        assert f"evlint {command} [OPTIONS]" in _section(html, f"evlint-{command}")


def test_changelog_and_readme_links(site: Path) -> None:
    newest = re.search(r"^## (.+)$", (ROOT / "CHANGELOG.md").read_text(encoding="utf-8"), re.M)
    assert newest is not None
    assert newest.group(1) in (site / "changelog" / "index.html").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?:docs/)?[\w./-]+\.md|LICENSE)(?:#[\w-]+)?\)", readme)
    assert any(target.startswith("docs/") for target in targets)
    assert [target for target in targets if not (ROOT / target).is_file()] == []


def _docs_hooks() -> Any:
    spec = importlib.util.spec_from_file_location("evlint_docs", ROOT / "docs" / "hooks" / "evlint_docs.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_options_table_is_generated_from_the_click_definitions() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme == _docs_hooks().readme_with_options(readme), (
        "README.md's `evlint check` options are stale: run `python docs/hooks/evlint_docs.py --readme`"
    )


# ruff's `check` options that mean something for evlint (ruff 0.8+ spelling; `ruff check --help`).
RUFF_CHECK_OPTIONS = [
    "--fix",
    "--no-fix",
    "--unsafe-fixes",
    "--no-unsafe-fixes",
    "--show-fixes",
    "--no-show-fixes",
    "--diff",
    "--fix-only",
    "--ignore-noqa",
    "--output-format",
    "-o",
    "--output-file",
    "--config",
    "--select",
    "--ignore",
    "--extend-select",
    "--fixable",
    "--unfixable",
    "--extend-fixable",
    "--exclude",
    "--extend-exclude",
    "--extend-per-file-ignores",
    "--respect-gitignore",
    "--no-respect-gitignore",
    "--force-exclude",
    "-n",
    "--no-cache",
    "--cache-dir",
    "--stdin-filename",
    "-e",
    "--exit-zero",
    "--exit-non-zero-on-fix",
    "--statistics",
    "--show-files",
    "--show-settings",
    "--isolated",
    "--add-noqa",
    "-q",
    "--quiet",
    "-s",
    "--silent",
    "-h",
    "--help",
]


def test_a_ruff_users_check_options_are_accepted() -> None:
    help_text = run_cli(["check", "--help"]).stdout
    offered = set(re.findall(r"(?<![\w-])(-{1,2}[a-z][a-z-]*)", help_text))
    assert [option for option in RUFF_CHECK_OPTIONS if option not in offered] == []
