#!/usr/bin/env python3
"""Check many projects at once and each alone: files parsed, peak memory, wall time and findings.

Run from the repository root:

    python3 benchmarks/many_projects.py [--projects benchmarks/openstack_projects.txt] [--runs 3]
                                        [--forms tree,paths] [--select-all] [--json OUT]

The corpus is a pinned list of ``NAME==VERSION`` lines (default ``benchmarks/openstack_projects.txt``:
OpenStack services, oslo libraries, clients and plugins, each at the newest version whose sdist
``pip download --no-deps --no-binary :all:`` fetched when the list was made). Each is fetched with
``../shared/corpus/fetch.sh`` (cached in ~/.cache/evlint-corpus). ``--tree DIR`` takes every
subdirectory of DIR as a project instead and fetches nothing.

The projects are assembled in a scratch directory, ``TREE/NAME``, as hard links to the fetched
trees (a copy when the cache is on another file system): evlint does not walk into a symlinked
directory, so a tree of symlinks would be an empty tree. Then, each round (``--runs`` rounds, the
order rotating from round to round), all with ``--no-cache --output-format json`` and
``EVLINT_DEBUG_STATS=1``:

* org-wide, form ``tree``: ONE ``evlint check TREE``;
* org-wide, form ``paths``: ONE ``evlint check TREE/a TREE/b ...``, every project as its own PATH;
* per project: ``evlint check TREE/NAME`` for each project alone (cwd the project's directory).

With ``--select-all`` the same again with ``--select ALL``. For each run: wall time, evlint's own
``N files checked, M from the cache, P parsed`` line, the process tree's peak summed PSS (evlint forks
workers; sampled from /proc/PID/smaps_rollup every ``--sample-ms``, with ``benchmarks/run.py``'s
sampler) and the largest single process's max RSS (wait4's rusage). The org-wide findings are grouped
by project (the first path component under TREE) and compared with that project's findings alone, the
filenames made relative to the project directory; a project whose two lists differ (as multisets) is
a *differing project*.

Output: a Markdown table on stdout, one row per org-wide form and one for the per-project runs (files
and parsed summed over the projects, memory the largest project's, wall the sum), times and memory the
median over the rounds; then the differing projects with their finding counts (org-wide vs alone).
``--json`` writes the raw numbers. Exit status 1 if a run crashed (an exit status other than 0 or 1,
no stats line, output that is not JSON, an internal error EVL003) or a project could not be fetched.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench  # benchmarks/run.py: measuring, corpora, byte-compiling

HERE = Path(__file__).resolve().parent

REPO = HERE.parent
DEFAULT_PROJECTS = HERE / "openstack_projects.txt"
STATS = re.compile(r"evlint: (\d+) files checked, (\d+) from the cache, (\d+) parsed")
VIA = re.compile(r"\(via [^)]*\)")
CRASH_CODES = frozenset({"EVL003"})  # an internal error caught inside evlint
FORMS = ("tree", "paths")
MIB = 1024.0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Project:
    name: str
    source: Path  # the fetched (or given) tree


def read_pins(path: Path) -> list[str]:
    """NAME==VERSION lines; blank lines and # comments are skipped."""
    pins = []
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            if "==" not in line:
                raise SystemExit(f"{path}: not NAME==VERSION: {line}")
            pins.append(line)
    return pins


def fetch_projects(pins: Sequence[str]) -> tuple[list[Project], dict[str, str]]:
    projects: list[Project] = []
    failures: dict[str, str] = {}
    for number, spec in enumerate(pins, 1):
        try:
            source = bench.corpus_dir(spec)
        except subprocess.CalledProcessError as exc:
            failures[spec] = bench.last_line(exc.stderr or "") or f"exit {exc.returncode}"
            log(f"fetch {spec}: failed: {failures[spec]}")
            continue
        if number % 25 == 0:
            log(f"fetched {number}/{len(pins)}")
        projects.append(Project(spec.split("==", 1)[0], source))
    return projects, failures


def given_projects(tree: Path) -> list[Project]:
    return [Project(p.name, p) for p in sorted(tree.iterdir()) if p.is_dir() and not p.name.startswith(".")]


