"""Running evlint as another user than the tests' (root in CI containers): `nobody`, via
setpriv, in a world-readable temporary directory. Tests skip with the reason elsewhere."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest

NOBODY = 65534


def skip_unless_root_can_drop_privileges() -> None:
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("needs root to run evlint as another user (here: not root)")
    if shutil.which("setpriv") is None:
        pytest.skip("needs setpriv (util-linux) to run evlint as another user")
    problem = _nobody_cannot_import_evlint()
    if problem:
        pytest.skip(f"`nobody` cannot import evlint from this Python (a private venv?): {problem}")


@functools.cache
def _nobody_cannot_import_evlint() -> str:
    command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    done = subprocess.run(
        [*command, sys.executable, "-c", "import evlint"],
        cwd="/",
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return "" if done.returncode == 0 else (done.stderr.strip().splitlines() or ["exit status"])[-1]


@contextmanager
def shared_directory() -> Iterator[Path]:
    """A directory `nobody` may enter (pytest's tmp_path is root's alone)."""
    directory = Path(tempfile.mkdtemp(prefix="evlint-unprivileged-"))
    try:
        directory.chmod(0o755)
        yield directory
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def run_as_nobody(args: Sequence[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """`python -m evlint ARGS` as nobody, with a cache directory of its own."""
    cache = cwd / ".nobody-cache"
    cache.mkdir(exist_ok=True)
    os.chown(cache, NOBODY, NOBODY)
    env = {**os.environ, "EVLINT_CACHE_DIR": str(cache), "HOME": str(cache)}
    command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    return subprocess.run(
        [*command, sys.executable, "-m", "evlint", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
