#!/usr/bin/env python3
"""Benchmark evlint against peer linters running an equivalent eventlet check.

Run from the repository root:

    python3 benchmarks/run.py [--runs N] [--corpus nova==34.0.0 ...] [--peers ruff,flake8,semgrep,fixit]

What it does:

* fetches each corpus with ``../shared/corpus/fetch.sh NAME==VER`` (cached in ~/.cache/evlint-corpus);
* installs every peer from PyPI into its own venv under ``~/.cache/evlint-bench/venvs/NAME`` (one venv per
  peer so their pins cannot clash; reused when present, ``--reinstall`` rebuilds them);
* byte-compiles evlint's modules (as ``pip install`` does; see ``byte_compile_evlint``) and runs evlint
  from the repository's dev venv (``.venv/bin/evlint``, an editable install, so the working
  tree's ``src/`` is what gets measured) or whatever ``--evlint PATH`` names;
* writes each peer's eventlet check into a temporary directory (never into the corpus):
  ruff: flake8-tidy-imports banned-api (TID251); flake8: one hacking-style regex check as a local plugin
  (M322, like masakari's); semgrep: one YAML rule; fixit: one libcst rule;
* runs every tool/mode ``--runs`` times, alternating tools within each round (the order rotates from
  round to round) so machine noise hits all of them alike; a tool whose first run takes longer than
  ``--slow-threshold`` seconds, and fixit always, gets only ``--slow-runs`` runs;
* measures wall time, the peak summed PSS and RSS of the whole process tree (sampled from /proc) and the
  largest single process's max RSS (from wait4's rusage);
* prints a table and writes the same as JSON to ``benchmarks/results.json``.

"cold" means no result cache (ruff and evlint --no-cache; flake8, semgrep and fixit keep none); "warm"
(ruff and evlint) reuses a cache primed by one untimed run, nothing changed; "touch-1" (evlint) also
reuses a primed cache, in a copy of the corpus where nova/utils.py gets a new trailing comment before each
run, so that one file is re-read and re-parsed. evlint's caches live in the scratch directory
(EVLINT_CACHE_DIR), never in the user's. The OS page cache is warm in all modes. flake8 runs
every installed plugin (pyflakes, pycodestyle, hacking's H checks) whatever --select says, so its time is
that of a real OpenStack pep8 run with one more check, not of the one check alone. "peak PSS MiB" sums
the proportional set size over the process tree (a page shared by forked workers is divided among them:
the tree's real footprint); "peak RSS MiB" sums RSS, so such pages count once per worker; "max proc MiB"
is the largest single process's max RSS.
"findings" counts the non-empty lines a tool printed to stdout: a sanity check that it found something,
not a comparison of rule coverage.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FETCH_SCRIPT = REPO.parent / "shared" / "corpus" / "fetch.sh"
BENCH_CACHE = Path(os.environ.get("EVLINT_BENCH_DIR", Path.home() / ".cache" / "evlint-bench"))
DEFAULT_CORPORA = ("nova==31.0.0", "nova==34.0.0")
DEFAULT_JSON = REPO / "benchmarks" / "results.json"
PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024

# Peer name -> (PyPI packages to install, console script that runs it).
PEER_PACKAGES: dict[str, tuple[tuple[str, ...], str]] = {
    "ruff": (("ruff",), "ruff"),
    "flake8": (("flake8", "hacking"), "flake8"),
    "semgrep": (("semgrep",), "semgrep"),
    "fixit": (("fixit",), "fixit"),
}
ALWAYS_SLOW = frozenset({"fixit"})

RUFF_CONFIG = """\
[lint]
select = ["TID251"]

[lint.flake8-tidy-imports.banned-api]
"eventlet".msg = "eventlet is being removed: use the standard library"
"eventlet.spawn".msg = "use threading or the project's spawn wrapper"
"eventlet.spawn_n".msg = "use threading or the project's spawn wrapper"
"eventlet.greenthread".msg = "use threading"
"eventlet.greenthread.spawn".msg = "use threading or the project's spawn wrapper"
"eventlet.greenthread.spawn_n".msg = "use threading or the project's spawn wrapper"
"""

FLAKE8_CONFIG = """\
[flake8]
select = M322

