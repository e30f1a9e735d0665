"""The result and rule caches, through the real CLI: hits, invalidation, damage, concurrency."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evlint.cache.store import decode, encode
from evlint.model import Diagnostic, Location, Severity
from tests.conftest import ROOT, run_cli, write_files

SPAWN = "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"
CLEAN = "import threading\n"
STATS = re.compile(r"evlint: (\d+) files checked, (\d+) from the cache, (\d+) parsed")


def check(*args: str) -> tuple[list[str], tuple[int, int, int]]:
    """Concise findings and (checked, cached, parsed) of one run."""
    result = run_cli(["check", "--output-format", "concise", "-q", *args], env={"EVLINT_DEBUG_STATS": "1"})
    assert result.exit_code in (0, 1), result.output
    found = STATS.search(result.stderr)
    assert found is not None, result.stderr
    checked, cached, parsed = (int(group) for group in found.groups())
    return result.stdout.splitlines(), (checked, cached, parsed)


def age(*paths: Path) -> None:
    """Make files older than the racy window, so the cache may trust their stat."""
    old = time.time() - 3600
    for path in paths:
        os.utime(path, (old, old))


@pytest.fixture
def tree(project: Path) -> Path:
    files = {f"pkg/clean{index}.py": CLEAN for index in range(5)}
    files |= {"pkg/spawner.py": SPAWN, "pkg/other.py": SPAWN}
    write_files(project, files)
    age(*(path for path in project.rglob("*") if path.is_file()))
    return project


def test_second_run_is_answered_from_the_cache(tree: Path, cache_dir: Path) -> None:
    first, (checked, cached, parsed) = check()
    assert (checked, cached, parsed) == (8, 0, 2)  # pyproject.toml too: it may declare eventlet
    second, stats = check()
    assert second == first
    assert stats == (8, 8, 0)
    assert list(cache_dir.glob("evlint-cache/projects/*/results/*.json"))
    assert list((cache_dir / "evlint-cache" / "rules").glob("*.json"))


def test_touching_one_file_reparses_only_that_file(tree: Path) -> None:
    check()
    (tree / "pkg" / "clean0.py").write_text(
        "import oslo_messaging\nserver = oslo_messaging.get_rpc_server(t, executor='eventlet')\n"
    )
    findings, stats = check()
    assert stats == (8, 7, 1)
    assert sum("pkg/clean0.py" in line and "EVL701" in line for line in findings) == 1


def test_a_change_in_what_a_project_module_re_exports_rechecks_its_readers(tree: Path) -> None:
    """The project index is part of the key: a hub's new re-export reaches the files using it."""
    write_files(tree, {"pkg/__init__.py": "", "pkg/hub.py": "from eventlet import sleep\n"})
    write_files(tree, {"pkg/user.py": "from pkg import hub\nhub.sleep(1)\nhub.spawn(f)\n"})
    age(*(path for path in tree.rglob("*") if path.is_file()))
    first, _ = check()
    assert sum("pkg/user.py" in line for line in first) == 1
    (tree / "pkg" / "hub.py").write_text("from eventlet import sleep, spawn\n")
    second, _ = check()
    assert sum("pkg/user.py" in line for line in second) == 2
    assert check()[1][2] == 0  # and then nothing is parsed again


def test_a_new_mtime_with_the_same_bytes_is_a_hit_by_digest(tree: Path) -> None:
    first, _ = check()
    (tree / "pkg" / "spawner.py").touch()
    second, stats = check()
    assert second == first
    assert stats == (8, 8, 0)


def test_content_change_invalidates_even_with_size_and_mtime_kept(tree: Path) -> None:
    """The racy case: a file rewritten within the same mtime tick, same size."""
    target = tree / "pkg" / "clean0.py"
    target.write_text("import eventlet\n")
    first, _ = check()
    assert any("pkg/clean0.py" in line for line in first)
    stat = target.stat()
    target.write_text("import threading\n"[: len("import eventlet\n")].ljust(16))
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert target.stat().st_size == stat.st_size
    second, _ = check()
    assert not any("pkg/clean0.py" in line for line in second)


