"""`evlint entrypoints`: entry points from packaging metadata and the code, where each one
monkey-patches, behind which switch, what imports eventlet with the patch off, the verdict."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import run_cli, write_files

PYPROJECT = """\
[project]
name = "app"
version = "1"

[project.scripts]
app-api = "app.cmd.api:main"

[project.entry-points.wsgi_scripts]
app-wsgi = "app.wsgi:init_application"

[project.entry-points."oslo.config.opts"]
app = "app.conf:list_opts"

[tool.evlint]
"""

# masakari's shape: the package's `cmd/__init__.py` patches, unconditionally.
UNGUARDED = {
    "app/__init__.py": "",
    "app/cmd/__init__.py": "import eventlet\n\neventlet.monkey_patch()\n",
    "app/cmd/api.py": "import sys\n\nfrom app import service\n\n\ndef main():\n    service.run(sys.argv)\n",
    "app/service.py": "def run(argv):\n    return argv\n",
    "app/wsgi.py": "from app import service\n\n\ndef init_application():\n    return service\n",
    "app/conf.py": "def list_opts():\n    return []\n",
}

# nova 34's shape: a wrapper that patches unless an environment variable or an option says not.
WRAPPER = """\
import os

from oslo_config import cfg


def _backend_from_config():
    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt("concurrency_backend", default="auto"))
    conf([])
    return conf.concurrency_backend


def _monkey_patch():
    import eventlet

    eventlet.monkey_patch()


def patch(backend="eventlet"):
    env = os.environ.get("APP_DISABLE_EVENTLET_PATCHING", "").lower()
    if env == "":
        should_patch = _backend_from_config() != "threading" and backend == "eventlet"
    else:
        should_patch = env not in ("1", "true")
    if should_patch:
        _monkey_patch()