[flake8:local-plugins]
extension =
    M322 = evbench_hacking:check_no_eventlet_spawn
paths = .
"""

FLAKE8_PLUGIN = '''\
"""One hacking-style check, as masakari's M322 / nova's N340."""

import re

from hacking import core

SPAWN_RE = re.compile(r".*(eventlet|greenthread)\\.spawn(_n)?\\(")


@core.flake8ext
def check_no_eventlet_spawn(logical_line):
    if SPAWN_RE.match(logical_line):
        yield 0, "M322: use the project's spawn wrapper instead of eventlet's spawn functions"
'''

SEMGREP_RULE = """\
rules:
  - id: eventlet-usage
    languages: [python]
    severity: ERROR
    message: eventlet usage (import or spawn)
    pattern-either:
      - pattern: import eventlet
      - pattern: import eventlet.$MOD
      - pattern: from eventlet import $NAME
      - pattern: eventlet.spawn(...)
      - pattern: eventlet.spawn_n(...)
      - pattern: eventlet.greenthread.spawn(...)
      - pattern: eventlet.greenthread.spawn_n(...)
"""

# fixit applies a config only to files under the config's own directory, so the rule is chosen with
# --rules (and PYTHONPATH); this file just stops fixit from reading any config inside the corpus.
FIXIT_CONFIG = """\
[tool.fixit]
root = true
"""

FIXIT_RULE = '''\
"""One libcst rule: eventlet imports and eventlet's spawn functions."""

import re

import libcst as cst
from fixit import LintRule

SPAWN_RE = re.compile(r"(eventlet|greenthread)\\.spawn(_n)?$")


def _is_eventlet(name: str | None) -> bool:
    return name is not None and (name == "eventlet" or name.startswith("eventlet."))