def assemble(projects: Sequence[Project], tree: Path) -> None:
    """TREE/NAME for every project: hard links to its files (a copy across file systems)."""
    tree.mkdir(parents=True)
    for project in projects:
        target = tree / project.name
        try:
            shutil.copytree(project.source, target, symlinks=True, copy_function=os.link)
        except (OSError, shutil.Error):
            shutil.rmtree(target, ignore_errors=True)
            shutil.copytree(project.source, target, symlinks=True)


# --------------------------------------------------------------------------- one evlint run


@dataclass
class RunResult:
    wall_s: float
    peak_pss_kib: int
    max_proc_rss_kib: int
    files: int
    parsed: int
    findings: list[dict[str, Any]] = field(repr=False)
    error: str | None = None


def run_evlint(argv: Sequence[str], cwd: Path, scratch: Path, timeout_s: float, sample_ms: int) -> RunResult:
    """Run one evlint check; measure it as benchmarks/run.py does."""
    out_path, err_path = scratch / "stdout.json", scratch / "stderr.txt"
    env = {**os.environ, "EVLINT_DEBUG_STATS": "1"}
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = bench.TreeRssSampler(proc.pid, sample_ms / 1000) if sample_ms > 0 else None
        if sampler:
            sampler.start()
        killer = threading.Timer(timeout_s, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        except BaseException:  # interrupted: take evlint and its workers down too
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise
        finally:
            killer.cancel()
            if sampler:
                sampler.stop()
        wall = time.perf_counter() - start
    code = proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = err_path.read_text(errors="replace")
    pss = sampler.peak_pss_kib if sampler else 0
    result = RunResult(wall, pss, usage.ru_maxrss, 0, 0, [])
    match = STATS.search(stderr)
    if match:
        result.files, result.parsed = int(match[1]), int(match[3])
    try:
        findings = json.loads(out_path.read_text() or "[]")
    except ValueError:
        findings = None
    if code == -signal.SIGKILL and wall >= timeout_s:
        result.error = f"timed out after {timeout_s:.0f} s"
    elif code not in (0, 1):
        result.error = f"exit {code}: {bench.last_line(stderr)}"
    elif not isinstance(findings, list):
        result.error = "stdout is not a JSON list"
    elif match is None:
        result.error = "no EVLINT_DEBUG_STATS line on stderr"
    else:
        result.findings = findings
        crashes = [f for f in findings if f.get("code") in CRASH_CODES]
        if crashes:
            first = crashes[0]
            result.error = (
                f"{len(crashes)} internal errors, first {first.get('filename')}: {first.get('message')}"
            )
    return result


# --------------------------------------------------------------------------- findings


def normalized(finding: dict[str, Any], cwd: Path, base: Path) -> tuple[str, str]:
    """(first path component under BASE, the finding as JSON with its filename relative to that)."""
    name = finding.get("filename") or ""
    path = Path(os.path.normpath(cwd / name))
    try:
        parts = path.relative_to(base).parts
    except ValueError:
        parts = ("<outside>", *path.parts)
    rest = dict(finding, filename="/".join(parts[1:]))
    return parts[0], json.dumps(rest, sort_keys=True)


def group_by_project(findings: Iterable[dict[str, Any]], cwd: Path, tree: Path) -> dict[str, Counter[str]]:
    groups: dict[str, Counter[str]] = {}
    for finding in findings:
        project, key = normalized(finding, cwd, tree)
        groups.setdefault(project, Counter())[key] += 1
    return groups


def alone_findings(findings: Iterable[dict[str, Any]], project_dir: Path) -> Counter[str]:
    """One project's own run: filenames relative to its directory."""
    counts: Counter[str] = Counter()
    for finding in findings:
        _, key = normalized(finding, project_dir, project_dir.parent)
        counts[key] += 1
    return counts


@dataclass(frozen=True)
class Difference:
    project: str
    org_wide: int
    alone: int
    only_org_wide: int
    only_alone: int
    # Up to EXAMPLES of each side's extra findings (filename relative to the project), for --json.
    examples_org_wide: list[dict[str, Any]] = field(default_factory=list)
    examples_alone: list[dict[str, Any]] = field(default_factory=list)


EXAMPLES = 5


def _examples(extra: Counter[str]) -> list[dict[str, Any]]:
    return [json.loads(key) for key in sorted(extra)[:EXAMPLES]]


def compare(org: dict[str, Counter[str]], alone: dict[str, Counter[str]]) -> list[Difference]:
    differences = []
    for project in sorted(set(org) | set(alone)):
        a, b = org.get(project, Counter()), alone.get(project, Counter())
        if a != b:
            only_a, only_b = a - b, b - a
            differences.append(
                Difference(
                    project,
                    a.total(),
                    b.total(),
                    only_a.total(),
                    only_b.total(),
                    _examples(only_a),
                    _examples(only_b),
                )
            )
    return differences


# --------------------------------------------------------------------------- the benchmark


@dataclass
class Variant:
    """One org-wide form or the per-project runs, under one rule selection."""

    kind: str  # "tree", "paths" or "per-project"
    rules: str  # "default" or a --select value
    walls: list[float] = field(default_factory=list)
    pss_kib: list[int] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    files: list[int] = field(default_factory=list)
    parsed: list[int] = field(default_factory=list)
    findings: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    differing: list[Difference] = field(default_factory=list)
    differing_counts: list[int] = field(default_factory=list)
    per_project: dict[str, dict[str, Any]] = field(default_factory=dict)


def check_argv(evlint: Path, rules: str) -> list[str]:
    argv = [str(evlint), "check", "--no-cache", "--output-format", "json"]
    return argv if rules == "default" else [*argv, "--select", rules]


class Bench:
    def __init__(self, evlint: Path, tree: Path, names: Sequence[str], args: argparse.Namespace) -> None:
        self.evlint, self.tree, self.names = evlint, tree, list(names)
        self.scratch = tree.parent
        self.timeout_s, self.sample_ms = args.timeout, args.sample_ms

    def run(self, argv: Sequence[str], cwd: Path) -> RunResult:
        return run_evlint(argv, cwd, self.scratch, self.timeout_s, self.sample_ms)

    def org_wide(self, variant: Variant, rules: str) -> dict[str, Counter[str]] | None:
        targets = [str(self.tree)] if variant.kind == "tree" else [str(self.tree / n) for n in self.names]
        result = self.run([*check_argv(self.evlint, rules), *targets], self.scratch)
        label = f"org-wide {variant.kind} [{rules}]"
        if result.error:
            variant.errors.append(result.error)
            log(f"  {label}: CRASH {result.error}")
            return None
        record(variant, result)
        log(
            f"  {label}: {result.wall_s:.1f} s, {result.files} files, {result.parsed} parsed,"
            f" peak PSS {result.peak_pss_kib / MIB:.0f} MiB,"
            f" max proc {result.max_proc_rss_kib / MIB:.0f} MiB, {len(result.findings)} findings"
        )
        return group_by_project(result.findings, self.scratch, self.tree)

    def per_project(self, variant: Variant, rules: str) -> dict[str, Counter[str]]:
        groups: dict[str, Counter[str]] = {}
        wall = files = parsed = findings = pss = rss = 0
        for number, name in enumerate(self.names, 1):
            if number % 50 == 0:
                log(f"  per project [{rules}]: {number}/{len(self.names)}")
            directory = self.tree / name
            result = self.run([*check_argv(self.evlint, rules), str(directory)], directory)
            if result.error:
                variant.errors.append(f"{name}: {result.error}")
                log(f"  {name} [{rules}]: CRASH {result.error}")
                continue
            groups[name] = alone_findings(result.findings, directory)
            wall += result.wall_s
            files, parsed, findings = (
                files + result.files,
                parsed + result.parsed,
                findings + len(result.findings),
            )
            pss, rss = max(pss, result.peak_pss_kib), max(rss, result.max_proc_rss_kib)
            entry = variant.per_project.setdefault(
                name, {"walls": [], "peak_pss_kib": [], "max_proc_rss_kib": []}
            )
            entry["walls"].append(round(result.wall_s, 3))
            entry["peak_pss_kib"].append(result.peak_pss_kib)
            entry["max_proc_rss_kib"].append(result.max_proc_rss_kib)
            entry |= {"files": result.files, "parsed": result.parsed, "findings": len(result.findings)}
        variant.walls.append(wall)
        variant.pss_kib.append(pss)
        variant.rss_kib.append(rss)
        variant.files.append(files)
        variant.parsed.append(parsed)
        variant.findings.append(findings)
        log(
            f"  per project [{rules}]: {wall:.1f} s summed, {files} files, {parsed} parsed,"
            f" largest peak PSS {pss / MIB:.0f} MiB, {findings} findings"
        )
        return groups


def record(variant: Variant, result: RunResult) -> None:
    variant.walls.append(result.wall_s)
    variant.pss_kib.append(result.peak_pss_kib)
    variant.rss_kib.append(result.max_proc_rss_kib)
    variant.files.append(result.files)
    variant.parsed.append(result.parsed)
    variant.findings.append(len(result.findings))


def run_rounds(bench_: Bench, forms: Sequence[str], rule_sets: Sequence[str], runs: int) -> list[Variant]:
    variants: list[Variant] = []
    for rules in rule_sets:
        org = {form: Variant(form, rules) for form in forms}
        alone_variant = Variant("per-project", rules)
        steps = [*forms, "per-project"]
        for round_no in range(runs):
            log(f"[{rules}] round {round_no + 1}/{runs}")
            shift = round_no % len(steps)
            org_groups: dict[str, dict[str, Counter[str]] | None] = {}
            alone_groups: dict[str, Counter[str]] = {}
            for step in steps[shift:] + steps[:shift]:
                if step == "per-project":
                    alone_groups = bench_.per_project(alone_variant, rules)
                else:
                    org_groups[step] = bench_.org_wide(org[step], rules)
            for form, groups in org_groups.items():
                if groups is None:
                    continue
                # Projects whose own run crashed are compared as if they had no findings alone.
                differences = compare(groups, {n: alone_groups.get(n, Counter()) for n in bench_.names})
                org[form].differing = differences
                org[form].differing_counts.append(len(differences))
        variants += [*org.values(), alone_variant]
    return variants


# --------------------------------------------------------------------------- reporting


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def last(values: Sequence[int]) -> int | None:
    return values[-1] if values else None


def summarize(variant: Variant, projects: int) -> dict[str, Any]:
    pss, rss, wall = median(variant.pss_kib), median(variant.rss_kib), median(variant.walls)
    return {
        "run": variant.kind,
        "rules": variant.rules,
        "projects": projects,
        "runs": len(variant.walls),
        "files": last(variant.files),
        "parsed": last(variant.parsed),
        "findings": last(variant.findings),
        "peak_pss_mib": None if pss is None else round(pss / MIB, 1),
        "max_proc_rss_mib": None if rss is None else round(rss / MIB, 1),
        "wall_s": None if wall is None else round(wall, 2),
        "stable": all(len(set(v)) <= 1 for v in (variant.files, variant.parsed, variant.findings)),
        "differing_projects": last(variant.differing_counts) if variant.kind != "per-project" else None,
        "differences": [asdict(d) for d in variant.differing],
        "errors": variant.errors,
        "samples": {
            "wall_s": [round(w, 3) for w in variant.walls],
            "peak_pss_kib": variant.pss_kib,
            "max_proc_rss_kib": variant.rss_kib,
            "files": variant.files,
            "parsed": variant.parsed,
            "findings": variant.findings,
            "differing_projects": variant.differing_counts,
        },
        "per_project": variant.per_project,
    }


RUN_TITLES = {
    "tree": "org-wide: one TREE",
    "paths": "org-wide: {n} PATHS",
    "per-project": "per project, summed",
}
COLUMNS = (
    ("run", "run"),
    ("rules", "rules"),
    ("projects", "projects"),
    ("files", "files"),
    ("parsed", "parsed"),
    ("parsed_per_project", "parsed per project (sum)"),
    ("findings", "findings"),
    ("peak_pss_mib", "peak PSS MiB"),
    ("max_proc_rss_mib", "largest proc RSS MiB"),
    ("wall_s", "wall s"),
    ("differing_projects", "differing projects"),
)


def cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def first_example(difference: dict[str, Any]) -> str:
    examples = difference["examples_org_wide"] or difference["examples_alone"]
    if not examples:
        return "-"
    side = "org-wide" if difference["examples_org_wide"] else "alone"
    finding = examples[0]
    row = (finding.get("location") or {}).get("row")
    message = str(finding.get("message", ""))
    via = VIA.search(message)  # the module a cross-module finding came through says the most
    shown = via[0] if via else message.split(":", 1)[0][:60]
    return f"{side}: {finding.get('filename')}:{row} {finding.get('code')} {shown}".replace("|", "/")


def render(rows: Sequence[dict[str, Any]]) -> str:
    alone = {row["rules"]: row for row in rows if row["run"] == "per-project"}
    lines = [
        "| " + " | ".join(title for _, title in COLUMNS) + " |",
        "|" + "|".join("---" if key in {"run", "rules"} else "---:" for key, _ in COLUMNS) + "|",
    ]
    for row in rows:
        shown = dict(row, run=RUN_TITLES[row["run"]].format(n=row["projects"]))
        if row["run"] == "per-project":
            shown["run"] += " (memory: the largest project's)"
            shown["parsed_per_project"] = row["parsed"]
        else:
            shown["parsed_per_project"] = alone.get(row["rules"], {}).get("parsed")
        if row["errors"]:
            shown["differing_projects"] = f"{cell(shown['differing_projects'])}; {len(row['errors'])} CRASHED"
        lines.append("| " + " | ".join(cell(shown.get(key)) for key, _ in COLUMNS) + " |")
    details = []
    for row in rows:
        if row["run"] == "per-project" or not row["differences"]:
            continue
        title = RUN_TITLES[row["run"]].format(n=row["projects"])
        details.append(f"\nDiffering projects, {title} [{row['rules']}] (findings org-wide vs alone):\n")
        details.append("| project | org-wide | alone | only org-wide | only alone | first extra finding |")
        details.append("|---|---:|---:|---:|---:|---|")
        details += [
            f"| {d['project']} | {d['org_wide']} | {d['alone']} | {d['only_org_wide']} | {d['only_alone']}"
            f" | {first_example(d)} |"
            for d in row["differences"]
        ]
    return "\n".join(lines + details)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group()
    source.add_argument(
        "--projects", type=Path, default=DEFAULT_PROJECTS, help="NAME==VERSION lines to fetch and check"
    )
    source.add_argument("--tree", type=Path, help="check every subdirectory of this directory; fetch nothing")
    parser.add_argument(
        "--runs", type=int, default=3, help="rounds; times and memory are medians (default 3)"
    )
    parser.add_argument(
        "--forms",
        default=",".join(FORMS),
        help="org-wide forms: tree (one TREE argument), paths (every project a PATH) (default both)",
    )
    parser.add_argument("--select-all", action="store_true", help="also measure everything with --select ALL")
    parser.add_argument("--evlint", help="evlint executable (default .venv/bin/evlint, this Python's, PATH)")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a run is killed")
    parser.add_argument("--sample-ms", type=int, default=20, help="PSS sampling interval (0: none)")
    parser.add_argument("--json", type=Path, help="also write the raw numbers here")
    args = parser.parse_args(argv)
    args.forms = [f.strip() for f in args.forms.split(",") if f.strip()]
    if not set(args.forms) <= set(FORMS):
        parser.error(f"--forms: choose from {', '.join(FORMS)}")
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    return args


def _terminate(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)  # so that the scratch tree is removed


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    evlint = bench.find_evlint(args.evlint)
    bench.byte_compile_evlint(evlint)
    failures: dict[str, str] = {}
    if args.tree is not None:
        projects = given_projects(args.tree)
    else:
        projects, failures = fetch_projects(read_pins(args.projects))
    if not projects:
        raise SystemExit("no projects")
    names = [p.name for p in projects]
    if len(set(names)) != len(names):
        raise SystemExit("two projects share a name")
    rule_sets = ["default", "ALL"] if args.select_all else ["default"]
    with tempfile.TemporaryDirectory(prefix="evlint-many-") as tmp:
        tree = Path(tmp) / "tree"
        assemble(projects, tree)
        log(f"{len(projects)} projects assembled under {tree}; evlint {evlint}")
        variants = run_rounds(Bench(evlint, tree, names, args), args.forms, rule_sets, args.runs)
    rows = [summarize(v, len(projects)) for v in variants]
    print(render(rows))
    if failures:
        print(f"\n{len(failures)} projects could not be fetched: {', '.join(sorted(failures))}")
    crashed = any(row["errors"] for row in rows) or bool(failures)
    if args.json:
        meta = {
            **bench.run_stamp(),
            "argv": sys.argv[1:] if argv is None else list(argv),
            "evlint": str(evlint),
            "evlint_version": bench.tool_version(evlint),
            "projects": {p.name: str(p.source) for p in projects},
            "fetch_failures": failures,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2) + "\n")
        log(f"wrote {args.json}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
