#!/usr/bin/env python3
"""`evlint report --history` against one `evlint report` per release: same counts, less time.

Run from the repository root:

    python3 benchmarks/history.py [--name nova] [--versions 28.0.0,29.0.1,...] [--rounds 3] [--json OUT]

Each release's sdist is fetched with ``../shared/corpus/fetch.sh NAME==VERSION`` (cached in
~/.cache/evlint-corpus) and committed, oldest first, to a scratch git repository (every file,
ignored ones too, so each commit's tree is the sdist), each commit tagged with its version.
Each round, in alternating order: ONE ``evlint report --history REPO --revs FIRST..LAST
--output-format json`` and, for each release, ``evlint report SDIST --output-format json``.
Reported: wall time and CPU time (user + system of the child processes), medians over the
rounds, and each release's code count from both (they must be equal; exit status 1 if not),
and how many files `--history` linted and reused at each revision (its stderr). Only the
ratio between the two rows means anything on a shared machine.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

HERE = Path(__file__).resolve().parent
FETCH = HERE.parent.parent / "shared" / "corpus" / "fetch.sh"
DEFAULT_VERSIONS = "28.0.0,29.0.1,30.0.0,31.0.0,32.0.0,33.0.0,34.0.0"


def fetch(name: str, versions: Sequence[str]) -> list[Path]:
    pins = [f"{name}=={version}" for version in versions]
    done = subprocess.run(["bash", str(FETCH), *pins], capture_output=True, text=True, check=True)
    return [Path(line) for line in done.stdout.split()]


def build_repository(trees: Sequence[Path], versions: Sequence[str], target: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(target), *args], check=True, capture_output=True)

    target.mkdir(parents=True)
    git("init", "-q")
    git("config", "user.email", "bench@example.org")
    git("config", "user.name", "bench")
    for tree, version in zip(trees, versions, strict=True):
        for child in target.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        shutil.copytree(tree, target, dirs_exist_ok=True, symlinks=True)
        git("add", "-A", "-f")
        git("commit", "-q", "-m", f"release {version}")
        git("tag", version)


def _load_run_bench() -> ModuleType:
    """benchmarks/run.py, for `timed_child`."""
    spec = importlib.util.spec_from_file_location("evlint_bench_run", HERE / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


BENCH = _load_run_bench()


def timed(argv: Sequence[str]) -> tuple[float, float, str, str]:
    """(wall seconds, CPU seconds of the children, stdout, stderr)."""
    run = BENCH.timed_child(argv)
    return run.wall_s, run.cpu_s, run.stdout, run.stderr


def code_count(report: dict[str, object]) -> int:
    summary = report["summary"]
    assert isinstance(summary, dict)
    return int(summary["code"]["total"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--name", default="nova")
    parser.add_argument("--versions", default=DEFAULT_VERSIONS)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    versions = args.versions.split(",")
    evlint = str(Path(sys.executable).with_name("evlint"))
    trees = fetch(args.name, versions)
    with tempfile.TemporaryDirectory(prefix="evlint-bench-history-") as scratch:
        repository = Path(scratch) / args.name
        build_repository(trees, versions, repository)
        history_argv = [
            evlint,
            "report",
            "--history",
            str(repository),
            "--revs",
            f"{versions[0]}..{versions[-1]}",
        ]
        history_argv += ["--output-format", "json"]
        times: dict[str, list[tuple[float, float]]] = {"history": [], "per release": []}
        counts: dict[str, list[int]] = {}
        work: list[str] = []
        for round_number in range(args.rounds):
            order = ["history", "per release"] if round_number % 2 == 0 else ["per release", "history"]
            for form in order:
                if form == "history":
                    wall, cpu, out, err = timed(history_argv)
                    counts["history"] = [p["production"] + p["test"] for p in json.loads(out)["points"]]
                    work = [line for line in err.splitlines() if " files linted, " in line]
                    times[form].append((wall, cpu))
                    continue
                walls = cpus = 0.0
                alone = []
                for tree in trees:
                    wall, cpu, out, _ = timed([evlint, "report", str(tree), "--output-format", "json"])
                    walls, cpus = walls + wall, cpus + cpu
                    alone.append(code_count(json.loads(out)))
                counts["per release"] = alone
                times[form].append((walls, cpus))
    rows = {
        form: {
            "wall_s": round(statistics.median(w for w, _ in values), 2),
            "cpu_s": round(statistics.median(c for _, c in values), 2),
        }
        for form, values in times.items()
    }
    print("| form | wall (s) | CPU (s) | code per release |")
    print("|---|---|---|---|")
    for form, row in rows.items():
        print(f"| {form} | {row['wall_s']} | {row['cpu_s']} | {', '.join(map(str, counts[form]))} |")
    same = counts["history"] == counts["per release"]
    wall_ratio = rows["history"]["wall_s"] / rows["per release"]["wall_s"]
    cpu_ratio = rows["history"]["cpu_s"] / rows["per release"]["cpu_s"]
    print(f"\nsame counts: {same}; history / per release: wall {wall_ratio:.2f}, CPU {cpu_ratio:.2f}")
    print("files linted per revision by --history (the last round):", "; ".join(work))
    if args.json is not None:
        args.json.write_text(
            json.dumps({"rows": rows, "counts": counts, "versions": versions, "work": work}, indent=2) + "\n"
        )
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
