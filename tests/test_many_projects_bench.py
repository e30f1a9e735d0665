"""benchmarks/many_projects.py on three tiny projects: the table is printed and its numbers parse."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "many_projects.py"

PROJECTS = {
    # eventlet behind the project's own wrapper module
    "alpha": {
        "alpha/__init__.py": "",
        "alpha/concurrency.py": "import eventlet\n\nspawn = eventlet.spawn\n",
        "alpha/api.py": "from alpha.concurrency import spawn\n\nspawn(print)\n",
    },
    # uses the other project's wrapper: resolved only when both are in one index
    "beta": {
        "beta/__init__.py": "",
        "beta/worker.py": "from alpha.concurrency import spawn\n\nspawn(print)\n",
    },
    "gamma": {
        "gamma/__init__.py": "",
        "gamma/plain.py": "import os\n\nHOME = os.environ.get('HOME')\n",
    },
}


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("many_projects_bench", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _make_tree(root: Path) -> Path:
    for project, files in PROJECTS.items():
        (root / project / "pyproject.toml").parent.mkdir(parents=True)
        (root / project / "pyproject.toml").write_text(f'[project]\nname = "{project}"\nversion = "1.0"\n')
        for name, text in files.items():
            (root / project / name).parent.mkdir(parents=True, exist_ok=True)
            (root / project / name).write_text(text)
    return root


def test_findings_are_grouped_by_project_and_compared_as_multisets(tmp_path: Path) -> None:
    bench = _load()
    tree = tmp_path / "tree"
    finding = {"code": "EVL501", "filename": str(tree / "alpha" / "alpha" / "x.py"), "location": {"row": 1}}
    groups = bench.group_by_project([finding, finding], tmp_path, tree)
    alone = bench.alone_findings([dict(finding, filename="alpha/x.py")], tree / "alpha")
    assert list(groups) == ["alpha"]
    assert list(groups["alpha"]) == list(alone)  # the same key once made relative to the project
    differences = bench.compare(groups, {"alpha": alone, "beta": Counter()})
    assert [(d.project, d.org_wide, d.alone, d.only_org_wide, d.only_alone) for d in differences] == [
        ("alpha", 2, 1, 1, 0)
    ]
    assert [f["filename"] for f in differences[0].examples_org_wide] == ["alpha/x.py"]
    assert differences[0].examples_alone == []


def test_one_round_on_three_projects_prints_the_table(tmp_path: Path) -> None:
    tree = _make_tree(tmp_path / "projects")
    out = tmp_path / "many.json"
    evlint = Path(sys.executable).parent / "evlint"
    arguments = ["--tree", str(tree), "--runs", "1", "--evlint", str(evlint), "--json", str(out)]
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *arguments],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[:6] == ["run", "rules", "projects", "files", "parsed", "parsed per project (sum)"]
    rows = {row[0]: row for row in ([c.strip() for c in line.strip("|").split("|")] for line in lines[1:])}
    tree_row = rows["org-wide: one TREE"]
    paths_row = rows["org-wide: 3 PATHS"]
    alone_row = next(row for title, row in rows.items() if title.startswith("per project"))
    for row in (tree_row, paths_row, alone_row):
        assert row[1] == "default"
        assert row[2] == "3"
        assert int(row[3]) == 10  # 7 Python files and the 3 pyproject.toml
        assert int(row[4]) >= 1 and int(row[5]) >= 1
        assert float(row[7]) > 0 and float(row[8]) > 0 and float(row[9]) > 0
    assert int(alone_row[5]) == int(alone_row[4])
    # One index per project: the org-wide runs parse and find what the runs alone do.
    for row in (tree_row, paths_row):
        assert row[10] == "0"
        assert int(row[4]) == int(alone_row[4])
    result = json.loads(out.read_text())
    by_run = {row["run"]: row for row in result["rows"]}
    assert set(by_run) == {"tree", "paths", "per-project"}
    assert by_run["per-project"]["per_project"]["gamma"]["findings"] == 0
    assert by_run["tree"]["differing_projects"] == len(by_run["tree"]["differences"]) == 0
    assert all(not row["errors"] for row in result["rows"])