def test_rule_change_invalidates(tree: Path) -> None:
    rules = tree / "my-rules"
    rules.mkdir()
    source = ROOT / "examples" / "custom-rules" / "ourproject" / "ORG101.yaml"
    text = source.read_text(encoding="utf-8")
    (rules / "ORG101.yaml").write_text(text, encoding="utf-8")
    write_files(tree, {"pkg/pool.py": "import eventlet\npool = eventlet.GreenPool(64)\n"})
    args = ("--rules-dir", str(rules), "--select", "ORG101")
    before, _ = check(*args)
    assert any("bypasses ourproject.pools.worker_pool()" in line for line in before)
    changed = text.replace("bypasses {factory}", "skips {factory}")
    (rules / "ORG101.yaml").write_text(changed, encoding="utf-8")
    after, (_, cached, _) = check(*args)
    assert cached == 0
    assert any("skips ourproject.pools.worker_pool()" in line for line in after)


def test_rule_option_and_selection_changes_invalidate(tree: Path) -> None:
    check()
    _, (_, cached, _) = check("--select", "EVL501")
    assert cached == 0
    (tree / "pyproject.toml").write_text('[tool.evlint.options.EVL502]\ntest-paths = ["pkg/"]\n')
    _, (_, cached, _) = check()
    assert cached == 0


def test_per_file_ignores_change_invalidates(tree: Path) -> None:
    before, _ = check()
    assert any("pkg/spawner.py" in line for line in before)
    (tree / "pyproject.toml").write_text('[tool.evlint.per-file-ignores]\n"pkg/spawner.py" = ["EVL"]\n')
    after, (_, cached, _) = check()
    assert cached == 0
    assert not any("pkg/spawner.py" in line for line in after)
    assert any("pkg/other.py" in line for line in after)


def test_no_cache_neither_reads_nor_writes(tree: Path, cache_dir: Path) -> None:
    _, (_, cached, parsed) = check("--no-cache")
    assert (cached, parsed) == (0, 2)
    assert not any(cache_dir.iterdir())
    check()
    _, (_, cached, _) = check("--no-cache")
    assert cached == 0


def test_damaged_cache_files_are_ignored(tree: Path, cache_dir: Path) -> None:
    expected, _ = check()
    for path in cache_dir.rglob("*.json"):
        path.write_text('{"format": 1, "entries": {"' + str(tree / "pkg" / "spawner.py") + '": [1, 2')
    damaged, (_, cached, _) = check()
    assert damaged == expected
    assert cached == 0
    for path in cache_dir.rglob("*.json"):
        document = json.loads(path.read_text())
        if "entries" in document and path.parent.name == "results":  # right shape, wrong things
            for entry in document["entries"].values():
                if entry[3]:
                    entry[3] = [{"__type__": "NotAModelType"}]
            path.write_text(json.dumps(document))
    again, (_, cached, _) = check()
    assert again == expected
    assert cached == 6  # the clean files' and pyproject.toml's empty lists are still good


