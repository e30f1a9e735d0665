"""The wheel carries the rules and the schema, so an installed evlint works from any folder;
the README is a front page that installs evlint the ways that work (it is not on PyPI)."""

from __future__ import annotations

import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def test_wheel_contains_rules_and_schema(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("evlint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    bundled = {p.relative_to(ROOT).as_posix() for p in (ROOT / "rules").rglob("*.yaml")}
    assert bundled, "no bundled rules found"
    assert {f"evlint/{name}" for name in bundled} <= names
    assert "evlint/schema/rule.schema.json" in names
    assert "evlint/py.typed" in names
    assert "evlint-0.2.0.dist-info/licenses/LICENSE" in names


def test_sdist_contains_license_changelog_and_docs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "sdist", "-d", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (sdist,) = tmp_path.glob("evlint-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"LICENSE", "CHANGELOG.md", "README.md", "mkdocs.yml", "docs/index.md"} <= names
    assert "docs/hooks/evlint_docs.py" in names


def test_license_file_is_the_license_pyproject_declares() -> None:
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'license = "Apache-2.0"' in pyproject
    license_text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert "Apache License" in license_text and "Version 2.0, January 2004" in license_text
    assert "END OF TERMS AND CONDITIONS" in license_text


def test_readme_starts_with_the_two_fresh_machine_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_block = readme.split("```", 2)[1]
    commands = [line for line in first_block.splitlines()[1:] if line.strip() and not line.startswith("#")]
    assert len(commands) == 2
    assert "evlint check examples/masakari-style" in commands[0]
    assert "pytest" in commands[1] and ".[dev]" in commands[1]
    assert (ROOT / "examples" / "masakari-style").is_dir()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "pytest" in ci


def test_readme_is_a_front_page() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    # a front page: what evlint is, the two commands, the generated options table and the
    # robustness table (both asked of the README), links to docs/ for everything else
    assert len(readme.splitlines()) <= 220


def test_no_page_installs_evlint_by_name_from_the_package_index() -> None:
    """evlint is not on PyPI: `pip install evlint` would fail or install someone else's package."""
    by_name = re.compile(
        r"pip install\s+(?:-\S+\s+)*(['\"]?)evlint(?:\[[a-z,]+\])?\1(?=\s|$)(?!\s+@)", re.MULTILINE
    )
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "examples" / "ci").glob("*")]
    offending = [
        page.relative_to(ROOT).as_posix() for page in pages if by_name.search(page.read_text("utf-8"))
    ]
    assert offending == []


def test_every_pinned_rev_is_this_version_and_the_changelog_has_it() -> None:
    """The pre-commit snippets' `rev:` and the git-URL installs name the tag of this version,
    which the changelog records (the tag is made when the version is released)."""
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)
    assert version is not None
    from evlint import __version__

    assert __version__ == version.group(1)
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "examples" / "ci").glob("*")]
    pins = re.compile(r"(?:rev:\s*|evlint\.git@)(v[0-9][^\s\"']*)")
    found = {pin for page in pages for pin in pins.findall(page.read_text("utf-8"))}
    assert found == {f"v{__version__}"}
    assert re.search(rf"^## {re.escape(__version__)}\b", (ROOT / "CHANGELOG.md").read_text("utf-8"), re.M)
