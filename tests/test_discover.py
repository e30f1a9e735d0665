"""Which files are checked: .gitignore, exclude, extend-exclude, --force-exclude."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.conftest import run_cli, write_files

CODE = "import eventlet\neventlet.spawn(f)\n"


def checked(*args: str) -> list[str]:
    result = run_cli(["check", "--select", "EVL101", "--output-format", "json", *args])
    return sorted(
        Path(item["filename"]).relative_to(Path.cwd()).as_posix() for item in json.loads(result.stdout)
    )


def test_gitignore_files_are_honoured_in_a_real_repository(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    write_files(
        project,
        {
            ".gitignore": "generated/\n*_pb2.py\n",
            "pkg/.gitignore": "local.py\n!keep_pb2.py\n",
            "a.py": CODE,
            "generated/b.py": CODE,
            "pkg/c.py": CODE,
            "pkg/x_pb2.py": CODE,
            "pkg/keep_pb2.py": CODE,
            "pkg/local.py": CODE,
            "notes.txt": CODE,
        },
    )
    assert checked() == ["a.py", "pkg/c.py", "pkg/keep_pb2.py"]


def test_git_info_exclude_is_honoured(project: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".git" / "info").mkdir(parents=True, exist_ok=True)
    (project / ".git" / "info" / "exclude").write_text("scratch.py\n", encoding="utf-8")
    write_files(project, {"a.py": CODE, "scratch.py": CODE})
    assert checked() == ["a.py"]


def test_gitignore_of_parent_applies_when_checking_a_subdirectory(project: Path) -> None:
    write_files(project, {".gitignore": "*_gen.py\n", "pkg/sub/a.py": CODE, "pkg/sub/b_gen.py": CODE})
    assert checked("pkg/sub") == ["pkg/sub/a.py"]


def test_default_excludes_and_extend_exclude(project: Path) -> None:
    write_files(
        project,
        {
            "pyproject.toml": '[tool.evlint]\nextend-exclude = ["legacy/", "*_old.py"]\n',
            "a.py": CODE,
            ".tox/py3/lib/x.py": CODE,
            ".venv/lib/y.py": CODE,
            "build/lib/z.py": CODE,
            "legacy/old.py": CODE,
            "pkg/mod_old.py": CODE,
        },
    )
    assert checked() == ["a.py"]


def test_exclude_replaces_the_defaults(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint]\nexclude = ["a.py"]\n', "a.py": CODE, "build/b.py": CODE}
    )
    assert checked() == ["build/b.py"]


def test_explicit_files_are_checked_unless_force_exclude(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint]\nextend-exclude = ["legacy/"]\n', "legacy/old.py": CODE}
    )
    assert checked("legacy/old.py") == ["legacy/old.py"]
    assert checked("legacy/old.py", "--force-exclude") == []


def test_respect_gitignore_false(project: Path) -> None:
    write_files(
        project,
        {
            "pyproject.toml": "[tool.evlint]\nrespect-gitignore = false\n",
            ".gitignore": "b.py\n",
            "a.py": CODE,
            "b.py": CODE,
        },
    )
    assert checked() == ["a.py", "b.py"]


def test_directories_are_walked_once_and_files_deduplicated(project: Path) -> None:
    write_files(project, {"pkg/a.py": CODE})
    assert checked("pkg", "pkg/a.py", ".") == ["pkg/a.py"]
