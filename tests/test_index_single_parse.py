"""Files the project index reads are linted in the same parse; the results are those of
linting every file against the finished index."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

import evlint.runner.indexing
import evlint.runner.project
from evlint.api import Configuration, check, load_configuration
from evlint.config import CliOverrides
from evlint.engine import lint
from evlint.index import readers
from evlint.index.model import ProjectIndex, Questions, RecordingProject
from evlint.index.namer import ModuleNamer
from evlint.lint_file import Project, lint_python
from evlint.model import FileResult
from evlint.names import Expansion
from evlint.rulescope import RuleScope
from evlint.runner.project import build_project_index

from .conftest import run_cli, write_files

PROJECT = {
    "myproj/__init__.py": "",
    # A hub: it imports eventlet, so its module re-exports eventlet's names.
    "myproj/concurrency.py": """\
        import eventlet
        from eventlet import sleep

        def get_eventlet():
            return eventlet
        """,
    # Imports eventlet and also uses the hub: its first lint asked about the hub's names.
    "myproj/worker.py": """\
        import eventlet
        from myproj import concurrency

        eventlet.spawn(print)
        concurrency.sleep(1)
        concurrency.get_eventlet().spawn_n(print)
        """,
    # Imports eventlet, asks nothing the hub answers.
    "myproj/plain.py": """\
        import eventlet
        from myproj import other

        eventlet.sleep(1)
        other.helper()
        """,
    # No eventlet import: found as a reader of the hub.
    "myproj/reader.py": """\
        from myproj.concurrency import sleep
        from myproj import *

        sleep(2)
        """,
    "myproj/other.py": """\
        def helper():
            return 1
        """,
}


def _lines(result: Any) -> list[str]:
    return sorted(f"{d['filename']}:{d['location']['row']}:{d['code']}:{d['message']}" for d in result)


def _json(args: list[str]) -> list[dict[str, Any]]:
    result = run_cli(["check", *args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def _count_parses(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    parsed: Counter[str] = Counter()
    real_parse = lint._parse

    def counting_parse(path: str, text: str) -> Any:
        parsed[Path(path).name] += 1
        return real_parse(path, text)

    monkeypatch.setattr(lint, "_parse", counting_parse)
    return parsed


def test_each_module_is_parsed_once_unless_the_index_changes_its_answers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, PROJECT)
    parsed = _count_parses(monkeypatch)
    items = _json(["--no-cache", "myproj"])
    # worker.py imports eventlet, so it is read in the first round, against an index without
    # hubs; it uses the hub, so the finished index answers it otherwise and it is linted
    # again. reader.py is found in the second round, read against the index of the first,
    # which the finished one agrees with: once. other.py (no eventlet, no hub name) never.
    assert parsed == {"concurrency.py": 1, "plain.py": 1, "worker.py": 2, "reader.py": 1}
    via = Counter(
        (Path(i["filename"]).name, i["message"].endswith("(via myproj.concurrency)")) for i in items
    )
    assert via[("worker.py", True)] == 2 and via[("reader.py", True)] == 1
    assert via[("plain.py", True)] == 0


def test_with_and_without_the_cache_and_the_index_alone_agree(project: Path) -> None:
    write_files(project, PROJECT)
    uncached = _lines(_json(["--no-cache", "myproj"]))
    first = _lines(_json(["myproj"]))  # a cold cache: the index is built before the cache is read
    warm = _lines(_json(["myproj"]))
    assert uncached == first == warm
    assert any("(via myproj.concurrency)" in line for line in uncached)


EVL_ONLY = CliOverrides(select=("EVL",))


def _configuration(project: Path) -> Configuration:
    return load_configuration(project, EVL_ONLY)


def _index_of(root: Path) -> ProjectIndex:
    """The index a check of the project at `root` builds."""
    configuration = _configuration(root)
    return build_project_index(root.absolute(), configuration.settings, configuration.scope(), None)


def _direct(rules_scope: RuleScope, index: ProjectIndex) -> dict[str, FileResult]:
    """Every Python file linted on its own against the finished index: the reference."""
    namer = ModuleNamer()
    found = {}
    for path in sorted(Path().rglob("*.py")):
        active = rules_scope.for_file(path.absolute())
        shown = path.as_posix()
        project = Project(namer.context(path), index)
        compiled = rules_scope.compiled.get(active)
        found[shown] = lint_python(compiled, shown, path.read_bytes(), project=project).result
    return found


def test_the_results_are_those_of_linting_each_file_with_the_finished_index(project: Path) -> None:
    write_files(project, PROJECT)
    result = check([Path("myproj")], EVL_ONLY)
    direct = _direct(_configuration(project).scope(), _index_of(project))
    got = {file.path: file.diagnostics for file in result.files if file.diagnostics}
    assert got == {path: file.diagnostics for path, file in direct.items() if file.diagnostics}
    assert all(type(file) is FileResult for file in result.files)  # no index facts or questions kept


def _recorded_rounds(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """`run_jobs` as it is, noting the files of each call's jobs (each index round's, then
    the files linted once the index is finished)."""
    real_run_jobs = evlint.runner.indexing.run_jobs
    rounds: list[list[str]] = []

    def run_jobs(linter: Any, jobs: list[Any], here: Any = None) -> Any:
        rounds.append([Path(job.shown).name for job in jobs])
        return real_run_jobs(linter, jobs, here)

    monkeypatch.setattr(evlint.runner.indexing, "run_jobs", run_jobs)
    monkeypatch.setattr(evlint.runner.project, "run_jobs", run_jobs)
    return rounds


def test_the_recorder_answers_as_an_empty_index_and_notes_project_questions() -> None:
    recorder = RecordingProject(frozenset({"myproj"}))
    assert recorder.expand("myproj.concurrency.sleep") is None
    assert recorder.expand("oslo_utils.importutils.try_import") is None
    assert recorder.star_visible("myproj.concurrency", "sleep") is True
    assert recorder.star_visible("os", "path") is True
    assert recorder.questions() == Questions(
        (("myproj.concurrency.sleep", None),), (("myproj.concurrency", "sleep", True),)
    )


def test_the_recorder_answers_as_the_index_so_far_and_the_finished_one_is_checked(project: Path) -> None:
    write_files(project, PROJECT)
    index = _index_of(project)
    recorder = RecordingProject(frozenset({"myproj"}), index)
    assert recorder.expand("myproj.concurrency.sleep") == Expansion(
        frozenset({"eventlet.sleep"}), "myproj.concurrency"
    )
    assert recorder.expand("myproj.other.helper") is None
    asked = recorder.questions()
    assert index.answers_like(asked)
    assert not ProjectIndex(index.targets, {}).answers_like(asked)  # an index without that hub


def test_an_index_answers_like_an_empty_one_only_where_no_hub_is_involved(project: Path) -> None:
    write_files(project, PROJECT)
    index = _index_of(project)
    assert index.answers_like(Questions((("myproj.other.helper", None),)))
    assert not index.answers_like(Questions((("myproj.concurrency.sleep", None),)))
    assert not index.answers_like(Questions((), (("myproj.concurrency", "_x", True),)))
    assert index.answers_like(Questions((), (("myproj.other", "_x", True),)))


def test_a_file_that_cannot_be_decoded_is_reported_once(project: Path) -> None:
    write_files(project, PROJECT)
    (project / "myproj" / "broken.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nimport eventlet\nx = '\xff' + "
    )
    items = _json(["--no-cache", "myproj"])
    assert [i["code"] for i in items if i["filename"].endswith("broken.py")] == ["EVL000"]


def _age(root: Path) -> None:
    """Older than the cache's racy window, so the cache may trust the files' stat."""
    import os
    import time

    old = time.time() - 3600
    for path in root.rglob("*.py"):
        os.utime(path, (old, old))


def test_a_changed_file_rebuilds_the_index_from_cached_facts(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, PROJECT)
    _age(project)
    expected = _lines(_json(["myproj"]))
    parsed = _count_parses(monkeypatch)
    # A file no rule matches changes: the index is built again from cached facts, and
    # nothing is parsed.
    (project / "myproj" / "other.py").write_text("def helper():\n    return 2\n")
    assert _lines(_json(["myproj"])) == expected
    assert parsed == {}
    # The hub changes without changing what it re-exports: only the hub is parsed, once.
    hub = project / "myproj" / "concurrency.py"
    hub.write_text(hub.read_text() + "\ndef unrelated():\n    return 1\n")
    assert _lines(_json(["myproj"])) == expected
    assert parsed == {"concurrency.py": 1}
    # A new hub changes the index: every file is checked again, each parsed once (the new
    # hub while the index is built, the others against the finished index).
    parsed.clear()
    (project / "myproj" / "other.py").write_text("from eventlet import sleep as helper\n")
    changed = _lines(_json(["myproj"]))
    assert parsed == {"other.py": 1, "plain.py": 1, "worker.py": 1, "reader.py": 1, "concurrency.py": 1}
    assert any("plain.py" in line and "(via myproj.other)" in line for line in changed)


def _scans_growing(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """The files whose text the index scanned for a token it had no answer for."""
    grew: Counter[str] = Counter()
    passes = readers.ReaderTest.passes

    def counting(test: Any, source: bytes, seen: dict[bytes, bool] | None = None) -> bool:
        before = dict(seen or {})
        found = passes(test, source, seen)
        if seen is not None and seen != before:
            grew[source.decode()] += 1
        return found

    monkeypatch.setattr(readers.ReaderTest, "passes", counting)
    return grew


def _short_racy_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The racy window also looks at the ctime, which utime cannot set back: a short window,
    and a wait past it, age a file just written."""
    import time

    import evlint.cache.results

    monkeypatch.setattr(evlint.cache.results, "RACY_SECONDS", 0.2)
    time.sleep(0.3)


