"""What a ruff user reaches for: ruff's `check` options and output formats, through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.conftest import MASAKARI_WRAPPER, ROOT, run_cli, write_files

ERROR_AND_WARNING = "import eventlet\n\neventlet.spawn(work)\n"  # EVL501 (warning), EVL101 (error)


@pytest.fixture
def mixed(project: Path) -> Path:
    write_files(
        project, {"pkg/__init__.py": "", "pkg/mod.py": ERROR_AND_WARNING, "pkg/imp.py": "import eventlet\n"}
    )
    return project


def test_statistics_prints_only_the_table_with_names_and_fixable_marks(mixed: Path) -> None:
    result = run_cli(["check", "--statistics"])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["2", "EVL501", "[", "]", "eventlet-import"]
    assert lines[1].split() == ["1", "EVL101", "[", "]", "eventlet-spawn"]
    assert len(lines) == 2 and "-->" not in result.stdout and "Found" not in result.stdout
    assert run_cli(["check", "--statistics", "-q"]).stdout == result.stdout


def test_statistics_in_json(mixed: Path) -> None:
    result = run_cli(["check", "--statistics", "--output-format", "json"])
    assert json.loads(result.stdout) == [
        {"code": "EVL501", "name": "eventlet-import", "count": 2, "fixable": False},
        {"code": "EVL101", "name": "eventlet-spawn", "count": 1, "fixable": False},
    ]


def test_a_warning_alone_does_not_fail_and_is_not_called_an_error(project: Path) -> None:
    write_files(project, {"imp.py": "import eventlet\n"})
    result = run_cli(["check"])
    assert result.exit_code == 0, result.output
    assert "Found 1 warning in 1 file." in result.stdout
    assert run_cli(["check", "--fail-on", "warning"]).exit_code == 1
    assert run_cli(["check", "--config", "fail-on = 'warning'"]).exit_code == 1


def test_summary_counts_errors_and_warnings_apart(mixed: Path) -> None:
    result = run_cli(["check"])
    assert result.exit_code == 1
    assert "Found 1 error and 2 warnings in 2 files." in result.stdout


@pytest.mark.parametrize(
    ("output_format", "check"),
    [
        ("json-lines", lambda out: [json.loads(line)["code"] for line in out.splitlines()]),
        ("pylint", lambda out: [line.split("[")[1].split("]")[0] for line in out.splitlines()]),
        ("gitlab", lambda out: [issue["check_name"] for issue in json.loads(out)]),
        (
            "junit",
            lambda out: [
                case.find("failure").get("type") for case in ElementTree.fromstring(out).iter("testcase")
            ],  # type: ignore[union-attr]
        ),
    ],
)
def test_machine_formats_carry_every_finding(mixed: Path, output_format: str, check: Any) -> None:
    result = run_cli(["check", "--output-format", output_format])
    assert result.exit_code == 1
    assert sorted(check(result.stdout)) == ["EVL101", "EVL501", "EVL501"]


def test_gitlab_paths_and_fingerprints(mixed: Path) -> None:
    issues = json.loads(run_cli(["check", "--output-format", "gitlab"]).stdout)
    assert {issue["location"]["path"] for issue in issues} == {"pkg/imp.py", "pkg/mod.py"}
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} == {"major", "minor"}


def test_grouped_names_each_file_once(mixed: Path) -> None:
    out = run_cli(["check", "--output-format", "grouped"]).stdout
    assert out.count("pkg/mod.py:\n") == 1 and "  3:1 EVL101 eventlet.spawn() starts a green thread" in out


def test_output_file_is_written_whole_and_stdout_stays_empty(mixed: Path) -> None:
    result = run_cli(["check", "--output-format", "json", "-o", "report.json"])
    assert result.exit_code == 1 and result.stdout == ""
    assert len(json.loads((mixed / "report.json").read_text(encoding="utf-8"))) == 3
    assert not list(mixed.glob(".report.json.*"))


def test_config_key_value_overrides(mixed: Path) -> None:
    result = run_cli(["check", "--config", "select = ['EVL101']", "--output-format", "json"])
    assert [item["code"] for item in json.loads(result.stdout)] == ["EVL101"]
    bad = run_cli(["check", "--config", "select = [unquoted"])
    assert bad.exit_code == 2 and "--config" in bad.stderr


def test_exit_non_zero_on_fix_and_show_fixes(project: Path) -> None:
    write_files(project, {**MASAKARI_WRAPPER, "engine.py": "import eventlet\n\neventlet.spawn(work)\n"})
    plain = run_cli(["check", "--select", "M322", "--fix"])
    assert plain.exit_code == 0
    write_files(project, {"engine.py": "import eventlet\n\neventlet.spawn(work)\n"})
    result = run_cli(["check", "--select", "M322", "--fix", "--exit-non-zero-on-fix", "--show-fixes"])
    assert result.exit_code == 1
    assert "Fixed 1 error:\n- engine.py:\n    1 × M322 (use-utils-spawn)\n" in result.stdout  # noqa: RUF001


def test_color_is_forced_by_option_or_force_color(mixed: Path) -> None:
    assert "\x1b[" not in run_cli(["check"]).stdout
    assert "\x1b[" in run_cli(["check", "--color"]).stdout
    assert "\x1b[" in run_cli(["check"], env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[" not in run_cli(["check", "--no-color"], env={"FORCE_COLOR": "1"}).stdout


def test_show_settings_and_show_files(mixed: Path) -> None:
    settings = run_cli(["check", "--show-settings", "--select", "EVL1"])
    assert settings.exit_code == 0
    assert f"Settings path: {mixed / 'pyproject.toml'}" in settings.stdout
    assert 'select = ["EVL1"]' in settings.stdout and "EVL101 eventlet-spawn" in settings.stdout
    files = run_cli(["check", "--show-files", "--extend-exclude", "pkg/imp.py"])
    assert files.exit_code == 0
    # as ruff prints them: absolute; pyproject.toml is read for its dependencies (EVL702)
    assert files.stdout.splitlines() == [
        str(mixed / name) for name in ("pkg/__init__.py", "pkg/mod.py", "pyproject.toml")
    ]


def test_every_finding_links_its_rules_documentation(mixed: Path) -> None:
    text = run_cli(["check", "--select", "EVL101"]).stdout
    assert "= docs: https://evlint.readthedocs.io/en/latest/rules/EVL101/" in text
    items = json.loads(run_cli(["check", "--output-format", "json"]).stdout)
    assert {item["url"] for item in items} == {
        "https://evlint.readthedocs.io/en/latest/rules/EVL101/",
        "https://evlint.readthedocs.io/en/latest/rules/EVL501/",
    }
    sarif = json.loads(
        run_cli(
            ["check", "--output-format", "sarif", "--config", "docs-url = 'https://docs.example/'"]
        ).stdout
    )
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {rule["helpUri"] for rule in rules if rule["id"] == "EVL101"} == {
        "https://docs.example/rules/EVL101/"
    }


def test_rules_table_fits_80_columns(project: Path) -> None:
    out = run_cli(["rules"], env={"COLUMNS": "80"}).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "EVL101" in out and "Green threads started with eventlet's spawn functions" in out


def test_first_screen_of_the_example_fits_80_columns_without_breaking_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    wrapped = run_cli(["check", "examples/masakari-style"], env={"COLUMNS": "80"}).stdout
    screen = wrapped.splitlines()[:24]
    assert all(len(line) <= 80 for line in screen), [line for line in screen if len(line) > 80]
    unwrapped = run_cli(["check", "examples/masakari-style"], env={"COLUMNS": None}).stdout  # type: ignore[dict-item]
    assert max(len(line) for line in unwrapped.splitlines()) > 80  # there was something to wrap
    assert wrapped.split() == unwrapped.split()  # wrapped only between words


def test_unfixable_and_fixable_choose_which_fixes_apply(project: Path) -> None:
    write_files(project, {**MASAKARI_WRAPPER, "engine.py": "import eventlet\n\neventlet.spawn(work)\n"})
    kept = run_cli(["check", "--select", "M322", "--fix", "--unfixable", "M3"])
    assert kept.exit_code == 1 and "not fixable by the configuration" in kept.stdout
    assert "eventlet.spawn(work)" in (project / "engine.py").read_text(encoding="utf-8")
    assert run_cli(["check", "--select", "M322", "--fix", "--fixable", "EVL"]).exit_code == 1
    fixed = run_cli(["check", "--select", "M322", "--fix", "--fixable", "EVL", "--extend-fixable", "M322"])
    assert fixed.exit_code == 0, fixed.output
    assert "utils.spawn(work)" in (project / "engine.py").read_text(encoding="utf-8")


def test_isolated_reads_no_configuration_file(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint]\nselect = ["EVL101"]\n', "mod.py": ERROR_AND_WARNING}
    )
    assert run_cli(["check", "--statistics", "--output-format", "json"]).stdout.count('"code"') == 1
    isolated = json.loads(run_cli(["check", "--isolated", "--statistics", "--output-format", "json"]).stdout)
    assert {item["code"] for item in isolated} == {"EVL101", "EVL501"}


def test_add_noqa_silences_each_line_once_and_keeps_other_codes(project: Path) -> None:
    source = 'import eventlet  # noqa: E501\n\neventlet.spawn(f)\nx = """\n%s""" % eventlet.sleep(1)\n'
    write_files(project, {"a.py": source})
    result = run_cli(["check", "--add-noqa"])
    assert result.exit_code == 0 and "Added 3 noqa directives." in result.stderr
    assert (project / "a.py").read_text(encoding="utf-8") == (
        "import eventlet  # noqa: E501, EVL501\n\neventlet.spawn(f)  # noqa: EVL101\n"
        'x = """\n%s""" % eventlet.sleep(1)  # noqa: EVL201\n'
    )
    assert run_cli(["check"]).exit_code == 0
    assert "Added 0 noqa directives." in run_cli(["check", "--add-noqa"]).stderr


def test_the_cache_dir_flag_wins_over_the_environment_which_wins_over_the_setting(project: Path) -> None:
    write_files(
        project, {"pyproject.toml": '[tool.evlint]\ncache-dir = "from-config"\n', "mod.py": "x = 1\n"}
    )
    results = "evlint-cache/projects/*/results/*.json"
    env = {"EVLINT_CACHE_DIR": str(project / "from-env")}
    assert run_cli(["check", "--cache-dir", "from-flag"], env=env).exit_code == 0
    assert list(project.glob(f"from-flag/{results}"))
    assert not (project / "from-env").exists() and not (project / "from-config").exists()
    assert run_cli(["check"], env=env).exit_code == 0
    assert list(project.glob(f"from-env/{results}"))
    assert not (project / "from-config").exists()
