"""examples/ci's inventory jobs: the commands the GitHub workflow and the Zuul jobs run work as written."""

from __future__ import annotations

import glob
import shlex
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT, run_cli, write_files
from tests.test_report_community import GOVERNANCE, PROJECTS, PROJECTS_YAML

CI = ROOT / "examples" / "ci"


def _run(command: str) -> None:
    argv = shlex.split(command)
    assert argv[:2] == ["evlint", "report"]
    expanded = [match for arg in argv[1:] for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])]
    result = run_cli(expanded)
    assert result.exit_code == 0, result.output


def test_github_workflow_reports_each_repository_then_merges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    workflow = yaml.safe_load((CI / "evlint-report.yml").read_text(encoding="utf-8"))
    report_step = next(
        s["run"] for s in workflow["jobs"]["report"]["steps"] if "evlint report" in s.get("run", "")
    )
    merge_step = next(
        s["run"] for s in workflow["jobs"]["merge"]["steps"] if "evlint report" in s.get("run", "")
    )
    write_files(tmp_path, PROJECTS)
    write_files(tmp_path, {"governance/reference/projects.yaml": PROJECTS_YAML})
    write_files(
        tmp_path,
        {"governance/reference/technical-committee-repos.yaml": "TC:\n  - repo: openstack/goal-tools\n"},
    )
    write_files(
        tmp_path, {"governance/reference/sigs-repos.yaml": "SIG:\n  - repo: openstack/sushy-oem-idrac\n"}
    )
    for number, name in enumerate(("nova-31.0.0", "os-vif", "glance_store")):
        job = tmp_path / "jobs" / str(number)
        job.mkdir(parents=True)
        repo = f"openstack/{name}"
        (job / "openstack").mkdir()
        (job / repo).symlink_to(tmp_path / "src" / name)  # actions/checkout's `path: ${{ matrix.repo }}`
        monkeypatch.chdir(job)
        _run(report_step.replace("${{ matrix.repo }}", repo + "/"))
        (tmp_path / "reports" / f"report-{number}").mkdir(parents=True)
        (job / "report.json").rename(tmp_path / "reports" / f"report-{number}" / "report.json")
    monkeypatch.chdir(tmp_path)
    _run(merge_step)
    written = sorted(p.name for p in (tmp_path / "inventory").iterdir())
    assert written == ["glance.md", "index.md", "nova.md"]
    assert "## Project: nova\n" in (tmp_path / "inventory" / "nova.md").read_text(encoding="utf-8")
    assert GOVERNANCE  # the same governance files the community tests use


def test_zuul_jobs_run_the_same_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zuul = yaml.safe_load((CI / "zuul-evlint-report.yaml").read_text(encoding="utf-8"))
    jobs = {item["job"]["name"]: item["job"] for item in zuul}
    assert set(jobs) == {"evlint-report", "evlint-inventory"}
    for job in jobs.values():  # playbooks/NAME.yaml in a Zuul config repository
        assert (CI / job["run"].replace("playbooks/", "playbook-")).is_file()
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, PROJECTS)
    home = str(tmp_path)
    report = jobs["evlint-report"]["vars"]["evlint_report_command"]
    report = report.replace("{{ zuul.project.src_dir }}", "src/os-vif").replace(
        "{{ ansible_user_dir }}", home
    )
    _run(report)
    (tmp_path / "reports").mkdir()
    (tmp_path / "report.json").rename(tmp_path / "reports" / "os-vif.json")
    write_files(tmp_path, {"src/opendev.org/openstack/governance/reference/projects.yaml": PROJECTS_YAML})
    merge = jobs["evlint-inventory"]["vars"]["evlint_merge_command"].replace("{{ ansible_user_dir }}", home)
    _run(merge)
    assert sorted(p.name for p in (tmp_path / "inventory").iterdir()) == ["index.md", "nova.md"]
