"""The `evlint` pre-commit hook, run by the real pre-commit (`try-repo`) in a real git repository.

pre-commit clones the hook repository and pip-installs it into an environment of its own,
so evlint's files are first committed to a temporary repository (try-repo would leave out
files not yet committed here). This takes a pip install, i.e. some seconds.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import MASAKARI_WRAPPER, ROOT

PACKAGE_FILES = ("pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "src", "rules")
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "evlint tests",
    "GIT_AUTHOR_EMAIL": "tests@evlint.invalid",
    "GIT_COMMITTER_NAME": "evlint tests",
    "GIT_COMMITTER_EMAIL": "tests@evlint.invalid",
}

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, env={**os.environ, **GIT_IDENTITY}
    )


def _commit_all(repo: Path) -> None:
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "snapshot")


def _hook_repo(tmp_path: Path) -> Path:
    """This checkout's package files, committed to a repository of their own."""
    repo = tmp_path / "evlint-hook-repo"
    for name in PACKAGE_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            repo.mkdir(exist_ok=True)
            shutil.copy2(source, repo / name)
    _commit_all(repo)
    return repo


def _try_repo(
    hook_repo: Path, project: Path, home: Path, hook: str = "evlint"
) -> subprocess.CompletedProcess[str]:
    pre_commit = Path(sys.executable).parent / "pre-commit"
    return subprocess.run(
        [str(pre_commit), "try-repo", str(hook_repo), hook, "--all-files", "--color", "never"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **GIT_IDENTITY, "PRE_COMMIT_HOME": str(home)},
    )


def test_the_hook_fails_on_a_violation_and_passes_once_it_is_fixed(tmp_path: Path) -> None:
    hook_repo = _hook_repo(tmp_path)
    project = tmp_path / "project"
    (project / "pkg").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        '[tool.evlint]\nextend-exclude = ["pkg/vendored.py"]\n', encoding="utf-8"
    )
    (project / "pkg" / "service.py").write_text(
        "import threading\nimport eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n",
        encoding="utf-8",
    )
    (project / "pkg" / "vendored.py").write_text("import eventlet\n", encoding="utf-8")  # excluded
    (project / "notes.txt").write_text("eventlet.spawn(worker)\n", encoding="utf-8")  # not Python
    (project / "requirements.txt").write_text("pbr>=2.0\neventlet>=0.30\n", encoding="utf-8")
    _commit_all(project)

    failed = _try_repo(hook_repo, project, tmp_path / "pre-commit-home")
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "evlint...................................................................Failed" in failed.stdout
    assert "pkg/service.py:6:5: EVL101" in failed.stdout
    assert "vendored.py" not in failed.stdout
    assert "notes.txt" not in failed.stdout
    assert "requirements.txt:2:1: EVL702" in failed.stdout  # the requirements rule runs in the hook too

    (project / "pkg" / "service.py").write_text(
        "import threading\n\n\ndef start(worker):\n    threading.Thread(target=worker).start()\n",
        encoding="utf-8",
    )
    _git(project, "add", "-A")
    passed = _try_repo(hook_repo, project, tmp_path / "pre-commit-home")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "evlint...................................................................Passed" in passed.stdout


def test_the_fix_hook_fixes_the_file_then_passes(tmp_path: Path) -> None:
    hook_repo = _hook_repo(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text('[tool.evlint]\nselect = ["M322"]\n', encoding="utf-8")
    (project / "engine.py").write_text("import eventlet\n\neventlet.spawn(work)\n", encoding="utf-8")
    for name, text in MASAKARI_WRAPPER.items():  # M322's fix is safe where the wrapper exists
        (project / name).parent.mkdir(exist_ok=True)
        (project / name).write_text(text, encoding="utf-8")
    _commit_all(project)

    fixed = _try_repo(hook_repo, project, tmp_path / "pre-commit-home", hook="evlint-fix")
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # pre-commit fails when a hook changes files
    assert "files were modified by this hook" in fixed.stdout
    assert (project / "engine.py").read_text(
        encoding="utf-8"
    ) == "from masakari import utils\n\nutils.spawn(work)\n"

    _git(project, "add", "-A")
    again = _try_repo(hook_repo, project, tmp_path / "pre-commit-home", hook="evlint-fix")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Passed" in again.stdout