"""
GUARDED = {
    "app/__init__.py": "",
    "app/monkey_patch.py": WRAPPER,
    "app/cmd/__init__.py": "",
    "app/cmd/api.py": (
        "from app import monkey_patch; monkey_patch.patch(backend='threading')  # noqa\n\n"
        "import logging\n\nfrom app import service\n\n\ndef main():\n    service.run()\n"
    ),
    "app/service.py": "def run():\n    pass\n",
    "app/wsgi.py": "def init_application():\n    pass\n",
    "app/conf.py": "",
}


def entrypoints(path: str = ".", *extra: str) -> list[dict[str, Any]]:
    result = run_cli(["entrypoints", path, "--output-format", "json", *extra])
    assert result.exit_code == 0, result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    return items


def by_name(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["name"]: item for item in items}


def test_pyproject_scripts_and_entry_points_resolve_to_module_and_function(project: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **UNGUARDED})
    items = by_name(entrypoints())
    assert {
        name: (i["group"], i["module"], i["function"])
        for name, i in items.items()
        if i["group"] != "__main__"
    } == {
        "app-api": ("console_scripts", "app.cmd.api", "main"),
        "app-wsgi": ("wsgi_scripts", "app.wsgi", "init_application"),
    }
    assert items["app-api"]["target"] == "app.cmd.api:main"
    assert "app" not in items  # a plugin group runs inside another process


def test_unconditional_patch_in_a_package_init_is_eventlet_only_with_the_patch_located(project: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **UNGUARDED})
    api = by_name(entrypoints())["app-api"]
    assert api["verdict"] == "eventlet-only"
    [patch] = api["patches"]
    assert patch["location"] == "app/cmd/__init__.py:3"
    assert patch["how"] == "full"
    assert patch["switchable"] is False
    assert patch["reached_by"] == "app-api → app.cmd"
    assert any("app/cmd/__init__.py:3" in line and "no switch" in line for line in api["evidence"])
    # The wsgi script does not go through app.cmd: nothing on its way patches.
    assert by_name(entrypoints())["app-wsgi"]["verdict"] == "eventlet-free"


def test_a_switched_wrapper_is_dual_mode_with_its_switches_named(project: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **GUARDED})
    api = by_name(entrypoints())["app-api"]
    assert api["verdict"] == "dual-mode", api["evidence"]
    [patch] = api["patches"]
    assert patch["location"] == "app/monkey_patch.py:16"
    assert patch["call"] == "app/cmd/api.py:1 monkey_patch.patch(backend='threading')"
    guards = {(g["kind"], g["name"]) for g in patch["guards"]}
    assert {("env", "APP_DISABLE_EVENTLET_PATCHING"), ("config", "concurrency_backend")} <= guards
    assert ("backend", "backend") in guards
    assert patch["switchable"] is True
    assert api["imported_before_patch"] == [
        "app",
        "app.cmd",
        "app.cmd.api",
        "app.monkey_patch",
        "os",
        "oslo_config",
    ]
    assert api["eventlet_imports"] == []


def test_with_the_patch_off_a_module_level_eventlet_import_makes_it_eventlet_only_with_the_chain(
    project: Path,
) -> None:
    files = {**GUARDED, "app/service.py": "from app import utils\n", "app/utils.py": "import eventlet\n"}
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    api = by_name(entrypoints())["app-api"]
    assert api["verdict"] == "eventlet-only"
    assert api["eventlet_imports"] == [
        "app-api → app.cmd.api → app.service → app.utils → eventlet (app/utils.py:1)"
    ]
    text = run_cli(["entrypoints", "."]).stdout
    assert "blocker: app.utils imports eventlet (app/utils.py:1) (1 entry point)" in text


def test_imports_in_other_functions_are_lazy_and_the_entry_functions_are_followed(project: Path) -> None:
    files = {
        **GUARDED,
        "app/service.py": "def run():\n    import eventlet\n    return eventlet\n",
        "app/cmd/api.py": "def main():\n    from app import engine\n    engine.start()\n",
        "app/engine.py": "import eventlet.green.threading\n",
    }
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    api = by_name(entrypoints())["app-api"]
    assert api["eventlet_imports"] == [
        "app-api → app.cmd.api.main() → app.engine → eventlet.green.threading (app/engine.py:1)"
    ]
    files["app/cmd/api.py"] = "from app import service\n\n\ndef main():\n    service.run()\n"
    files["app/engine.py"] = ""
    write_files(project, files)
    api = by_name(entrypoints())["app-api"]
    assert api["verdict"] == "eventlet-free"
    assert api["lazy_eventlet_imports"] == ["app.service.run() (app/service.py:2)"]


def test_setup_cfg_console_and_wsgi_scripts(project: Path) -> None:
    setup_cfg = """\
    [metadata]
    name = app

    [entry_points]
    console_scripts =
        app-api = app.cmd.api:main
    wsgi_scripts =
        app-wsgi = app.wsgi:init_application
    oslo.config.opts =
        app = app.conf:list_opts
    """
    write_files(project, {"setup.cfg": setup_cfg, **UNGUARDED})
    items = by_name(entrypoints())
    assert (items["app-api"]["group"], items["app-api"]["verdict"]) == ("console_scripts", "eventlet-only")
    assert (items["app-wsgi"]["group"], items["app-wsgi"]["declared_in"]) == ("wsgi_scripts", "setup.cfg")
    assert "app" not in items


def test_setup_cfg_options_entry_points_and_setup_py_ini_text_keep_names_as_written(project: Path) -> None:
    setup_cfg = "[options.entry_points]\nconsole_scripts =\n    App-API = app.cmd.api:main\n"
    setup_py = (
        "from setuptools import setup\n\n"
        "setup(entry_points='[wsgi_scripts]\\nApp-WSGI = app.wsgi:init_application\\n')\n"
    )
    write_files(project, {"setup.cfg": setup_cfg, "setup.py": setup_py, **UNGUARDED})
    items = by_name(entrypoints())
    assert (items["App-API"]["group"], items["App-API"]["target"]) == ("console_scripts", "app.cmd.api:main")
    assert (items["App-WSGI"]["group"], items["App-WSGI"]["declared_in"]) == ("wsgi_scripts", "setup.py:3")


def test_setup_py_literal_entry_points_and_a_warning_for_one_that_is_not(project: Path) -> None:
    setup_py = """\
    from setuptools import setup

    setup(name="app", entry_points={"console_scripts": ["app-api = app.cmd.api:main"]})
    """
    write_files(project, {"setup.py": setup_py, **UNGUARDED})
    items = by_name(entrypoints())
    assert (items["app-api"]["target"], items["app-api"]["declared_in"]) == ("app.cmd.api:main", "setup.py:3")
    write_files(project, {"setup.py": "from setuptools import setup\n\nsetup(entry_points=make())\n"})
    result = run_cli(["entrypoints", "."])
    assert result.exit_code == 0
    assert "setup.py:3: entry_points= is not a literal; skipped" in result.stderr
    assert "app-api" not in result.stdout


def test_main_modules_and_test_packages_are_entry_points(project: Path) -> None:
    files = {
        "tool/__init__.py": "",
        "tool/__main__.py": "from tool import run\n",
        "tool/run.py": (
            "import sys\n\n\ndef go():\n    pass\n\n\nif __name__ == '__main__':\n"
            "    import eventlet\n    eventlet.monkey_patch(thread=False)\n    go()\n"
        ),
        "tool/tests/__init__.py": "",
        "tool/tests/unit/__init__.py": "import eventlet\n\neventlet.monkey_patch(os=False)\n",
        "tool/tests/unit/test_run.py": "if __name__ == '__main__':\n    pass\n",
    }
    write_files(project, files)
    items = by_name(entrypoints())
    assert {name: i["group"] for name, i in items.items()} == {
        "tool.__main__": "__main__",
        "tool.run": "__main__",
        "tool.tests.unit": "tests",
    }
    run = items["tool.run"]
    assert run["verdict"] == "eventlet-only"
    assert run["patches"][0]["how"] == "partial (thread=False)"
    assert run["eventlet_imports"] == ["tool.run → eventlet (tool/run.py:9)"]  # run as __main__
    assert items["tool.__main__"]["verdict"] == "eventlet-free"  # importing tool.run skips its main block
    assert items["tool.tests.unit"]["patches"][0]["location"] == "tool/tests/unit/__init__.py:3"


def test_a_patch_only_skipped_when_already_patched_has_no_switch(project: Path) -> None:
    wrapper = (
        "from eventlet import patcher\n\n\ndef setup():\n"
        "    if patcher.is_monkey_patched('socket'):\n        return\n    patcher.monkey_patch()\n"
    )
    files = {
        **GUARDED,
        "app/monkey_patch.py": wrapper,
        "app/cmd/api.py": "from app import monkey_patch\nmonkey_patch.setup()\n",
    }
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    api = by_name(entrypoints())["app-api"]
    assert api["verdict"] == "eventlet-only"
    assert [g["kind"] for g in api["patches"][0]["guards"]] == ["is_monkey_patched"]
    assert any("only skipped when already patched" in line for line in api["evidence"])


def test_patching_either_way_of_a_condition_is_no_switch(project: Path) -> None:
    wrapper = (
        "import os\n\nimport eventlet\n\n\ndef _patch():\n    if os.environ.get('DEBUG'):\n"
        "        eventlet.monkey_patch(thread=False)\n    else:\n        eventlet.monkey_patch()\n\n\n"
        "if os.environ.get('APP_NO_PATCH') != '1':\n    _patch()\n"
    )
    files = {**GUARDED, "app/monkey_patch.py": wrapper, "app/cmd/__init__.py": "import app.monkey_patch\n"}
    files["app/cmd/api.py"] = "def main():\n    pass\n"
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    api = by_name(entrypoints())["app-api"]
    [patch] = api["patches"]
    assert [(g["kind"], g["name"]) for g in patch["guards"]] == [("env", "APP_NO_PATCH")]
    assert patch["how"] == "full"
    assert patch["reached_by"] == "app-api → app.cmd → app.monkey_patch"
    # The switch is there, but the wrapper's module imports eventlet whatever it says.
    assert api["verdict"] == "eventlet-only"
    assert api["eventlet_imports"] == [
        "app-api → app.cmd → app.monkey_patch → eventlet (app/monkey_patch.py:3)"
    ]


def test_a_project_without_eventlet_is_eventlet_free_and_another_packages_command_unresolved(
    project: Path,
) -> None:
    pyproject = '[project]\nname = "lib"\n[project.scripts]\nlib = "lib.cli:main"\nwrap = "other.cmd:main"\n'
    files = {
        "lib/__init__.py": "",
        "lib/cli.py": "import threading\n\n\ndef main():\n    threading.Thread()\n",
    }
    write_files(project, {"pyproject.toml": pyproject + "[tool.evlint]\n", **files})
    items = by_name(entrypoints())
    assert items["lib"]["verdict"] == "eventlet-free"
    assert items["wrap"]["verdict"] == "unresolved"
    text = run_cli(["entrypoints"]).stdout
    assert text.splitlines()[0].endswith(": eventlet-free")
    assert "NAME" in text and "lib.cli:main" in text


def test_the_text_table_and_the_project_verdict(project: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **UNGUARDED})
    lines = run_cli(["entrypoints", "."]).stdout.splitlines()
    assert lines[0] == f"{project}: eventlet-only"
    assert "  blocker: unconditional monkey patch at app/cmd/__init__.py:3 (1 entry point)" in lines
    header = next(line for line in lines if line.startswith("NAME"))
    assert header.split() == ["NAME", "GROUP", "TARGET", "VERDICT"]
    assert any(
        line.split() == ["app-api", "console_scripts", "app.cmd.api:main", "eventlet-only"] for line in lines
    )


def test_a_missing_path_is_a_usage_error(project: Path) -> None:
    result = run_cli(["entrypoints", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere: no such file or directory" in result.stderr


def test_scans_are_cached_and_a_changed_module_is_read_again(project: Path, cache_dir: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **GUARDED})
    assert by_name(entrypoints())["app-api"]["verdict"] == "dual-mode"
    assert list((cache_dir / "evlint-cache" / "entrypoints").glob("*.json"))
    assert by_name(entrypoints())["app-api"]["verdict"] == "dual-mode"
    write_files(project, {"app/service.py": "import eventlet\n"})
    assert by_name(entrypoints())["app-api"]["verdict"] == "eventlet-only"


def test_the_api_gives_the_report_the_projects_verdict_and_blockers(project: Path) -> None:
    from evlint.api import entrypoint_verdicts

    write_files(project, {"pyproject.toml": PYPROJECT, **UNGUARDED})
    result = entrypoint_verdicts(project)
    assert result.verdict == "eventlet-only"
    assert set(result.blockers) == {
        "unconditional monkey patch at app/cmd/__init__.py:3 (1 entry point)",
        "app.cmd imports eventlet (app/cmd/__init__.py:1) (1 entry point)",
    }
    assert [r.entry_point.name for r in result.entry_points][:2] == ["app-api", "app-wsgi"]


def test_an_eventlet_import_behind_the_switch_goes_with_the_patch(project: Path) -> None:
    init = (
        "import os\n\nif not os.environ.get('SKIP_EVENTLET'):\n    import eventlet\n\n"
        "    eventlet.monkey_patch(all=True)\n"
    )
    write_files(project, {"pkg/__init__.py": "", "pkg/tests/__init__.py": init})
    [item] = entrypoints()
    assert (item["name"], item["group"], item["verdict"]) == ("pkg.tests", "tests", "dual-mode")
    assert item["patches"][0]["how"] == "full"
    assert item["eventlet_imports"] == []
    write_files(project, {"pkg/tests/__init__.py": "import eventlet\n" + init})
    [item] = entrypoints()
    assert item["verdict"] == "eventlet-only"
    assert item["eventlet_imports"] == ["pkg.tests → eventlet (pkg/tests/__init__.py:1)"]


def test_import_lines_inside_docstrings_are_not_imports(project: Path) -> None:
    service = '"""Use it so:\n\nimport eventlet\nfrom app import utils\n"""\n\n\ndef run():\n    pass\n'
    files = {**GUARDED, "app/service.py": service}
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    assert by_name(entrypoints())["app-api"]["verdict"] == "dual-mode"
    files["app/service.py"] = (
        'def run():\n    """Say:\n    import eventlet\n    """\n\n\ntry:\n    import eventlet\nexcept ImportError:\n    pass\n'
    )
    write_files(project, files)
    api = by_name(entrypoints())["app-api"]
    assert api["eventlet_imports"] == ["app-api → app.cmd.api → app.service → eventlet (app/service.py:8)"]
    assert api["lazy_eventlet_imports"] == ["app.monkey_patch._monkey_patch() (app/monkey_patch.py:14)"]


def test_a_patch_in_the_entry_function_itself(project: Path) -> None:
    files = {**UNGUARDED, "app/cmd/__init__.py": ""}
    files["app/cmd/api.py"] = (
        "import eventlet.patcher\n\n\ndef main():\n    eventlet.patcher.monkey_patch(socket=True)\n"
    )
    write_files(project, {"pyproject.toml": PYPROJECT, **files})
    api = by_name(entrypoints())["app-api"]
    [patch] = api["patches"]
    assert (patch["location"], patch["how"]) == ("app/cmd/api.py:5", "partial (only socket)")
    assert api["imported_before_patch"] == ["app", "app.cmd", "app.cmd.api"]
    assert by_name(entrypoints())["app-wsgi"]["imported_before_patch"] == []  # no patch, no list


def test_the_report_shows_each_projects_verdict_and_blockers(project: Path) -> None:
    write_files(project, {"pyproject.toml": PYPROJECT, **UNGUARDED})
    markdown = run_cli(["report", "."]).stdout
    row = next(line for line in markdown.splitlines() if line.startswith(f"| {project.name} |"))
    assert "| eventlet-only |" in row
    assert "unconditional monkey patch at app/cmd/__init__.py:3" in markdown
    document = json.loads(run_cli(["report", ".", "--output-format", "json"]).stdout)
    (only,) = document["projects"]
    assert only["verdict"] == "eventlet-only"
    assert any("app/cmd/__init__.py:3" in blocker for blocker in only["blockers"])
