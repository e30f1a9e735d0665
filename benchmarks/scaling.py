#!/usr/bin/env python3
"""Show that evlint's time grows linearly with the files that use eventlet, and that an unrelated file
costs a read and a scan, never a parse.

Run from the repository root:

    python3 benchmarks/scaling.py [--corpus nova==34.0.0] [--k 1,2,4,8] [--runs 3] [--json PATH]

It fetches the corpus with ``../shared/corpus/fetch.sh`` (or takes ``--package-dir``), byte-compiles
evlint's modules (as an installed evlint has them), copies the corpus's package into a scratch directory
and finds the *eventlet files*: exactly the files evlint parses there.
They are recorded by running evlint once in a Python process whose ``run_jobs`` (which
hands each round's files to the parser, in-process or to the pool) and ``Linter.run`` (which also lints
the files this process reads ahead) are wrapped to note each job's path; the number recorded must equal
the ``parsed`` count ``EVLINT_DEBUG_STATS=1`` prints, or the script stops.
(A grep would not do: of nova 34's files, 4 import eventlet, 17 are parsed and 35 contain the
word.) Every other Python file is *unrelated*. Two series of scratch trees follow:

* ``a`` (eventlet files x k): the package plus k-1 copies of only its eventlet files, each copy under a new
  subpackage ``<package>/_scaling_copy<i>/`` keeping their relative paths, so module names stay distinct
  (an empty ``__init__.py`` is added to each new directory: a few unrelated files, counted as such);
* ``b`` (unrelated files x k): the package plus k-1 copies of only its unrelated files, the same way.

k=1 is the package itself, one tree shared by both series. Each round runs ``evlint check --no-cache -q
--output-format concise --exit-zero`` once on every tree (the order rotates from round to round); the
table gives each tree's median wall time, evlint's own file and parse counts, the time per file of the
series' kind and the time added per file added, then a least-squares fit of time against files of that
kind and time(kmax)/time(1) beside kmax. The same goes to ``--json`` (default benchmarks/scaling.json).
Exit status 1 when series a's parse counts are not k times k=1's or series b's are not constant.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py: the corpora

REPO = Path(__file__).resolve().parent.parent
DEFAULT_JSON = REPO / "benchmarks" / "scaling.json"
COPY_PREFIX = "_scaling_copy"
CHECK_FLAGS = ("check", "--no-cache", "-q", "--output-format", "concise", "--exit-zero")
STATS = re.compile(r"evlint: (\d+) files checked, (\d+) from the cache, (\d+) parsed")
KIND = {"a": "eventlet", "b": "unrelated"}

# Run inside evlint's interpreter: argv = [json_out, evlint args...]. Writes the paths of the files parsed.
RECORDER = """\
import json, sys
from evlint.runner import indexing, jobs, project
from evlint.cli import main
seen = set()
run_jobs, run = project.run_jobs, jobs.Linter.run
def recording(linter, batch, *args, **kwargs):  # every job of a round, the workers' too
    seen.update(job.shown for job in batch)
    return run_jobs(linter, batch, *args, **kwargs)
def recording_one(linter, job):  # and those read ahead here
    seen.add(job.shown)
    return run(linter, job)
indexing.run_jobs = project.run_jobs = recording
jobs.Linter.run = recording_one
try:
    main(sys.argv[2:], prog_name="evlint")
finally:
    with open(sys.argv[1], "w") as out:
        json.dump(sorted(seen), out)
