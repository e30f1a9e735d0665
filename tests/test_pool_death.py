"""Pool workers die with the main process, and a worker that dies costs no findings."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="needs Linux's /proc and two cores (evlint starts workers only then)",
)

FILES = 160
FILLER = "".join(f"value_{index} = {index} * 2  # some arithmetic to parse\n" for index in range(120))


def big_tree(root: Path) -> Path:
    """Enough bytes (about 1 MB) that evlint lints them with a pool of workers."""
    (root / "pyproject.toml").write_text("[tool.evlint]\n")
    for index in range(FILES):
        (root / f"mod{index}.py").write_text(f"import eventlet\n{FILLER}eventlet.spawn(f)\n")
    return root


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def start(tree: Path, output: int = subprocess.PIPE) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", "."],
        cwd=tree,
        stdout=output,
        stderr=output,
    )


def first_children(process: subprocess.Popen[bytes], timeout: float = 60) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        found = children(process.pid)
        if found:
            return found
        time.sleep(0.005)
    pytest.fail("evlint started no worker")


def test_workers_die_when_the_main_process_is_killed(tmp_path: Path) -> None:
    process = start(big_tree(tmp_path), subprocess.DEVNULL)
    workers = first_children(process)
    time.sleep(0.5)  # the workers started and are linting
    workers = children(process.pid) or workers
    process.kill()
    process.wait()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(worker) for worker in workers):
        time.sleep(0.1)
    left = [worker for worker in workers if alive(worker)]
    for worker in left:
        os.kill(worker, signal.SIGKILL)
    assert left == []


def test_a_killed_worker_costs_no_findings(tmp_path: Path) -> None:
    process = start(big_tree(tmp_path))
    for worker in first_children(process):
        os.kill(worker, signal.SIGKILL)
    stdout, stderr = process.communicate(timeout=300)
    assert b"BrokenProcessPool" not in stderr and b"internal error" not in stderr, stderr
    assert process.returncode == 1, stderr
    assert stdout.count(b": EVL101 ") == FILES
