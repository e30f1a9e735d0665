"""benchmarks/scaling.py: its tree builder, its fit, and one real run on a tiny package (no timing asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "scaling.py"
EVENTLET = (Path("hub.py"), Path("sub/worker.py"))


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("scaling_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


scaling = _load()


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """Six files: two use eventlet, four do not."""
    root = tmp_path / "corpus" / "pkg"
    files = {
        "__init__.py": "",
        "hub.py": "import eventlet\n\nspawn = eventlet.spawn\n",
        "plain.py": "import os\n\nHOME = os.environ.get('HOME')\n",
        "sub/__init__.py": "",
        "sub/worker.py": "from eventlet import greenthread\n\ngreenthread.spawn(print)\n",
        "sub/other.py": "def add(a, b):\n    return a + b\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _module_names(package: Path) -> list[str]:
    names = []
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _is_package(directory: Path) -> bool:
    return (directory / "__init__.py").is_file()


def test_series_copy_only_their_kind_under_distinct_packages(package: Path, tmp_path: Path) -> None:
    trees = scaling.build_series(package, tmp_path / "scratch", EVENTLET, [1, 2, 4])
    assert [(tree.series, tree.k) for tree in trees] == [("a", 2), ("a", 4), ("b", 2), ("b", 4)]
    for tree in trees:
        copy = tree.root / "pkg"
        names = _module_names(copy)
        assert len(names) == len(set(names))
        assert all(_is_package(directory) for directory in copy.rglob("*") if directory.is_dir())
        files = scaling.python_files(copy)
        uses_eventlet = [path for path in files if "eventlet" in (copy / path).read_text()]
        if tree.series == "a":
            # each copy: the 2 eventlet files and 2 empty __init__.py (in the copy and its sub/)
            assert len(uses_eventlet) == 2 * tree.k
            assert len(files) == 6 + (tree.k - 1) * (2 + 2)
            assert Path(f"_scaling_copy{tree.k}/sub/worker.py") in files
        else:
            # each copy: the 4 unrelated files (two of them __init__.py), and nothing else
            assert len(uses_eventlet) == 2
            assert len(files) == 6 + (tree.k - 1) * 4
            assert Path(f"_scaling_copy{tree.k}/sub/other.py") in files
    assert (package / "hub.py").read_text().startswith("import eventlet")  # the source is untouched
    assert not (package / "_scaling_copy2").exists()


def test_fit_is_exact_on_linear_data() -> None:
    fit = scaling.linear_fit([1, 2, 4, 8], [0.5 + 0.25 * x for x in (1, 2, 4, 8)])
    assert fit.slope == pytest.approx(0.25)
    assert fit.intercept == pytest.approx(0.5)
    assert fit.r_squared == pytest.approx(1.0)
    assert scaling.linear_fit([1, 2, 3], [1, 3, 2]).r_squared == pytest.approx(0.25)


def test_one_run_on_a_tiny_package_counts_files_and_parses(package: Path, tmp_path: Path) -> None:
    out = tmp_path / "scaling.json"
    evlint = Path(sys.executable).parent / "evlint"
    arguments = ["--package-dir", str(package), "--k", "1,3", "--runs", "1", "--evlint", str(evlint)]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments, "--json", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "2 eventlet files: hub.py, sub/worker.py" in done.stderr
    result = json.loads(out.read_text())
    rows = [(r["series"], r["k"], r["files"], r["eventlet_files"], r["parsed"]) for r in result["rows"]]
    assert rows == [("a", 1, 6, 2, 2), ("a", 3, 14, 6, 6), ("b", 1, 6, 2, 2), ("b", 3, 14, 2, 2)]
    assert [s["parses_as_expected"] for s in result["summaries"]] == [True, True]
    assert "| b (unrelated x k) | 3 | 14 |" in done.stdout
