"""Crafted input that used to take minutes or crash: long alias chains, a pattern that makes
a backtracking matcher explode. Each runs the CLI in a child process whose timeout only
guards against a hang (a generous bound, not a timing test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

HANG_GUARD = 240  # seconds: a hang or a quadratic blow-up fails, a slow shared machine does not


def _run(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "evlint", "check", "--no-cache", "--output-format", "concise", *args]
    try:
        return subprocess.run(
            command, cwd=root, capture_output=True, text=True, timeout=HANG_GUARD, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"evlint check {' '.join(args)} took over {HANG_GUARD} s")


def _alias_chain(length: int) -> str:
    """`v<length> = eventlet.spawn`, then each name bound to the next one, `v00001` last: the
    project index resolves names in sorted order, so it meets the longest chain first."""
    lines = ["import eventlet", f"v{length:05d} = eventlet.spawn"]
    lines += [f"v{k:05d} = v{k + 1:05d}" for k in range(length - 1, 0, -1)]
    return "\n".join([*lines, "v00001(print)", ""])


USER = "from pkg.hub import v00001\n\n\ndef f():\n    v00001(print)\n"


def test_twenty_thousand_chained_aliases_resolve_in_the_module_and_through_the_index(project: Path) -> None:
    # Before: the project index's alias resolution recursed once per alias (RecursionError,
    # exit 2); earlier still, 126 s of quadratic work.
    write_files(project, {"pkg/__init__.py": "", "pkg/hub.py": _alias_chain(20_000), "pkg/user.py": USER})
    done = _run(project, ".")
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert "pkg/hub.py:20002:1: EVL101" in done.stdout  # the last alias, in its own module
    assert "pkg/user.py:5:5: EVL101 eventlet.spawn() starts a green thread (via pkg.hub)" in done.stdout


def test_twenty_thousand_chained_globals_holding_a_pool_reach_the_method_call_in_another_module(
    project: Path,
) -> None:
    # Before: the index's object facts followed the chain one nested call per name
    # (RecursionError, an internal error for the whole run).
    lines = ["import eventlet", "p20000 = eventlet.GreenPool()"]
    lines += [f"p{k:05d} = p{k + 1:05d}" for k in range(19_999, 0, -1)]
    user = "from pkg.hub import p00001\n\n\ndef f():\n    p00001.spawn_n(print)\n"
    write_files(project, {"pkg/__init__.py": "", "pkg/hub.py": "\n".join(lines) + "\n", "pkg/user.py": user})
    done = _run(project, ".")
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    assert (
        "pkg/user.py:5:12: EVL802 p00001.spawn_n() on the eventlet.GreenPool made at pkg/hub.py:2"
        in done.stdout
    )


def test_a_module_the_index_cannot_resolve_is_left_out_with_a_note(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the nesting bound the chain overflows the stack while the index is built:
    that module's re-exports are left out, with a note, and the run goes on."""
    import evlint.nesting

    monkeypatch.setattr(evlint.nesting, "MAX_NESTING", 10**9)
    write_files(project, {"pkg/__init__.py": "", "pkg/hub.py": _alias_chain(3_000), "pkg/user.py": USER})
    result = run_cli(["check", "--no-cache", "--output-format", "concise", "."])
    notes = [line for line in result.stderr.splitlines() if line.startswith("evlint: note:")]
    assert notes == [
        "evlint: note: pkg/hub.py: left out of the project index (its names nest too deeply to resolve);"
        " other modules are checked without what it re-exports"
    ]
    assert result.exit_code == 1
    assert "pkg/hub.py:3002:1: EVL101" in result.stdout  # the module itself is still checked
    assert "pkg/user.py" not in result.stdout


STAR_CHAIN = 5_000  # before: 1,500 modules took 39 s; 800 modules in star-import cycles 24 s