def test_unwritable_cache_dir_is_not_an_error(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tree / "not-a-directory"
    blocker.write_text("")
    monkeypatch.setenv("EVLINT_CACHE_DIR", str(blocker / "cache"))
    findings, (_, cached, _) = check()
    assert cached == 0
    assert any("pkg/spawner.py" in line for line in findings)


def test_cache_dir_setting_and_environment(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EVLINT_CACHE_DIR")
    (tree / "pyproject.toml").write_text('[tool.evlint]\ncache-dir = ".evlint-cache"\n')
    check()
    assert list((tree / ".evlint-cache").glob("evlint-cache/projects/*/results/*.json"))
    monkeypatch.setenv("EVLINT_CACHE_DIR", str(tree / "from-env"))
    check()
    assert list((tree / "from-env").glob("evlint-cache/projects/*/results/*.json"))


def test_cache_dir_setting_must_be_a_string(tree: Path) -> None:
    (tree / "pyproject.toml").write_text("[tool.evlint]\ncache-dir = 3\n")
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert "pyproject.toml:2: cache-dir must be a path" in result.stderr


def test_cached_findings_are_shown_relative_to_the_current_directory(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    check()
    monkeypatch.chdir(tree / "pkg")
    findings, (_, cached, _) = check()
    assert cached == 7  # the Python files below pkg/
    assert any(line.startswith("spawner.py:5:") for line in findings)


def test_text_output_from_the_cache_keeps_the_code_frame(tree: Path) -> None:
    first = run_cli(["check", "--no-color"]).stdout
    second = run_cli(["check", "--no-color"]).stdout
    assert second == first
    assert "eventlet.spawn(worker)" in second


def test_concurrent_runs_both_get_the_right_findings(tree: Path, cache_dir: Path) -> None:
    for index in range(40):
        write_files(tree, {f"many/m{index}.py": SPAWN if index % 3 == 0 else CLEAN})
    expected, _ = check("--no-cache")
    command = [sys.executable, "-m", "evlint", "check", "--output-format", "concise", "-q", "--exit-zero"]
    env = {**os.environ, "EVLINT_CACHE_DIR": str(cache_dir)}
    for _ in range(2):  # cold, then both warm
        runs = [
            subprocess.Popen(command, cwd=tree, env=env, stdout=subprocess.PIPE, text=True) for _ in range(2)
        ]
        outputs = [run.communicate(timeout=300)[0] for run in runs]
        assert all(run.returncode == 0 for run in runs)
        assert [output.splitlines() for output in outputs] == [expected, expected]
    final, (_, cached, _) = check()
    assert final == expected
    assert cached == 48
    assert not list(cache_dir.rglob("*tmp"))


def test_codec_round_trips_model_values() -> None:
    diagnostic = Diagnostic(
        "EVL101", "m", "", Location(1, 2), Location(1, 9), Severity.WARNING, "s", "u", noqa_row=1
    )
    assert decode(json.loads(json.dumps(encode([diagnostic])))) == (diagnostic,)
    with pytest.raises(ValueError, match="not a model type"):
        decode({"__type__": "Path"})


def test_a_warm_run_imports_no_yaml_schema_rich_libcst_or_pool(tree: Path, cache_dir: Path) -> None:
    script = (
        "import sys\n"
        "from evlint.cli import main\n"
        "try:\n"
        "    main(['check', '--output-format', sys.argv[1]])\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(' '.join(sorted(sys.modules)), file=sys.stderr)\n"
    )
    env = {**os.environ, "EVLINT_CACHE_DIR": str(cache_dir)}

    def modules(output_format: str) -> set[str]:
        done = subprocess.run(
            [sys.executable, "-c", script, output_format],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return set(done.stderr.split())

    cold = modules("json")
    assert {"yaml", "jsonschema_rs", "evlint.engine"} <= cold
    assert "jsonschema" not in cold  # valid rules need only jsonschema-rs
    for output_format in ("json", "concise"):
        warm = modules(output_format)
        loaded = {name.split(".")[0] for name in warm} | warm
        assert not loaded & {  # jsonschema-rs validates the cached rules (17 ms to import)
            "yaml",
            "jsonschema",
            "rich",
            "libcst",
            "evlint.engine",
            "concurrent.futures.process",
        }


def test_old_cache_files_are_pruned_when_a_new_key_is_written(tree: Path, cache_dir: Path) -> None:
    from evlint.cache.store import KEEP, digest

    check("--select", "EVL5")  # evlint creates (and tags) its namespace directory
    stale = (
        cache_dir / "evlint-cache" / "projects" / digest(str(tree))[:32] / "results"
    )  # the project's own part
    stale.mkdir(parents=True, exist_ok=True)
    for index in range(KEEP + 4):
        (stale / f"{index:032x}.json").write_text("{}")
        os.utime(stale / f"{index:032x}.json", (1000 + index, 1000 + index))
    findings, _ = check()
    assert any("pkg/spawner.py" in line for line in findings)
    left = sorted(path.name for path in stale.glob("*.json"))
    assert len(left) == KEEP
    assert f"{0:032x}.json" not in left  # the oldest went first
    _, (_, cached, _) = check()
    assert cached == 8  # the file just written was kept


def test_a_new_function_in_a_hub_module_rechecks_only_the_hub(tree: Path) -> None:
    write_files(tree, {"pkg/__init__.py": "", "pkg/hub.py": "from eventlet import sleep\n"})
    write_files(tree, {"pkg/user.py": "from pkg import hub\nhub.sleep(1)\n"})
    age(*(path for path in tree.rglob("*") if path.is_file()))
    first, _ = check()
    (tree / "pkg" / "hub.py").write_text("from eventlet import sleep\n\n\ndef helper():\n    return 1\n")
    second, stats = check()
    assert second == first
    assert stats[2] == 1  # only the hub is parsed again