def test_after_one_file_changed_only_it_is_scanned_for_the_hubs_names(
    project: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path
) -> None:
    write_files(project, PROJECT)
    _age(project)
    _short_racy_window(monkeypatch)
    expected = _lines(_json(["myproj"]))
    other = project / "myproj" / "other.py"
    other.write_text("def helper():\n    return 2\n")  # the index is built again
    os.utime(other, (1_000_000_000, 1_000_000_000))  # (the other files keep their stat)
    _short_racy_window(monkeypatch)  # (past it: other.py's answers are recorded too)
    grew = _scans_growing(monkeypatch)
    assert _lines(_json(["myproj"])) == expected
    assert list(grew) == [other.read_text()]
    # Answers recorded in any other form are no answers: the files are scanned again.
    facts_file = next(cache_dir.glob("evlint-cache/projects/*/facts/*.json"))
    document = json.loads(facts_file.read_text())
    assert len(document["scans"]) == len(PROJECT)
    document["scans"] = {path: [1, "x", {"eventlet": "yes"}] for path in document["scans"]}
    facts_file.write_text(json.dumps(document))
    other.write_text("def helper():\n    return 3\n")
    os.utime(other, (1_000_000_001, 1_000_000_001))
    grew.clear()
    assert _lines(_json(["myproj"])) == expected
    assert len(grew) > 1