"""


@dataclass(frozen=True)
class Tree:
    series: str  # "a", "b", or "a+b" for the shared k=1 tree
    k: int
    root: Path  # holds the package directory


@dataclass(frozen=True)
class Fit:
    slope: float
    intercept: float
    r_squared: float


@dataclass(frozen=True)
class Row:
    series: str
    k: int
    files: int
    eventlet_files: int
    unrelated_files: int
    parsed: int
    median_s: float
    s_per_file: float  # median over the files of the series' kind
    added_s_per_added_file: float | None  # (t_k - t_1) / (files_k - files_1) of that kind


def linear_fit(xs: Sequence[float], ys: Sequence[float]) -> Fit:
    """Least squares y = slope * x + intercept, with the coefficient of determination."""
    slope, intercept = statistics.linear_regression(xs, ys)
    mean = statistics.fmean(ys)
    total = sum((y - mean) ** 2 for y in ys)
    residual = sum((y - (slope * x + intercept)) ** 2 for x, y in zip(xs, ys, strict=True))
    return Fit(slope, intercept, 1.0 - residual / total if total else 1.0)


def python_files(package: Path) -> list[Path]:
    """The package's Python files, relative to the package directory."""
    return sorted(path.relative_to(package) for path in package.rglob("*.py") if path.is_file())


def build_tree(package: Path, root: Path, copied: Sequence[Path], k: int) -> Path:
    """`root`/<package name>: the package, plus k-1 copies of the `copied` files (relative to the
    package), copy i under the new subpackage <package>/_scaling_copy<i>/."""
    target = root / package.name
    shutil.copytree(package, target)
    for copy in range(2, k + 1):
        subpackage = target / f"{COPY_PREFIX}{copy}"
        if subpackage.exists():
            raise SystemExit(f"scaling: {subpackage} already exists in the package")
        for relative in copied:
            destination = subpackage / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(package / relative, destination)
        for directory in [subpackage, *(p for p in subpackage.rglob("*") if p.is_dir())]:
            (directory / "__init__.py").touch()  # keeps a copied __init__.py as it is
    return target


def build_series(package: Path, scratch: Path, eventlet: Sequence[Path], ks: Sequence[int]) -> list[Tree]:
    """Series a and b for each k > 1 (k=1 is the package alone, shared by both)."""
    unrelated = sorted(set(python_files(package)) - set(eventlet))
    trees = []
    for series, copied in (("a", eventlet), ("b", unrelated)):
        for k in ks:
            if k > 1:
                tree = Tree(series, k, scratch / f"{series}{k}")
                build_tree(package, tree.root, copied, k)
                trees.append(tree)
    return trees


def record_parsed(evlint: Path, tree: Tree, package_name: str) -> tuple[list[Path], int]:
    """The files evlint parses in `tree` (relative to the package), and the parse count it reports."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        done = run_in(tree, [interpreter_of(evlint), "-c", RECORDER, out.name, *CHECK_FLAGS, package_name])
        shown = json.loads(Path(out.name).read_text() or "[]")
    _, _, parsed = stats_of(done.returncode, done.stderr)
    return sorted(Path(path).relative_to(package_name) for path in shown), parsed


def run_in(tree: Tree, argv: list[str]) -> subprocess.CompletedProcess[str]:
    """Run `argv` in the tree's root with evlint's statistics on, keeping standard error."""
    return subprocess.run(
        argv,
        cwd=tree.root,
        env={**os.environ, "EVLINT_DEBUG_STATS": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )


def interpreter_of(evlint: Path) -> str:
    """The Python of an evlint console script, from its #! line."""
    first = evlint.read_bytes().split(b"\n", 1)[0].decode(errors="replace")
    if not first.startswith("#!") or "python" not in first:
        raise SystemExit(f"scaling: {evlint} is not a Python console script (no #!...python line)")
    return first[2:].strip().split()[0]


def byte_compile(evlint: Path) -> None:
    """Byte-compile evlint's modules, as `pip install` does: with PYTHONDONTWRITEBYTECODE set, an
    editable install would otherwise compile them again on every run (see benchmarks/run.py)."""
    package = "os.path.dirname(evlint.__file__)"
    code = f"import compileall, evlint, os, sys\nsys.exit(not compileall.compile_dir({package}))"
    subprocess.run([interpreter_of(evlint), "-c", code], check=True, stdout=subprocess.DEVNULL)


