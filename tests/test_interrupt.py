"""`evlint check --fix` interrupted (SIGINT, SIGTERM) or run twice at once on the same tree:
every file ends up old or new, never truncated or interleaved, and no temporary file stays.

Real subprocesses on a generated tree. The delays are fractions of a measured full run, so
the signals land while files are being linted and written on a fast or a loaded machine;
the assertions hold wherever they land.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import MASAKARI_WRAPPER, write_files

FILES = 160
FIX_ARGS = ("check", "--fix", "--extend-select", "M322", "--select", "M322", "--output-format", "concise")


def original(index: int) -> str:
    calls = "".join(f"def task_{n}():\n    eventlet.spawn(work, {n})\n\n\n" for n in range(25))
    return f'"""Module {index}."""\nimport eventlet\n\n\n{calls}'


def make_tree(root: Path) -> None:
    (root / "pyproject.toml").write_text("[tool.evlint]\n", encoding="utf-8")
    write_files(root, MASAKARI_WRAPPER)  # M322's fix is safe where the project has the wrapper
    for index in range(FILES):
        path = root / f"pkg{index % 8}" / f"mod_{index}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(original(index), encoding="utf-8")


def untraced_environment() -> dict[str, str]:
    """The environment without coverage's subprocess measurement.

    Coverage's tracer takes a lock in Python code on calls between files; a signal whose
    handler raises (as evlint's do, like KeyboardInterrupt) between that lock's acquire and
    release leaves it held, and the process deadlocks at its next call: the test would
    measure coverage, not evlint.
    """
    return {name: value for name, value in os.environ.items() if not name.startswith("COVERAGE_PROCESS")}


def start(root: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "evlint", *FIX_ARGS],
        cwd=root,
        env=untraced_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own session: any process left behind is found by sid
    )


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*.py"))}


@pytest.fixture(scope="module")
def fixed_tree(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes], float]:
    """The tree as generated, its content after one uninterrupted run, and how long that took."""
    pristine = tmp_path_factory.mktemp("pristine")
    make_tree(pristine)
    reference = tmp_path_factory.mktemp("reference") / "tree"
    shutil.copytree(pristine, reference, symlinks=True)
    began = time.monotonic()
    process = start(reference)
    _, stderr = process.communicate(timeout=600)
    elapsed = time.monotonic() - began
    assert process.returncode == 0, stderr
    fixed = snapshot(reference)
    modules = [data for path, data in fixed.items() if not path.startswith("masakari/")]
    assert all(b"utils.spawn(work" in data and b"eventlet" not in data for data in modules)
    return pristine, fixed, elapsed


def stray_temporaries(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*") if "evlint" in p.name]


def session_processes(session: int) -> list[int]:
    """Processes still alive in the session a run was started in (Linux /proc)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize(
    ("fraction", "signum"),
    [
        (0.1, signal.SIGTERM),  # while the process pool lints
        (0.35, signal.SIGINT),
        (0.6, signal.SIGTERM),
        (0.8, signal.SIGINT),
        (0.95, signal.SIGTERM),
    ],
)
def test_an_interrupted_fix_leaves_every_file_old_or_new(
    tmp_path: Path, fixed_tree: tuple[Path, dict[str, bytes], float], fraction: float, signum: int
) -> None:
    pristine, fixed, elapsed = fixed_tree
    root = tmp_path / "tree"
    shutil.copytree(pristine, root, symlinks=True)
    before = snapshot(root)
    process = start(root)
    time.sleep(elapsed * fraction)
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=120)
    after = snapshot(root)
    assert after.keys() == before.keys()
    for name, data in after.items():
        assert data in (before[name], fixed[name]), f"{name} is neither the original nor the fixed file"
    assert stray_temporaries(root) == []
    assert "Traceback" not in stderr
    if process.returncode in (0, 1):  # it finished before the signal
        assert after == fixed
    else:
        assert process.returncode == 128 + signum, stderr
        assert stderr.splitlines()[-1] == (
            "evlint: interrupted" if signum == signal.SIGINT else "evlint: terminated"
        )
    deadline = time.monotonic() + 10
    while session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(process.pid) == []  # the pool's workers went with it


def test_two_fix_runs_at_once_leave_the_single_run_result(
    tmp_path: Path, fixed_tree: tuple[Path, dict[str, bytes], float]
) -> None:
    pristine, fixed, _ = fixed_tree
    root = tmp_path / "tree"
    shutil.copytree(pristine, root, symlinks=True)
    first, second = start(root), start(root)
    outputs = [first.communicate(timeout=600), second.communicate(timeout=600)]
    assert snapshot(root) == fixed
    assert stray_temporaries(root) == []
    for (_, stderr), process in zip(outputs, (first, second), strict=True):
        assert "Traceback" not in stderr
        assert process.returncode in (0, 1), stderr
        # A file the other run fixed meanwhile is left alone, with a warning.
        warnings = [line for line in stderr.splitlines() if line.startswith("evlint: warning:")]
        assert all(
            line.endswith("fixes not applied: the file changed since it was checked") for line in warnings
        )


def test_fix_refuses_a_file_changed_since_it_was_checked(tmp_path: Path) -> None:
    """The check-then-write window, made deterministic: the file changes between the two."""
    from evlint.atomic import ChangedSinceReadError, write_atomically

    path = tmp_path / "mod.py"
    path.write_bytes(b"edited by someone else\n")
    with pytest.raises(ChangedSinceReadError, match="changed since it was checked"):
        write_atomically(path, b"fixed\n", expected=b"as checked\n")
    assert path.read_bytes() == b"edited by someone else\n"
    assert os.listdir(tmp_path) == ["mod.py"]


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_sigterm_while_the_process_pool_lints_stops_its_workers(tmp_path: Path) -> None:
    """A tree big enough for the pool (evlint.runner.pool.pool_size), checked without fixing."""
    import evlint.runner.pool

    body = "".join(f"def task_{n}(x):\n    return eventlet.spawn(work, x + {n})\n\n\n" for n in range(600))
    (tmp_path / "pyproject.toml").write_text("[tool.evlint]\n", encoding="utf-8")
    for index in range(60):
        (tmp_path / f"mod_{index}.py").write_text(f"import eventlet\n\n\n{body}", encoding="utf-8")
    sizes = [p.stat().st_size for p in tmp_path.glob("*.py")]
    if evlint.runner.pool.pool_size(sizes) < 2:
        pytest.skip("one core: no process pool")

    def run() -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise"],
            cwd=tmp_path,
            env=untraced_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        )

    began = time.monotonic()
    full = run()
    full.communicate(timeout=600)
    elapsed = time.monotonic() - began
    process = run()
    time.sleep(elapsed * 0.6)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=120)
    assert "Traceback" not in stderr
    assert process.returncode in (1, 143), stderr
    deadline = time.monotonic() + 10
    while session_processes(process.pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert session_processes(process.pid) == []
