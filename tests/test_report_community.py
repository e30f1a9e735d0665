"""`evlint report` for a whole community: teams from governance, a document per team, the
roll-up, repository names, links to what was read, --merge and verdicts."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.conftest import run_cli, write_files

# Deliverable names are not repository names: `glance-store` holds openstack/glance_store,
# `compute` holds openstack/nova. The TC's and the SIGs' repositories come in their own files.
PROJECTS_YAML = """\
    glance:
      ptl: {name: Someone}
      deliverables:
        glance-store:
          repos:
            - openstack/glance_store
    nova:
      deliverables:
        compute:
          repos:
            - openstack/nova
        os-vif:
          repos:
            - openstack/os-vif
    heat:
      deliverables:
        heat:
          repos:
            - openstack/heat
    """
TC_YAML = "Technical Committee:\n  - repo: openstack/goal-tools\n"
SIGS_YAML = "Hardware Vendor:\n  - repo: openstack/sushy-oem-idrac\n"

PROJECTS = {
    # a checkout: the directory is the repository
    "src/glance_store/glance_store/backend.py": "import eventlet\n\neventlet.sleep(1)\n",
    # an unpacked sdist: NAME-VERSION, the repository from its metadata's source URL
    "src/nova-31.0.0/PKG-INFO": (
        "Metadata-Version: 2.1\nName: nova\nVersion: 31.0.0\n"
        "Project-URL: Source Code, https://opendev.org/openstack/nova\n"
    ),
    "src/nova-31.0.0/nova/service.py": (
        "import eventlet\nfrom eventlet import wsgi\n\n\ndef run(app):\n"
        "    pool = eventlet.GreenPool()\n    wsgi.server(eventlet.listen(('', 80)), app, custom_pool=pool)\n"
    ),
    "src/nova-31.0.0/nova/tests/test_service.py": "import eventlet\n\neventlet.spawn(print)\n",
    "src/nova-31.0.0/releasenotes/notes/threads-1234.yaml": "---\nupgrade:\n  - eventlet is optional.\n",
    # named only by its distribution and its docs URL: openstack-heat -> heat
    "src/openstack-heat-27.0.1/PKG-INFO": (
        "Metadata-Version: 2.1\nName: openstack-heat\nVersion: 27.0.1\n"
        "Home-page: https://docs.openstack.org/heat/latest/\n"
    ),
    "src/openstack-heat-27.0.1/heat/engine.py": "import threading\n",
    "src/os-vif/os_vif/plug.py": "from eventlet import semaphore\n\nLOCK = semaphore.Semaphore()\n",
    "src/goal-tools/README.rst": "Tools.\n\nThe eventlet removal goal.\n",
    "src/sushy-oem-idrac/sushy_oem_idrac/api.py": "import requests\n",
}
CHECKOUTS = (
    "glance_store",
    "nova-31.0.0",
    "openstack-heat-27.0.1",
    "os-vif",
    "goal-tools",
    "sushy-oem-idrac",
)


@pytest.fixture
def community(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, PROJECTS)
    write_files(
        tmp_path,
        {"gov/projects.yaml": PROJECTS_YAML, "gov/tc.yaml": TC_YAML, "gov/sigs.yaml": SIGS_YAML},
    )
    return tmp_path


GOVERNANCE = (
    "--governance",
    "gov/projects.yaml",
    "--governance",
    "gov/tc.yaml",
    "--governance",
    "gov/sigs.yaml",
)


def report(*args: str, paths: tuple[str, ...] = CHECKOUTS) -> str:
    result = run_cli(["report", *(f"src/{p}" for p in paths), *args])
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_repository_gets_its_team_and_each_team_a_document(community: Path) -> None:
    assert report(*GOVERNANCE, "-o", "out") == ""
    written = sorted(p.name for p in (community / "out").iterdir())
    assert written == [
        "glance.md",
        "hardware-vendor.md",
        "heat.md",
        "index.md",
        "nova.md",
        "technical-committee.md",
    ]
    nova = (community / "out/nova.md").read_text(encoding="utf-8")
    assert nova.startswith("# Analysis for Team: nova\n")
    # sorted by remaining work: nova (a WSGI server) before os-vif (a semaphore)
    assert nova.index("## Project: nova\n") < nova.index("## Project: os-vif\n")
    assert "Team: nova; deliverable: compute; read at: 31.0.0; status: in progress." in nova
    glance = (community / "out/glance.md").read_text(encoding="utf-8")
    assert "## Project: glance_store\n" in glance and "deliverable: glance-store" in glance
    heat = (community / "out/heat.md").read_text(encoding="utf-8")
    assert "## Project: heat: no eventlet use\n" in heat  # an empty project is one line
    assert "Occurrences Found" not in heat
    index = (community / "out/index.md").read_text(encoding="utf-8")
    assert "Unknown Team" not in index
    deliverables = index.split("## Deliverables", 1)[1]
    rows = [
        line.split(" | ") for line in deliverables.splitlines() if line.startswith("| ") and "---" not in line
    ]
    assert [(r[0].lstrip("| "), r[1], r[2]) for r in rows[1:]] == [
        ("nova", "compute", "nova"),
        ("glance", "glance-store", "glance_store"),
        ("nova", "os-vif", "os-vif"),
        ("Technical Committee", "goal-tools", "goal-tools"),
        ("Hardware Vendor", "sushy-oem-idrac", "sushy-oem-idrac"),
        ("heat", "heat", "heat"),
    ]
    assert "| [nova](nova.md) | 2 | 7 | 2 | 0 |" in index  # nova 5 + os-vif 2 in production


def test_unmapped_repositories_are_an_unknown_team_and_a_teams_file_maps_them(community: Path) -> None:
    report("--governance", "gov/projects.yaml", "-o", "out")
    index = (community / "out/index.md").read_text(encoding="utf-8")
    assert "| Unknown Team | goal-tools |" in index
    write_files(community, {"teams.yaml": "Our Team:\n  - goal-tools\n  - example/sushy-oem-idrac\n"})
    report("--governance", "gov/projects.yaml", "--teams", "teams.yaml", "-o", "out2")
    index = (community / "out2/index.md").read_text(encoding="utf-8")
    assert "Unknown Team" not in index
    assert "| Our Team | goal-tools |" in index and "| Our Team | sushy-oem-idrac |" in index


def test_occurrence_lines_keep_the_seed_form_with_rule_and_pattern(community: Path) -> None:
    markdown = report(*GOVERNANCE, paths=("nova-31.0.0",))
    found = markdown.split("Occurrences Found:\n", 1)[1].split("\n\n", 1)[0].splitlines()
    base = "https://opendev.org/openstack/nova/src/31.0.0"
    assert found[:2] == [
        f"- {base}/nova/service.py#n1 : import eventlet  [EVL501 imports]",
        f"- {base}/nova/service.py#n2 : from eventlet import wsgi  [EVL501 imports]",
    ]
    assert f"- {base}/nova/service.py#n7 : wsgi.server(eventlet.listen(('', 80)), app, custom_pool=pool)" in (
        markdown
    )
    assert "[EVL401 wsgi-networking, EVL402 wsgi-networking]" in markdown
    assert "Release notes: 1 lines mention eventlet (history, not counted)." in markdown


def test_the_link_template_gets_the_repository_and_the_ref_of_a_git_checkout(community: Path) -> None:
    repo = community / "src/os-vif"
    for command in (
        ["init", "-q"],
        ["remote", "add", "origin", "https://opendev.org/openstack/os-vif.git"],
        ["add", "-A"],
        ["-c", "user.name=t", "-c", "user.email=t@e", "commit", "-qm", "one"],
        ["tag", "4.0.0"],
    ):
        subprocess.run(["git", "-C", str(repo), *command], check=True, capture_output=True)
    markdown = report("--link-template", "https://x/{repo}/{ref}/{path}#L{line}", paths=("os-vif",))
    assert "- https://x/os-vif/4.0.0/os_vif/plug.py#L1 : from eventlet import semaphore" in markdown


def test_the_narrative_states_facts_in_the_guides_order(community: Path) -> None:
    markdown = report(paths=("nova-31.0.0",))
    section = markdown.split("## Project: nova\n", 1)[1]
    assert "nova uses eventlet in 7 places of code across 2 files (5 in production, 2 in tests)." in section
    assert "100 % of the production uses are in nova (5)." in section
    # the WSGI server first, then pools and green threads, imports later
    assert (
        "First steps in the removal guide's order: (1) eventlet.wsgi and networking, 2 in production,"
        " starting at nova/service.py:7; (2) green threads and pools, 1 in production, starting at"
        " nova/service.py:6; (3) imports, 2 in production, starting at nova/service.py:1."
    ) in section
    assert markdown == report(paths=("nova-31.0.0",))  # the same every run


def _json_report(community: Path, name: str, *args: str) -> Path:
    target = community / "json" / f"{name}.json"
    target.parent.mkdir(exist_ok=True)
    result = run_cli(["report", f"src/{name}", "--output-format", "json", "-o", str(target), *args])
    assert result.exit_code == 0, result.output
    return target


def test_merge_of_per_repository_reports_gives_the_same_documents(community: Path) -> None:
    report(*GOVERNANCE, "-o", "one-run")
    # each CI job knows nothing of governance; the merge maps the teams
    reports = [str(_json_report(community, name)) for name in CHECKOUTS]
    result = run_cli(["report", "--merge", *reports, *GOVERNANCE, "-o", "merged"])
    assert result.exit_code == 0, result.output
    one_run = {p.name: p.read_text(encoding="utf-8") for p in (community / "one-run").iterdir()}
    merged = {p.name: p.read_text(encoding="utf-8") for p in (community / "merged").iterdir()}
    assert merged == one_run


def test_merge_rejects_a_repository_twice_and_a_file_that_is_not_a_report(community: Path) -> None:
    nova = str(_json_report(community, "nova-31.0.0"))
    result = run_cli(["report", "--merge", nova, nova])
    assert result.exit_code == 2 and "project 'nova' is also in" in result.stderr
    result = run_cli(["report", "--merge", "gov/projects.yaml"])
    assert result.exit_code == 2 and "gov/projects.yaml:1: invalid report JSON" in result.stderr


def test_verdicts_and_blockers_show_in_the_roll_up_and_the_project(community: Path) -> None:
    path = _json_report(community, "nova-31.0.0")
    document = json.loads(path.read_text(encoding="utf-8"))
    document["projects"][0]["verdict"] = "dual-mode"
    document["projects"][0]["blockers"] = ["nova-compute monkey-patches", "uses eventlet.wsgi"]
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli(["report", "--merge", str(path), *GOVERNANCE, "-o", "out"])
    assert result.exit_code == 0, result.output
    nova = (community / "out/nova.md").read_text(encoding="utf-8")
    top = nova.split("## Project: nova\n\n", 1)[1].split("\n", 1)[0]
    assert top == (
        "Team: nova; deliverable: compute; read at: 31.0.0; entry points: dual-mode"
        " (blockers: nova-compute monkey-patches; uses eventlet.wsgi); status: dual-mode."
    )
    assert "Entry points: dual-mode; blockers: nova-compute monkey-patches; uses eventlet.wsgi." in nova
    index = (community / "out/index.md").read_text(encoding="utf-8")
    assert "| nova | compute | nova | 5 | 2 | 0 | " in index and "| dual-mode | dual-mode |" in index


def test_csv_has_a_row_per_occurrence_and_the_roll_up_one_per_deliverable(community: Path) -> None:
    csv_text = report(*GOVERNANCE, "--output-format", "csv", paths=("nova-31.0.0", "os-vif"))
    lines = csv_text.splitlines()
    assert lines[0] == (
        "team,deliverable,project,ref,path,line,column,rule,rule_name,pattern,kind,scope,source,url"
    )
    assert len(lines) == 1 + 7 + 2
    assert lines[1].startswith("nova,compute,nova,31.0.0,nova/service.py,1,1,EVL501,eventlet-import,imports,")
    report(*GOVERNANCE, "--output-format", "csv", "-o", "out", paths=("nova-31.0.0", "os-vif"))
    index = (community / "out/index.csv").read_text(encoding="utf-8").splitlines()
    assert index[0] == "team,deliverable,repositories,production,test,docs,effort,verdict,status"
    assert [line.split(",")[:2] for line in index[1:]] == [["nova", "compute"], ["nova", "os-vif"]]


def test_governance_errors_are_one_line(community: Path) -> None:
    write_files(community, {"bad.yaml": "nova: [1, 2\n", "list.yaml": "- a\n"})
    for path, message in (("bad.yaml", "bad.yaml:2: not YAML"), ("list.yaml", "expected a mapping")):
        result = run_cli(["report", "src/os-vif", "--governance", path])
        assert result.exit_code == 2
        assert message in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("files", "name", "ref"),
    [
        (
            {"PKG-INFO": "Name: x\nVersion: 1.0\nProject-URL: Repository, https://github.com/o/real-name\n"},
            "real-name",
            "1.0",
        ),
        (
            {
                "setup.cfg": "[metadata]\nname = x\nproject_urls =\n    Source Code = https://opendev.org/openstack/from-cfg\n"
            },
            "from-cfg",
            "1.0",
        ),
        (
            {
                "pyproject.toml": '[project]\nname = "x"\n[project.urls]\nSource = "https://example.org/git/from-toml.git"\n'
            },
            "from-toml",
            "1.0",
        ),
        ({"PKG-INFO": "Name: other-name\n"}, "dist", "1.0"),
    ],
)
def test_an_unpacked_sdist_is_named_after_its_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], name: str, ref: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(
        tmp_path, {**{f"dist-1.0/{k}": v for k, v in files.items()}, "dist-1.0/mod.py": "import eventlet\n"}
    )
    result = run_cli(["report", "dist-1.0", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    project = json.loads(result.stdout)["projects"][0]
    assert (project["name"], project["ref"]) == (name, ref)


def test_compare_with_teams_splits_progress_by_team_and_marks_work_in_progress(community: Path) -> None:
    old = _json_report(community, "os-vif")
    (community / "src/os-vif/os_vif/plug.py").write_text("import threading\n\nLOCK = threading.Lock()\n")
    (community / "src/os-vif/os_vif/other.py").write_text("import eventlet\n")
    report(*GOVERNANCE, "--compare", str(old), "-o", "out", paths=("os-vif", "glance_store"))
    nova = (community / "out/nova.md").read_text(encoding="utf-8")
    assert "Code: 2 occurrences removed, 1 added (net -1)." in nova
    assert "os-vif | 1 | 1 | 0 | 0 | 0.5 | - | in progress |" in nova
    glance = (community / "out/glance.md").read_text(encoding="utf-8")
    # glance_store was not in the older report: neither progress nor new work
    assert "Code: 0 occurrences removed, 0 added (net +0)." in glance
    index = (community / "out/index.md").read_text(encoding="utf-8")
    assert "| nova | os-vif | os-vif | 1 | 0 | 0 | 0.5 | - | in progress |" in index