class NoEventlet(LintRule):
    MESSAGE = "eventlet usage (import or spawn)"
    VALID = []
    INVALID = []

    def visit_Import(self, node: cst.Import) -> None:
        if any(_is_eventlet(cst.helpers.get_full_name_for_node(a.name)) for a in node.names):
            self.report(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None and _is_eventlet(cst.helpers.get_full_name_for_node(node.module)):
            self.report(node)

    def visit_Call(self, node: cst.Call) -> None:
        name = cst.helpers.get_full_name_for_node(node.func)
        if name is not None and SPAWN_RE.search(name):
            self.report(node)
'''


class ToolUnavailableError(Exception):
    """A peer could not be installed or located."""


@dataclass(frozen=True)
class Variant:
    """One way of running one tool on one corpus."""

    tool: str
    mode: str
    argv: tuple[str, ...]
    ok_codes: frozenset[int] = frozenset({0})
    env: dict[str, str] = field(default_factory=dict)
    prime: bool = False
    slow: bool = False
    # Run (untimed) before every run of the variant, priming included.
    before_each: Callable[[], None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Sample:
    wall_s: float
    tree_rss_kib: int
    max_proc_rss_kib: int
    findings: int
    tree_pss_kib: int = 0


@dataclass
class Result:
    corpus: str
    tool: str
    mode: str
    budget: int
    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.error is not None or len(self.samples) >= self.budget


# --------------------------------------------------------------------------- setup


def run_stamp() -> dict[str, object]:
    """When and on what a benchmark ran, for its JSON."""
    return {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
        },
    }


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- corpora
# Every benchmark script finds its corpora here (object_flow, many_projects, cold, tricks,
# scaling import this module: `sys.path.insert(0, <benchmarks>)`, then `import run`).

CORPUS_CACHE = Path(os.environ.get("EVLINT_CORPUS_DIR", Path.home() / ".cache" / "evlint-corpus"))


def corpus_dir(spec: str) -> Path:
    """The extracted tree of the corpus NAME==VERSION: from the cache when it is there (no
    subprocess), else downloaded by ../shared/corpus/fetch.sh; a failed download raises
    CalledProcessError (its stderr says why)."""
    cached = CORPUS_CACHE / spec.replace("==", "-", 1)
    if "==" in spec and cached.is_dir():
        return cached
    proc = subprocess.run(
        ["bash", str(FETCH_SCRIPT), spec], cwd=REPO, check=True, capture_output=True, text=True
    )
    return Path(proc.stdout.strip().splitlines()[-1])


def fetch_corpus(spec: str) -> Path:
    """Download (or reuse) a corpus and return its extracted directory (`corpus_dir`)."""
    return corpus_dir(spec)


def ensure_peer(name: str, reinstall: bool) -> Path:
    """Return the peer's executable, creating its venv and installing it from PyPI if needed."""
    packages, script = PEER_PACKAGES[name]
    venv = BENCH_CACHE / "venvs" / name
    exe = venv / "bin" / script
    marker = venv / ".evbench-installed"
    if reinstall and venv.exists():
        shutil.rmtree(venv)
    if exe.exists() and marker.exists():
        return exe
    log(f"installing {' '.join(packages)} into {venv}")
    steps = [
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *packages],
    ]
    for argv in steps:
        proc = subprocess.run(argv, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            raise ToolUnavailableError(f"install failed: {last_line(proc.stderr)}")
    marker.write_text(" ".join(packages) + "\n")
    return exe


def find_evlint(option: str | None) -> Path:
    if option:
        return Path(option)
    dev = REPO / ".venv" / "bin" / "evlint"
    if dev.exists():
        return dev
    found = shutil.which("evlint")
    if found is None:
        raise SystemExit("evlint not found: create the dev venv or pass --evlint PATH")
    return Path(found)


def byte_compile_evlint(exe: Path) -> None:
    """Byte-compile evlint's own modules, as `pip install` does for a regular install.

    The dev venv's install is editable, so its modules have no bytecode unless a run writes
    it, and with PYTHONDONTWRITEBYTECODE set (as on this machine) none does: every run would
    compile every module again (about 0.1 s), which no installed evlint does.
    """
    python = exe.parent / "python"
    if not python.exists():
        return
    find = "import evlint, os; print(os.path.dirname(evlint.__file__))"
    package = subprocess.run(
        [str(python), "-c", find], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run(
        [str(python), "-m", "compileall", "-q", package],
        check=True,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""},
    )


def write_configs(directory: Path) -> None:
    """Write every peer's eventlet check into DIRECTORY."""
    files = {
        "ruff.toml": RUFF_CONFIG,
        "flake8.ini": FLAKE8_CONFIG,
        "evbench_hacking.py": FLAKE8_PLUGIN,
        "semgrep.yaml": SEMGREP_RULE,
        "fixit.toml": FIXIT_CONFIG,
        "evbench_fixit_rule.py": FIXIT_RULE,
    }
    for name, text in files.items():
        (directory / name).write_text(text)


def tool_version(exe: Path) -> str:
    proc = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=False)
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    return lines[0].strip() if lines else "unknown"


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1][:200] if lines else ""


# --------------------------------------------------------------------------- variants


def evlint_variants(exe: Path, corpus: Path, select: str, scratch: Path) -> list[Variant]:
    """cold (--no-cache), warm (a primed cache, nothing changed) and touch-1 (a primed cache, one
    file's contents changed before each run, in a copy of the corpus), plus a cold run of `select`."""
    flags = ("-q", "--output-format", "concise", "--exit-zero")
    cache = {"EVLINT_CACHE_DIR": str(scratch / f"evlint-cache-{corpus.name}")}
    copy = scratch / f"touch-{corpus.name}"
    if not copy.exists():
        shutil.copytree(corpus, copy, symlinks=True)
    variants = [
        Variant("evlint", "cold", (str(exe), "check", str(corpus), *flags, "--no-cache"), env=cache),
        Variant("evlint", "warm", (str(exe), "check", str(corpus), *flags), env=cache, prime=True),
        Variant(
            "evlint",
            "touch-1",
            (str(exe), "check", str(copy), *flags),
            env=cache,
            prime=True,
            before_each=Toucher(copy / TOUCHED_FILE),
        ),
    ]
    if select:
        base = (str(exe), "check", str(corpus), *flags, "--no-cache", "--select", select)
        variants.append(Variant(f"evlint[{select}]", "cold", base, env=cache))
    return variants


def pack_variants(exe: Path, corpus: Path, packs: str, scratch: Path) -> list[Variant]:
    """Cold runs with the packs added to the default rules (`+EVH`), and without them (`-EVB,EVH`:
    the eventlet pack alone), so the packs' cost reads against ruff's cold run of the same round."""
    if not packs:
        return []
    flags = ("-q", "--output-format", "concise", "--exit-zero", "--no-cache")
    cache = {"EVLINT_CACHE_DIR": str(scratch / f"evlint-cache-{corpus.name}")}
    base = (str(exe), "check", str(corpus), *flags)
    return [
        Variant(f"evlint[+{packs}]", "cold", (*base, "--extend-select", packs), env=cache),
        Variant(f"evlint[-{packs}]", "cold", (*base, "--ignore", packs), env=cache),
    ]


# A mid-sized module that imports eventlet in every nova release measured, so it is parsed.
TOUCHED_FILE = "nova/utils.py"


class Toucher:
    """Changes one file's bytes (a new trailing comment) each time it is called."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.original = path.read_bytes()
        self.count = 0

    def __call__(self) -> None:
        self.count += 1
        self.path.write_bytes(self.original + f"# evbench touch {self.count}\n".encode())


def ruff_variants(exe: Path, corpus: Path, cfg: Path, cache: Path) -> list[Variant]:
    base: tuple[str, ...] = (str(exe), "check", str(corpus), "--config", str(cfg / "ruff.toml"))
    base += ("--select", "TID251", "--output-format", "concise", "--quiet", "--exit-zero")
    return [
        Variant("ruff", "cold", (*base, "--no-cache")),
        Variant("ruff", "warm", (*base, "--cache-dir", str(cache)), prime=True),
    ]


def flake8_variants(exe: Path, corpus: Path, cfg: Path) -> list[Variant]:
    argv = (str(exe), "--config", str(cfg / "flake8.ini"), "-j", "2", "--select", "M322", "--exit-zero")
    return [Variant("flake8", "cold", (*argv, str(corpus)))]


def semgrep_variants(exe: Path, corpus: Path, cfg: Path) -> list[Variant]:
    argv: tuple[str, ...] = (str(exe), "scan", "--config", str(cfg / "semgrep.yaml"), "--jobs", "2")
    argv += ("--quiet", "--emacs", "--metrics=off", "--disable-version-check")
    # The built-in .semgrepignore skips tests/: the other tools check them, so semgrep must too.
    argv += ("--x-ignore-semgrepignore-files", str(corpus))
    env = {"SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    return [Variant("semgrep", "cold", argv, env=env)]


def fixit_variants(exe: Path, corpus: Path, cfg: Path) -> list[Variant]:
    argv = (str(exe), "--config-file", str(cfg / "fixit.toml"), "--rules", "evbench_fixit_rule")
    env = {"PYTHONPATH": str(cfg)}  # so that --rules can import the rule module
    ok = frozenset({0, 1})  # fixit exits 1 when it reports anything
    return [Variant("fixit", "cold", (*argv, "lint", str(corpus)), ok_codes=ok, env=env, slow=True)]


def peer_variants(name: str, exe: Path, corpus: Path, cfg: Path) -> list[Variant]:
    if name == "ruff":
        return ruff_variants(exe, corpus, cfg, cfg / f"ruff-cache-{corpus.name}")
    if name == "flake8":
        return flake8_variants(exe, corpus, cfg)
    if name == "semgrep":
        return semgrep_variants(exe, corpus, cfg)
    return fixit_variants(exe, corpus, cfg)


# --------------------------------------------------------------------------- measuring


def proc_table() -> dict[int, tuple[int, int]]:
    """Map every live pid to (parent pid, RSS in KiB)."""
    table: dict[int, tuple[int, int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2 :].split()
        table[int(entry)] = (int(fields[1]), int(fields[21]) * PAGE_KIB)
    return table


def tree_memory_kib(root: int) -> tuple[int, int]:
    """(summed RSS, summed PSS) of ROOT and all its descendants.

    RSS counts a page shared by forked workers once per process; PSS divides each shared page
    among the processes sharing it, so the sum is the tree's real footprint.
    """
    table = proc_table()
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in table.items():
        children.setdefault(ppid, []).append(pid)
    rss, pss, stack = 0, 0, [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            rss += table[pid][1]
            pss += proportional_set_kib(pid)
        stack.extend(children.get(pid, ()))
    return rss, pss


def proportional_set_kib(pid: int) -> int:
    """The process's PSS from /proc/PID/smaps_rollup (0 if it is gone or the kernel lacks it)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


class TreeRssSampler(threading.Thread):
    """Polls the process tree's summed RSS until stopped and keeps the peak."""

    def __init__(self, root: int, interval_s: float) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.interval_s = interval_s
        self.peak_kib = 0
        self.peak_pss_kib = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while True:
            rss, pss = tree_memory_kib(self.root)
            self.peak_kib, self.peak_pss_kib = max(self.peak_kib, rss), max(self.peak_pss_kib, pss)
            if self._stop_event.wait(self.interval_s):
                return

    def stop(self) -> int:
        self._stop_event.set()
        self.join()
        return self.peak_kib


def count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for line in handle if line.strip())


def measure(variant: Variant, scratch: Path, timeout_s: float, sample_ms: int) -> Sample:
    """Run VARIANT once; raise RuntimeError with a reason when it fails."""
    out_path, err_path = scratch / "stdout", scratch / "stderr"
    env = {**os.environ, **variant.env}
    with out_path.open("wb") as out, err_path.open("wb") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(variant.argv, stdout=out, stderr=err, env=env, start_new_session=True)
        sampler = TreeRssSampler(proc.pid, sample_ms / 1000) if sample_ms > 0 else None
        if sampler:
            sampler.start()
        killer = threading.Timer(timeout_s, os.killpg, (proc.pid, signal.SIGKILL))
        killer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        killer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        tree_peak = sampler.stop() if sampler else 0
        tree_pss = sampler.peak_pss_kib if sampler else 0
    if proc.returncode == -signal.SIGKILL and wall >= timeout_s:
        raise RuntimeError(f"timed out after {timeout_s:.0f} s")
    if proc.returncode not in variant.ok_codes:
        raise RuntimeError(f"exit {proc.returncode}: {last_line(err_path.read_text(errors='replace'))}")
    max_proc = usage.ru_maxrss
    return Sample(wall, max(tree_peak, max_proc), max_proc, count_lines(out_path), tree_pss)


# --------------------------------------------------------------------------- scheduling


@dataclass(frozen=True)
class Schedule:
    runs: int
    slow_runs: int
    slow_threshold_s: float
    timeout_s: float
    sample_ms: int


def run_once(variant: Variant, result: Result, schedule: Schedule, scratch: Path) -> None:
    try:
        sample = measure(variant, scratch, schedule.timeout_s, schedule.sample_ms)
    except (OSError, RuntimeError) as exc:
        result.error = f"n/a: {exc}"
        log(f"  {variant.tool} {variant.mode}: {result.error}")
        return
    result.samples.append(sample)
    if len(result.samples) == 1 and sample.wall_s > schedule.slow_threshold_s:
        result.budget = min(result.budget, schedule.slow_runs)
    log(
        f"  {variant.tool:<22} {variant.mode:<4} {sample.wall_s:8.2f} s {sample.tree_rss_kib / 1024:8.1f} MiB"
        f" {sample.findings:6d} findings"
    )


def run_variants(pairs: Sequence[tuple[Variant, Result]], schedule: Schedule, scratch: Path) -> None:
    """One pass over the variants: every measurement, priming or timed, goes through here."""
    for variant, result in pairs:
        if result.done:
            continue
        if variant.before_each is not None:
            variant.before_each()
        run_once(variant, result, schedule, scratch)


def bench_corpus(corpus: str, variants: Sequence[Variant], schedule: Schedule, scratch: Path) -> list[Result]:
    """Run every variant on one corpus, alternating variants within each round."""
    results = [
        Result(corpus, v.tool, v.mode, schedule.slow_runs if v.slow else schedule.runs) for v in variants
    ]
    pairs = list(zip(variants, results, strict=True))
    primed = [(v, r) for v, r in pairs if v.prime]
    if primed:
        log(f"[{corpus}] priming {', '.join(f'{v.tool} {v.mode}' for v, _ in primed)}")
        run_variants(primed, schedule, scratch)
        for _, result in primed:
            result.samples.clear()
    for round_no in range(schedule.runs):
        log(f"[{corpus}] round {round_no + 1}/{schedule.runs}")
        shift = round_no % len(pairs)
        run_variants(pairs[shift:] + pairs[:shift], schedule, scratch)
    return results


# --------------------------------------------------------------------------- reporting


def summarize(results: Sequence[Result]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    ruff_cold, ruff_warm = (
        {
            r.corpus: statistics.median(s.wall_s for s in r.samples)
            for r in results
            if r.tool == "ruff" and r.mode == mode and r.samples
        }
        for mode in ("cold", "warm")
    )
    for r in results:
        row: dict[str, object] = {"corpus": r.corpus, "tool": r.tool, "mode": r.mode, "error": r.error}
        if r.samples and r.error is None:
            walls = [s.wall_s for s in r.samples]
            median = statistics.median(walls)
            baseline, warm_baseline = ruff_cold.get(r.corpus), ruff_warm.get(r.corpus)
            row |= {
                "runs": len(walls),
                "median_s": round(median, 3),
                "min_s": round(min(walls), 3),
                "peak_mib": round(max(s.tree_rss_kib for s in r.samples) / 1024, 1),
                "peak_pss_mib": round(max(s.tree_pss_kib for s in r.samples) / 1024, 1),
                "max_proc_mib": round(max(s.max_proc_rss_kib for s in r.samples) / 1024, 1),
                "ratio_to_ruff_cold": round(median / baseline, 1) if baseline else None,
                "ratio_to_ruff_warm": round(median / warm_baseline, 1) if warm_baseline else None,
                "findings": r.samples[-1].findings,
                "findings_stable": len({s.findings for s in r.samples}) == 1,
                "samples": [asdict(s) for s in r.samples],
            }
        rows.append(row)
    return rows


COLUMNS = (
    ("corpus", "corpus", "<"),
    ("tool", "tool", "<"),
    ("mode", "mode", "<"),
    ("runs", "runs", ">"),
    ("median_s", "median s", ">"),
    ("min_s", "min s", ">"),
    ("peak_pss_mib", "peak PSS MiB", ">"),
    ("peak_mib", "peak RSS MiB", ">"),
    ("max_proc_mib", "max proc MiB", ">"),
    ("ratio_to_ruff_cold", "x ruff cold", ">"),
    ("ratio_to_ruff_warm", "x ruff warm", ">"),
    ("findings", "findings", ">"),
)


def format_cell(key: str, value: object) -> str:
    if value is None:
        return "-"
    if key in {"median_s", "min_s"} and isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def render_table(rows: Sequence[dict[str, object]]) -> str:
    cells = [[format_cell(key, row.get(key)) for key, _, _ in COLUMNS] for row in rows]
    widths = [max([len(title)] + [len(c[i]) for c in cells]) for i, (_, title, _) in enumerate(COLUMNS)]
    header = " | ".join(title.ljust(w) for (_, title, _), w in zip(COLUMNS, widths, strict=True))
    lines = [header, "-+-".join("-" * w for w in widths)]
    for row, line in zip(rows, cells, strict=True):
        if row.get("error"):
            lines.append(
                " | ".join(c.ljust(w) for c, w in zip(line[:3], widths, strict=False)) + f" | {row['error']}"
            )
            continue
        padded = [
            c.ljust(w) if align == "<" else c.rjust(w)
            for c, w, (_, _, align) in zip(line, widths, COLUMNS, strict=True)
        ]
        lines.append(" | ".join(padded))
    return "\n".join(lines)


# --------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=5, help="timed runs per tool and mode (default 5)")
    parser.add_argument("--slow-runs", type=int, default=1, help="timed runs for slow tools (default 1)")
    parser.add_argument(
        "--slow-threshold",
        type=float,
        default=60.0,
        help="a first run longer than this many seconds makes a tool slow (default 60)",
    )
    parser.add_argument(
        "--corpus",
        nargs="+",
        default=list(DEFAULT_CORPORA),
        metavar="NAME==VER",
        help=f"corpora to fetch and check (default {' '.join(DEFAULT_CORPORA)})",
    )
    parser.add_argument(
        "--peers",
        default=",".join(PEER_PACKAGES),
        help="comma-separated peers to run; empty for evlint only (default all)",
    )
    parser.add_argument("--evlint", help="evlint executable (default .venv/bin/evlint, else PATH)")
    parser.add_argument(
        "--evlint-select",
        default="EVL101,EVL501",
        help="rules for the evlint run equivalent to the peers' check; empty to skip",
    )
    parser.add_argument(
        "--evlint-packs",
        default="EVB,EVH",
        help="rule packs (code prefixes) measured cold added to and removed from the defaults; empty to skip",
    )
    parser.add_argument("--reinstall", action="store_true", help="rebuild the peers' venvs")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a run is killed")
    parser.add_argument(
        "--sample-ms",
        type=int,
        default=50,
        help="process-tree RSS sampling interval; 0 keeps only rusage's max RSS",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    args = parser.parse_args(argv)
    args.peers = [p.strip() for p in args.peers.split(",") if p.strip()]
    unknown = set(args.peers) - set(PEER_PACKAGES)
    if unknown:
        parser.error(f"unknown peers: {', '.join(sorted(unknown))}")
    if args.runs < 1 or args.slow_runs < 1:
        parser.error("--runs and --slow-runs must be at least 1")
    return args


def install_peers(names: Sequence[str], reinstall: bool) -> tuple[dict[str, Path], dict[str, str]]:
    """Return (executables of the peers that installed, reasons for those that did not)."""
    exes: dict[str, Path] = {}
    failures: dict[str, str] = {}
    for name in names:
        try:
            exes[name] = ensure_peer(name, reinstall)
        except ToolUnavailableError as exc:
            failures[name] = f"n/a: {exc}"
            log(f"{name}: {failures[name]}")
    return exes, failures


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    schedule = Schedule(args.runs, args.slow_runs, args.slow_threshold, args.timeout, args.sample_ms)
    evlint = find_evlint(args.evlint)
    byte_compile_evlint(evlint)
    exes, failures = install_peers(args.peers, args.reinstall)
    versions = {"evlint": tool_version(evlint)} | {name: tool_version(exe) for name, exe in exes.items()}
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="evlint-bench-") as tmp:
        cfg = Path(tmp)
        write_configs(cfg)
        for spec in args.corpus:
            corpus = fetch_corpus(spec)
            variants = evlint_variants(evlint, corpus, args.evlint_select, cfg)
            variants += pack_variants(evlint, corpus, args.evlint_packs, cfg)
            for name, exe in exes.items():
                variants += peer_variants(name, exe, corpus, cfg)
            results += bench_corpus(spec, variants, schedule, cfg)
            results += [Result(spec, name, "cold", 0, error=reason) for name, reason in failures.items()]
    rows = summarize(results)
    print(render_table(rows))
    meta = {
        **run_stamp(),
        "argv": sys.argv[1:],
        "evlint": str(evlint),
        "versions": versions,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"meta": meta, "results": rows}, indent=2) + "\n")
    log(f"wrote {args.json}")
    return 0


# --------------------------------------------------------------------------- timed child runs
# One evlint command timed whole: what benchmarks/history.py and report_projects.py measure.


@dataclass(frozen=True)
class ChildRun:
    wall_s: float
    cpu_s: float  # user + system of the command and of every process it started and waited for
    stdout: str
    stderr: str


def timed_child(argv: Sequence[str], env: dict[str, str] | None = None) -> ChildRun:
    """Run `argv` to the end and time it; exits the benchmark if it fails (status over 1)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:5])} ... failed: {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return ChildRun(wall, cpu, done.stdout, done.stderr)


if __name__ == "__main__":
    sys.exit(main())