def test_a_file_changed_just_now_has_no_recorded_scan(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evlint.cache.index import FactsCache

    old, new = tmp_path / "old.py", tmp_path / "new.py"
    old.write_text("import eventlet\n")
    os.utime(old, (1_000_000_000, 1_000_000_000))
    _short_racy_window(monkeypatch)
    new.write_text("import eventlet\n")
    cache = FactsCache(tmp_path / "facts.json")
    scans = cache.scans([old, new, tmp_path / "gone.py"])
    assert set(scans) == {old, new}
    scans[old][b"eventlet"] = scans[new][b"eventlet"] = True
    cache.put("key", None)  # (a run that read no module keeps nothing)
    cache.save()
    again = FactsCache(tmp_path / "facts.json").scans([old, new])
    assert again == {old: {b"eventlet": True}, new: {}}  # new.py may change within its mtime tick


def test_damaged_facts_are_a_miss(project: Path, monkeypatch: pytest.MonkeyPatch, cache_dir: Path) -> None:
    write_files(project, PROJECT)
    expected = _lines(_json(["--no-cache", "myproj"]))
    assert _lines(_json(["myproj"])) == expected
    facts_files = list(cache_dir.glob("evlint-cache/projects/*/facts/*.json"))
    assert len(facts_files) == 1
    document = json.loads(facts_files[0].read_text())
    for key in document["entries"]:
        document["entries"][key] = {"scopes": [["module", None, {"x": [["?"]]}, [], [], []]], "all": None}
    facts_files[0].write_text(json.dumps(document))
    (project / "myproj" / "other.py").write_text("def helper():\n    return 2\n")  # the index is rebuilt
    parsed = _count_parses(monkeypatch)
    assert _lines(_json(["myproj"])) == expected
    assert parsed["concurrency.py"] == 1  # its damaged facts were parsed again


MODULES = {
    "shapes": """\
        import eventlet as ev, os.path
        from eventlet import *
        from . import sibling
        from .pkg import thing as other
        __all__ = ["spawn", "Pool"]
        spawn = ev.spawn
        x = y = ev.greenthread

        def get():
            import eventlet.green.socket as s
            helper = s.socket
            return helper

        def outer():
            value = ev.sleep
            def inner():
                nonlocal value
                global spawn
                value = spawn = importlib.import_module("eventlet.tpool")
                return value
            return inner()

        class Pool:
            size = ev.GreenPool
            def method(self):
                return self.size

        if (found := ev.Timeout):
            pass
        lazy = lambda: ev.event
        """,
}


@pytest.mark.parametrize("source", MODULES.values(), ids=MODULES.keys())
def test_facts_survive_their_json_form(source: str) -> None:
    import textwrap

    from evlint.module_facts import facts_from_json, facts_to_json
    from evlint.names import ModuleContext, Resolver

    text = textwrap.dedent(source)
    facts = lint.module_facts("m.py", text, ModuleContext("pkg.m", False))
    data = json.loads(json.dumps(facts_to_json(facts)))
    again = facts_from_json(data)
    assert facts_to_json(again) == data
    assert again.all_names == facts.all_names == {"spawn", "Pool"}
    for name in [*facts.scope.bindings, "spawn.()", "get.()", "outer.()"]:
        chain = tuple(name.split(".")) if name.endswith("()") else (name,)
        assert Resolver().resolve(again.scope, chain) == Resolver().resolve(facts.scope, chain), name


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"scopes": []},
        {"scopes": [["nowhere", None, {}, [], [], []]], "all": None},
        {"scopes": [["module"]]},
    ],
)
def test_facts_in_any_other_form_are_refused(data: Any) -> None:
    from evlint.module_facts import facts_from_json

    with pytest.raises((ValueError, TypeError, KeyError, IndexError)):
        facts_from_json(data)