def stats_of(returncode: int, stderr: str) -> tuple[int, int, int]:
    """(files checked, from the cache, parsed) from a run's standard error."""
    found = STATS.search(stderr)
    if returncode != 0 or found is None:
        raise SystemExit(f"scaling: evlint failed (exit {returncode}):\n{stderr[-2000:]}")
    checked, cached, parsed = (int(group) for group in found.groups())
    return checked, cached, parsed


def time_once(evlint: Path, tree: Tree, package_name: str) -> tuple[float, int, int]:
    """Wall seconds, files checked and files parsed of one run."""
    start = time.perf_counter()
    done = run_in(tree, [str(evlint), *CHECK_FLAGS, package_name])
    elapsed = time.perf_counter() - start
    checked, _, parsed = stats_of(done.returncode, done.stderr)
    return elapsed, checked, parsed


def measure(evlint: Path, trees: Sequence[Tree], package_name: str, runs: int) -> dict[Tree, Row]:
    times: dict[Tree, list[float]] = {tree: [] for tree in trees}
    counts: dict[Tree, set[tuple[int, int]]] = {tree: set() for tree in trees}
    for round_number in range(runs):
        shift = round_number % len(trees)
        for tree in [*trees[shift:], *trees[:shift]]:
            elapsed, checked, parsed = time_once(evlint, tree, package_name)
            times[tree].append(elapsed)
            counts[tree].add((checked, parsed))
    rows = {}
    for tree in trees:
        if len(counts[tree]) != 1:
            raise SystemExit(f"scaling: counts differ between runs of {tree.root}: {sorted(counts[tree])}")
        ((checked, parsed),) = counts[tree]
        rows[tree] = Row(
            tree.series, tree.k, checked, 0, 0, parsed, statistics.median(times[tree]), 0.0, None
        )
    return rows


def series_rows(rows: dict[Tree, Row], series: str, eventlet_count: int) -> list[Row]:
    """The rows of one series (the shared k=1 tree first), with the per-file columns filled in."""
    chosen = sorted(
        (row for tree, row in rows.items() if series in tree.series.split("+")), key=lambda r: r.k
    )
    finished: list[Row] = []
    for row in chosen:
        eventlet = eventlet_count * (row.k if series == "a" else 1)
        unrelated = row.files - eventlet
        of_kind = eventlet if series == "a" else unrelated
        base = finished[0] if finished else None
        added = None
        if base is not None:
            base_kind = base.eventlet_files if series == "a" else base.unrelated_files
            added = (row.median_s - base.median_s) / (of_kind - base_kind)
        finished.append(
            Row(
                series,
                row.k,
                row.files,
                eventlet,
                unrelated,
                row.parsed,
                row.median_s,
                row.median_s / of_kind,
                added,
            )
        )
    return finished


def summary(series: str, rows: Sequence[Row]) -> dict[str, object]:
    """The fit of time against files of the series' kind, the kmax/1 time ratio and the parse counts."""
    xs = [row.eventlet_files if series == "a" else row.unrelated_files for row in rows]
    fit = linear_fit(xs, [row.median_s for row in rows])
    parsed = [row.parsed for row in rows]
    if series == "a":
        parses_as_expected = all(row.parsed == rows[0].parsed * row.k for row in rows)
    else:
        parses_as_expected = len(set(parsed)) == 1
    return {
        "series": series,
        "kind": KIND[series],
        "fit": asdict(fit),
        "kmax": rows[-1].k,
        "time_ratio_kmax_over_1": rows[-1].median_s / rows[0].median_s,
        "parsed": parsed,
        "parses_as_expected": parses_as_expected,
    }


def label(row: Row) -> str:
    return "a and b (shared)" if row.k == 1 else f"{row.series} ({KIND[row.series]} x k)"