def _star_chain(length: int, *, both_ways: bool) -> dict[str, str]:
    """`pkg.m0` binds `spawn`; each `pkg.m<k>` star-imports `pkg.m<k-1>` (and, `both_ways`,
    `pkg.m<k+1>` too: a chain of star-import cycles) and calls `spawn`."""
    files = {"pkg/__init__.py": "", "pkg/m0.py": "import eventlet\n\nspawn = eventlet.spawn\n"}
    for k in range(1, length):
        after = f"from pkg.m{k + 1} import *\n" if both_ways and k + 1 < length else "\n"
        files[f"pkg/m{k}.py"] = f"from pkg.m{k - 1} import *\n{after}\n\ndef f():\n    spawn(print)\n"
    files["user.py"] = f"from pkg.m{length - 1} import spawn\n\nspawn(print)\n"
    return files


@pytest.mark.parametrize(("both_ways", "length"), [(False, STAR_CHAIN), (True, 3_000)])
def test_a_long_chain_of_star_imports_is_followed_to_its_end(
    project: Path, both_ways: bool, length: int
) -> None:
    # Before: the index followed the chain afresh from every module, twice (its tokens and
    # each `expand`), and again for every question a file asked: minutes for these sizes.
    write_files(project, _star_chain(length, both_ways=both_ways))
    done = _run(project, ".")
    assert "internal error" not in done.stderr, done.stderr
    assert done.returncode == 1, done.stderr
    last = length - 1
    assert (
        f"pkg/m{last}.py:6:5: EVL101 eventlet.spawn() starts a green thread (via pkg.m{last - 1})"
        in done.stdout
    )
    assert "user.py:3:1: EVL101 eventlet.spawn() starts a green thread (via pkg.m" in done.stdout
    assert f"Found {length + 1} errors" in done.stdout  # every module's call, and the user's


BACKTRACKER = "*a" * 12 + "*b"  # Python's re tries every way to split the name among the stars
LONG_NAME = "a" * 197 + ".py"
MATCHED = "pkg/" + "a" * 12 + "b/mod.py"  # in a directory the pattern names


@pytest.mark.parametrize("where", [".gitignore", "extend-exclude", "per-file-ignores"])
def test_a_pattern_with_many_stars_against_a_long_name_is_matched_in_linear_time(
    project: Path, where: str
) -> None:
    # Before: a backtracking regular expression; 4 stars took 14 s, 6 over 5 minutes.
    files = {f"pkg/{LONG_NAME}": "import eventlet\n", MATCHED: "import eventlet\n"}
    if where == ".gitignore":
        files[".gitignore"] = BACKTRACKER + "\n"
    elif where == "extend-exclude":
        files["pyproject.toml"] = f'[tool.evlint]\nextend-exclude = ["{BACKTRACKER}"]\n'
    else:
        files["pyproject.toml"] = f'[tool.evlint.per-file-ignores]\n"{BACKTRACKER}" = ["EVL501"]\n'
    write_files(project, files)
    done = _run(project, ".")
    assert done.returncode == 0, done.stderr  # EVL501 is a warning
    # The long name matches no pattern (no `b`); a file in a directory it names does.
    assert f"pkg/{LONG_NAME}:1:1: EVL501" in done.stdout
    assert MATCHED not in done.stdout


FIXES = 60_000  # before: 30,000 took 115 s, 60,000 about 4 times that (every fix checked against every other)


def test_a_file_of_sixty_thousand_fixable_lines_is_fixed_exactly(project: Path) -> None:
    body = "    eventlet.sleep(1)\n" * FIXES
    write_files(project, {"big.py": "import eventlet\n\n\ndef f():\n" + body})
    done = _run(project, "--fix", "--unsafe-fixes", "--select", "EVL201", "big.py")
    assert done.returncode == 0, done.stderr
    assert f"Found {FIXES} errors ({FIXES} fixed, 0 remaining)." in done.stdout
    expected = "import time\n\n\ndef f():\n" + "    time.sleep(1)\n" * FIXES
    assert (project / "big.py").read_text() == expected
