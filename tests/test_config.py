"""[tool.evlint] in pyproject.toml: every key, its errors, and how the CLI overrides it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

CODE = "import eventlet\neventlet.spawn(f)\n"


def codes_for(*args: str) -> list[tuple[str, str]]:
    result = run_cli(["check", "--output-format", "json", *args])
    assert result.exit_code in (0, 1), result.output
    return [(Path(item["filename"]).name, item["code"]) for item in json.loads(result.stdout)]


def test_select_and_ignore_from_config(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint]\nselect = ["EVL"]\nignore = ["EVL501"]\n', "a.py": CODE}
    )
    assert codes_for() == [("a.py", "EVL101")]
    assert codes_for("--select", "EVL501") == [("a.py", "EVL501")]  # --select replaces the config's


def test_extend_select_from_config_and_cli(project: Path) -> None:
    write_files(project, {"pyproject.toml": '[tool.evlint]\nextend-select = ["M322"]\n', "a.py": CODE})
    # M322 supersedes EVL101 on the sites it reports (see test_precedence.py)
    assert codes_for("--ignore", "EVL501") == [("a.py", "M322")]


def test_nearest_pyproject_is_used_from_a_subdirectory(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_files(
        project,
        {
            "pyproject.toml": '[tool.evlint]\nselect = ["EVL501"]\n',
            "sub/pyproject.toml": '[project]\nname = "x"\n',  # no [tool.evlint]: skipped
            "sub/a.py": CODE,
        },
    )
    monkeypatch.chdir(project / "sub")
    assert codes_for("a.py") == [("a.py", "EVL501")]


def test_explicit_config_file(project: Path) -> None:
    write_files(project, {"ci.toml": 'select = ["EVL101"]\n', "a.py": CODE})
    assert codes_for("--config", "ci.toml") == [("a.py", "EVL101")]


def test_per_file_ignores(project: Path) -> None:
    write_files(
        project,
        {
            "pyproject.toml": '[tool.evlint.per-file-ignores]\n"tests/**" = ["EVL1"]\n"a.py" = ["EVL501"]\n',
            "a.py": CODE,
            "tests/test_a.py": CODE,
        },
    )
    assert codes_for() == [("a.py", "EVL101"), ("test_a.py", "EVL501")]


def test_rule_options_change_message_and_exempt_paths(project: Path) -> None:
    write_files(
        project,
        {
            "pyproject.toml": (
                '[tool.evlint]\nselect = ["M322"]\n'
                '[tool.evlint.options.M322]\nwrapper-module = "nova.utils"\nexempt = ["nova/utils.py"]\n'
            ),
            "nova/api.py": CODE,
            "nova/utils.py": CODE,
            "masakari/utils.py": CODE,
        },
    )
    result = run_cli(["check", "--output-format", "concise"])
    assert result.stdout.splitlines()[:2] == [
        "masakari/utils.py:2:1: M322 Use nova.utils.spawn() rather than eventlet.spawn()",
        "nova/api.py:2:1: M322 Use nova.utils.spawn() rather than eventlet.spawn()",
    ]


def test_extend_rules_dirs(project: Path) -> None:
    rule = (
        "id: ORG001\nname: no-sleep\nsummary: s\nmessage: no {name}\nmatch: {call: [eventlet.sleep]}\n"
        'examples:\n  invalid: [{code: "import eventlet\\neventlet.sleep()\\n"}]\n  valid: [{code: "sleep()"}]\n'
    )
    write_files(
        project,
        {
            "pyproject.toml": '[tool.evlint]\nextend-rules-dirs = ["our-rules"]\nselect = ["ORG"]\n',
            "our-rules/ORG001.yaml": rule,
            "a.py": "import eventlet\neventlet.sleep(1)\n",
        },
    )
    assert (
        run_cli(["check", "--output-format", "concise"]).stdout.splitlines()[0] == "a.py:2:1: ORG001 no sleep"
    )


@pytest.mark.parametrize(
    ("pyproject", "message"),
    [
        ('[tool.evlint]\nselct = ["EVL"]\n', "pyproject.toml:2: unknown configuration key 'selct'"),
        ('[tool.evlint]\nselect = "EVL"\n', "pyproject.toml:2: select must be a list of strings"),
        ('[tool.evlint]\nselect = ["EVL", "QQQ1"]\n', "unknown rule selector 'QQQ1'"),
        ("[tool.evlint\n", "pyproject.toml:1: invalid TOML"),
        ("[tool.evlint.options.X999]\na = 1\n", "pyproject.toml:1: options for unknown rule 'X999'"),
        (
            '[tool.evlint]\nselect=["M322"]\n[tool.evlint.options.M322]\nwrapper = "x"\n',
            "pyproject.toml:3: M322 has no option 'wrapper' (options: exempt, wrapper-module)",
        ),
        (
            '[tool.evlint]\nselect=["M322"]\n[tool.evlint.options.M322]\nexempt = "x"\n',
            "pyproject.toml:3: M322 option 'exempt' must be a list of strings",
        ),
        (
            '[tool.evlint.per-file-ignores]\n"a.py" = "EVL"\n',
            "pyproject.toml:2: per-file-ignores.'a.py' must be a list",
        ),
        ('[tool.evlint]\nextend-rules-dirs = ["nowhere"]\n', "nowhere: rules directory does not exist"),
    ],
)
def test_config_errors_exit_2_with_file_and_line(project: Path, pyproject: str, message: str) -> None:
    write_files(project, {"pyproject.toml": pyproject, "a.py": CODE})
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_missing_explicit_config_is_an_error(project: Path) -> None:
    result = run_cli(["check", "--config", "nope.toml"])
    assert result.exit_code == 2
    assert "nope.toml: config file does not exist" in result.stderr