SPAWNING = {
    "app/__init__.py": "",
    # A spawn wrapper (the index finds it in the text before any round), in a hub.
    "app/utils.py": """\
        import eventlet

        def spawn(func, *args):
            return eventlet.spawn(func, *args)
        """,
    # A wrapper of that wrapper, in a module that is no hub (nova.context's shape).
    "app/context.py": """\
        from app import utils

        def scatter(func):
            utils.spawn(func)
        """,
    # No eventlet import, so the pre-filter passes over it; it may call a wrapper, so the
    # index lists it among its readers from the start.
    "app/caller.py": """\
        import asyncio
        from app import context

        def job():
            asyncio.run(fetch())

        def start():
            context.scatter(job)
        """,
}


def test_a_file_that_may_call_a_spawn_wrapper_is_linted_in_the_first_round(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(project, SPAWNING)
    expected = _lines(_json(["--no-cache", "--select", "EVL,EVH402", "app"]))
    assert [line.split(":", 3)[1:3] for line in expected if "caller" in line] == [["5", "EVH402"]]
    parsed = _count_parses(monkeypatch)
    rounds = _recorded_rounds(monkeypatch)
    assert _lines(_json(["--no-cache", "--select", "EVL,EVH402", "app"])) == expected
    # Linted with the wrapper's module in the first round's pool, and settled there: no
    # pool of its own once the index is finished.
    assert "caller.py" in rounds[0]
    assert all("caller.py" not in jobs for jobs in rounds[1:]) and rounds[-1] == []
    assert parsed["caller.py"] == 1


HUB_AND_USER = {
    "app/__init__.py": "",
    "app/hub.py": """\
        from eventlet import sleep
        """,
    # Imports eventlet too, so the index reads it in the hub's round; it asks about the hub.
    "app/user.py": """\
        import eventlet
        from app import hub

        eventlet.spawn(print)
        hub.sleep(1)
        """,
}


@pytest.mark.parametrize("facts_so_far", [True, False])
def test_a_file_asking_about_a_hub_of_its_round_is_linted_once_after_the_hub(
    project: Path, monkeypatch: pytest.MonkeyPatch, facts_so_far: bool
) -> None:
    from evlint.speed import Tricks

    write_files(project, HUB_AND_USER)
    monkeypatch.setattr(evlint.runner.indexing, "TRICKS", Tricks(facts_so_far=facts_so_far))
    parsed = _count_parses(monkeypatch)
    items = _json(["--no-cache", "--select", "EVL", "app"])
    assert any(i["message"].endswith("(via app.hub)") for i in items if i["filename"].endswith("user.py"))
    # This process lints its files smallest first: the hub, then user.py against an index
    # with the hub's facts, which the finished index agrees with. Without: user.py was told
    # nothing of the hub, and is linted again.
    assert parsed == {"hub.py": 1, "user.py": 1 if facts_so_far else 2}
