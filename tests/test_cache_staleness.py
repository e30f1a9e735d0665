"""The result cache never serves a stale answer: a change of max-file-size, or a same-size
rewrite whose mtime was put back (`touch -d`, `cp -p`, `tar x`)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tests.conftest import run_cli, write_files

SLEEPS = "import eventlet\n\n\ndef nap():\n    eventlet.sleep(1)\n"
SPAWNS = "import eventlet\n\n\ndef nap():\n    eventlet.spawn(f)\n"  # the same size


def concise() -> list[str]:
    result = run_cli(["check", "--output-format", "concise", "--select", "EVL101,EVL201"])
    assert result.exit_code in (0, 1), result.output
    return [line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith("pkg/")]


def age(path: Path, seconds: float = 3600) -> None:
    old = time.time() - seconds
    os.utime(path, (old, old))


def test_a_new_max_file_size_rechecks_files(project: Path) -> None:
    write_files(project, {"pkg/mod.py": SLEEPS})
    age(project / "pkg" / "mod.py")
    assert concise() == ["EVL201"]
    (project / "pyproject.toml").write_text("[tool.evlint]\nmax-file-size = 20\n")
    assert concise() == ["EVL002"]


def test_a_same_size_rewrite_with_the_old_mtime_is_read_again(project: Path) -> None:
    path = project / "pkg" / "mod.py"
    write_files(project, {"pkg/mod.py": SLEEPS})
    age(path)
    assert concise() == ["EVL201"]
    assert concise() == ["EVL201"]  # (from the cache)
    before = path.stat()
    assert len(SPAWNS) == len(SLEEPS)
    path.write_text(SPAWNS)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # as `touch -d` or `cp -p` would
    assert concise() == ["EVL101"]