def render(rows: Sequence[Row], summaries: Sequence[dict[str, object]]) -> str:
    lines = [
        "| series | k | files | eventlet files | unrelated files | parsed | median s | s per file of the kind"
        " | added s per added file |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        added = "" if row.added_s_per_added_file is None else f"{row.added_s_per_added_file * 1000:.3f} ms"
        lines.append(
            f"| {label(row)} | {row.k} | {row.files} | {row.eventlet_files}"
            f" | {row.unrelated_files} | {row.parsed} | {row.median_s:.3f} | {row.s_per_file * 1000:.3f} ms"
            f" | {added} |"
        )
    lines.append("")
    for item in summaries:
        fit = item["fit"]
        assert isinstance(fit, dict)
        kmax = item["kmax"]
        expectation = "k x the k=1 count" if item["series"] == "a" else "constant"
        verdict = "yes" if item["parses_as_expected"] else "NO"
        lines.append(
            f"series {item['series']}: time = {fit['slope'] * 1000:.3f} ms x {item['kind']} files"
            f" + {fit['intercept']:.3f} s, R^2 {fit['r_squared']:.4f};"
            f" time(k={kmax})/time(k=1) = {item['time_ratio_kmax_over_1']:.2f} (k ratio {kmax});"
            f" files parsed {item['parsed']} ({expectation}: {verdict})"
        )
    return "\n".join(lines)


def fetch(spec: str) -> Path:
    try:
        return bench.corpus_dir(spec)
    except subprocess.CalledProcessError as failed:
        raise SystemExit(f"scaling: fetching {spec} failed:\n{failed.stderr}") from None


def package_of(corpus: Path, spec: str) -> Path:
    package = corpus / spec.partition("==")[0].replace("-", "_")
    if not (package / "__init__.py").is_file():
        raise SystemExit(f"scaling: no package {package.name}/ in {corpus}: use --package-dir")
    return package


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--corpus", default="nova==34.0.0", help="NAME==VERSION to fetch (default nova==34.0.0)"
    )
    parser.add_argument("--package-dir", type=Path, help="use this package directory instead of a corpus")
    parser.add_argument("--k", default="1,2,4,8", help="copy counts, starting with 1 (default 1,2,4,8)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per tree (default 3)")
    parser.add_argument("--evlint", type=Path, default=REPO / ".venv" / "bin" / "evlint")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    args.ks = sorted({int(k) for k in args.k.split(",")})
    if args.ks[0] != 1 or len(args.ks) < 2 or args.runs < 1:
        parser.error("--k needs 1 and at least one more count; --runs at least 1")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    package = args.package_dir.resolve() if args.package_dir else package_of(fetch(args.corpus), args.corpus)
    byte_compile(args.evlint)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="evlint-scaling-") as scratch:
        base = Tree("a+b", 1, Path(scratch) / "k1")
        build_tree(package, base.root, (), 1)
        eventlet, parsed = record_parsed(args.evlint, base, package.name)
        if len(eventlet) != parsed or not eventlet:
            raise SystemExit(f"scaling: recorded {len(eventlet)} parsed files, evlint counts {parsed}")
        trees = [base, *build_series(package, Path(scratch), eventlet, args.ks)]
        print(f"{len(eventlet)} eventlet files: {', '.join(map(str, eventlet))}", file=sys.stderr)
        measured = measure(args.evlint, trees, package.name, args.runs)
    load_after = os.getloadavg()
    rows_a, rows_b = series_rows(measured, "a", len(eventlet)), series_rows(measured, "b", len(eventlet))
    summaries = [summary("a", rows_a), summary("b", rows_b)]
    print(render([*rows_a, *rows_b[1:]], summaries))
    print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f}; {os.cpu_count()} CPUs")
    result = {
        "package": str(package),
        "corpus": None if args.package_dir else args.corpus,
        "runs": args.runs,
        "eventlet_files": [str(path) for path in eventlet],
        "rows": [asdict(row) for row in [*rows_a, *rows_b]],
        "summaries": summaries,
        "load_average_before": load_before,
        "load_average_after": load_after,
        "cpus": os.cpu_count(),
    }
    args.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0 if all(item["parses_as_expected"] for item in summaries) else 1


if __name__ == "__main__":
    sys.exit(main())
