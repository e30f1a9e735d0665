"""`evlint report`: the inventory of a small two-project team, through the real CLI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from evlint.report.json import report_schema
from tests.conftest import run_cli, write_files

LINK = "https://example.org/{project}/src/{path}#n{line}"

# Two projects: alpha (named by pyproject.toml, whose selection and per-file-ignores an
# inventory must not apply) and beta (named by setup.cfg, in a directory named otherwise).
FILES = {
    "alpha/pyproject.toml": """\
        [project]
        name = "alpha"

        [tool.evlint]
        select = ["EVL1"]

        [tool.evlint.per-file-ignores]
        "alpha/tests/*" = ["EVL"]
        """,
    "alpha/requirements.txt": "pbr>=2.0\neventlet>=0.30.1  # noqa\n",
    "alpha/README.rst": "Alpha\n=====\n\nAlpha serves requests with Eventlet.\nThe eventlet_utils module is not the word.\n",
    "alpha/alpha/__init__.py": "import eventlet  # noqa\n\neventlet.monkey_patch()\n",
    "alpha/alpha/server.py": '''\
        import eventlet
        from eventlet import wsgi


        # eventlet.spawn(serve) in a comment is not code
        def serve(app):
            """Serve app with eventlet.wsgi."""
            pool = eventlet.GreenPool(10)
            sock = eventlet.listen(("0.0.0.0", 8080))
            wsgi.server(sock, app, custom_pool=pool)
            eventlet.sleep(0)
        ''',
    "alpha/alpha/tests/test_server.py": """\
        from unittest import mock

        import eventlet


        @mock.patch("eventlet.spawn")
        def test_spawn(spawn):
            eventlet.spawn(print)
        """,
    "beta-1.0/setup.cfg": "[metadata]\nname = beta\n",
    "beta-1.0/beta/worker.py": """\
        import threading

        from eventlet import event, semaphore


        def run():
            done = event.Event()
            lock = semaphore.Semaphore()
            eventlet_utils = threading.Event()
            return done, lock, eventlet_utils
        """,
    "beta-1.0/releasenotes/notes/drop-eventlet-0123.yaml": "---\nupgrade:\n  - |\n    eventlet is no longer required.\n",
}

# Checked by hand against FILES: the comment (server.py:5), the docstring (server.py:7) and
# `eventlet_utils` are not occurrences; noqa comments and alpha's own select/per-file-ignores are
# not applied; beta's release note is history (listed, not counted). alpha's effort: production 0.5 + 4 + 2 * 0.5 + 3 + 5 + 5 + 2 + 1 = 21.5,
# plus 2 for the hazard EVH201 on `eventlet.sleep(0)` (the migration-hazards pack is part of every
# inventory), tests (0.5 + 1 + 3) * 0.5 = 2.25, three modules: 25.75 * (1 + 0.25 * log2(3)) + 0.25 = 36.2.
EXPECTED_MARKDOWN = """# Analysis for Team: Example

2 projects: 17 eventlet occurrences on 16 lines in 6 files; 13 in production code, 3 in test code, 1 in docs. Effort score: 40.7.

## Team summary

| pattern | production | test | total |
|---|---|---|---|
| Green threads and pools (`threads-pools`) | 1 | 1 | 2 |
| eventlet.wsgi and networking (`wsgi-networking`) | 2 | 0 | 2 |
| Deferred and timed work (`timed-work`) | 1 | 0 | 1 |
| Synchronisation primitives (`synchronisation`) | 2 | 0 | 2 |
| Monkey patching and hubs (`monkey-patching-hubs`) | 1 | 0 | 1 |
| Mocks and fixtures in tests (`tests-mocks`) | 0 | 1 | 1 |
| Configuration and dependencies (`config-dependencies`) | 1 | 0 | 1 |
| Imports (`imports`) | 4 | 1 | 5 |
| Libraries that run on eventlet (`library-apis`) | 0 | 0 | 0 |
| Hazards of the switch to threads (`hazards`) | 1 | 0 | 1 |
| Dual-mode code (runs with and without eventlet) (`dual-mode`) | 0 | 0 | 0 |
| Other eventlet names (`other`) | 0 | 0 | 0 |
| Documentation (`docs`) | 1 | 0 | 1 |

| project | deliverable | occurrences | production | test | docs | effort | verdict | status |
|---|---|---|---|---|---|---|---|---|
| alpha | - | 14 | 10 | 3 | 1 | 36.2 | - | not started |
| beta | - | 3 | 3 | 0 | 0 | 4.5 | - | in progress |

| module | production | test | total |
|---|---|---|---|
| alpha: alpha | 9 | 0 | 9 |
| alpha: alpha.tests | 0 | 3 | 3 |
| beta: beta | 3 | 0 | 3 |
| alpha: (top level) | 1 | 0 | 1 |

| file with the most work | occurrences | points |
|---|---|---|
| alpha: alpha/server.py | 7 | 18.0 |
| beta: beta/worker.py | 3 | 4.5 |
| alpha: alpha/__init__.py | 2 | 4.5 |
| alpha: alpha/tests/test_server.py | 3 | 2.25 |
| alpha: requirements.txt | 1 | 1.0 |

## Project: alpha

Status: not started.

alpha uses eventlet in 13 places of code across 4 files (10 in production, 3 in tests) and mentions it on 1 line of docs. Most of it is imports (4), green threads and pools (2) and eventlet.wsgi and networking (2), and 5 of other kinds. 100 % of the production uses are in alpha (9) and (top level) (1). Only tests use mocks and fixtures in tests. First steps in the removal guide's order: (1) eventlet.wsgi and networking, 2 in production, starting at alpha/server.py:9; (2) green threads and pools, 1 in production, starting at alpha/server.py:8; (3) deferred and timed work, 1 in production, starting at alpha/server.py:11. Tests follow the code they cover.

14 occurrences on 13 lines in 5 files: 10 in production code, 3 in test code, 1 in docs. Effort score: 36.2 (25.75 code points x 1.396 spread over 3 modules + 0.25 docs points).

| pattern | production | test | total |
|---|---|---|---|
| Green threads and pools (`threads-pools`) | 1 | 1 | 2 |
| eventlet.wsgi and networking (`wsgi-networking`) | 2 | 0 | 2 |
| Deferred and timed work (`timed-work`) | 1 | 0 | 1 |
| Monkey patching and hubs (`monkey-patching-hubs`) | 1 | 0 | 1 |
| Mocks and fixtures in tests (`tests-mocks`) | 0 | 1 | 1 |
| Configuration and dependencies (`config-dependencies`) | 1 | 0 | 1 |
| Imports (`imports`) | 3 | 1 | 4 |
| Hazards of the switch to threads (`hazards`) | 1 | 0 | 1 |
| Documentation (`docs`) | 1 | 0 | 1 |

| rule | name | pattern | occurrences | suggested replacement |
|---|---|---|---|---|
| `EVH201` | cooperative-yield | hazards | 1 | Find what the yield protects (a loop that starves the hub, an ordering a test relies on) and make it explicit: a stop event, a bounded loop, or delete it |
| `EVL101` | eventlet-spawn | threads-pools | 1 | Start a threading.Thread or submit to a ThreadPoolExecutor (threading.Timer for spawn_after) |
| `EVL102` | eventlet-green-pool | threads-pools | 1 | Use concurrent.futures.ThreadPoolExecutor: spawn() becomes submit(), waitall() shutdown(wait=True), a GreenPile a list of futures |
| `EVL201` | eventlet-sleep | timed-work | 1 | Use time.sleep(); a sleep(0) that only yields to other green threads can be deleted |
| `EVL401` | eventlet-wsgi-server | wsgi-networking | 1 | Serve the WSGI application from uWSGI, gunicorn or mod_wsgi (wsgiref for tests and tools) |
| `EVL402` | eventlet-convenience-socket | wsgi-networking | 1 | Use socket.create_server(), socket.create_connection(), ssl.SSLContext.wrap_socket() or socketserver |
| `EVL501` | eventlet-import | imports | 4 | Import the standard library replacement (threading, queue, socket, concurrent.futures) or asyncio |
| `EVL502` | eventlet-monkey-patch | monkey-patching-hubs | 1 | Delete it; an OpenStack service calls oslo_service.backend.init_backend(BackendType.THREADING) |
| `EVL601` | eventlet-string-target | tests-mocks | 1 | Patch the replacement (e.g. 'threading.Thread', 'time.sleep') or the project's wrapper |
| `EVL702` | eventlet-dependency | config-dependencies | 1 | Remove it once no code imports eventlet (evlint check --select EVL501 finds the imports) |

| module | production | test | total |
|---|---|---|---|
| alpha | 9 | 0 | 9 |
| alpha.tests | 0 | 3 | 3 |
| (top level) | 1 | 0 | 1 |

| file with the most work | occurrences | points |
|---|---|---|
| alpha/server.py | 7 | 18.0 |
| alpha/__init__.py | 2 | 4.5 |
| alpha/tests/test_server.py | 3 | 2.25 |
| requirements.txt | 1 | 1.0 |

Occurrences Found:
- https://example.org/alpha/src/README.rst#n4 : Alpha serves requests with Eventlet.  [docs]
- https://example.org/alpha/src/alpha/__init__.py#n1 : import eventlet  # noqa  [EVL501 imports]
- https://example.org/alpha/src/alpha/__init__.py#n3 : eventlet.monkey_patch()  [EVL502 monkey-patching-hubs]
- https://example.org/alpha/src/alpha/server.py#n1 : import eventlet  [EVL501 imports]
- https://example.org/alpha/src/alpha/server.py#n2 : from eventlet import wsgi  [EVL501 imports]
- https://example.org/alpha/src/alpha/server.py#n8 : pool = eventlet.GreenPool(10)  [EVL102 threads-pools]
- https://example.org/alpha/src/alpha/server.py#n9 : sock = eventlet.listen(("0.0.0.0", 8080))  [EVL402 wsgi-networking]
- https://example.org/alpha/src/alpha/server.py#n10 : wsgi.server(sock, app, custom_pool=pool)  [EVL401 wsgi-networking]
- https://example.org/alpha/src/alpha/server.py#n11 : eventlet.sleep(0)  [EVH201 hazards, EVL201 timed-work]
- https://example.org/alpha/src/alpha/tests/test_server.py#n3 : import eventlet  [EVL501 imports]
- https://example.org/alpha/src/alpha/tests/test_server.py#n6 : @mock.patch("eventlet.spawn")  [EVL601 tests-mocks]
- https://example.org/alpha/src/alpha/tests/test_server.py#n8 : eventlet.spawn(print)  [EVL101 threads-pools]
- https://example.org/alpha/src/requirements.txt#n2 : eventlet>=0.30.1  # noqa  [EVL702 config-dependencies]

***

## Project: beta

Read at: 1.0; status: in progress.

beta uses eventlet in 3 places of code across 1 file (3 in production, 0 in tests). Most of it is synchronisation primitives (2) and imports (1). 100 % of the production uses are in beta (3). No pattern is confined to tests. First steps in the removal guide's order: (1) synchronisation primitives, 2 in production, starting at beta/worker.py:7; (2) imports, 1 in production, starting at beta/worker.py:3.

3 occurrences on 3 lines in 1 files: 3 in production code, 0 in test code, 0 in docs. Effort score: 4.5 (4.5 code points x 1.0 spread over 1 module + 0 docs points).

| pattern | production | test | total |
|---|---|---|---|
| Synchronisation primitives (`synchronisation`) | 2 | 0 | 2 |
| Imports (`imports`) | 1 | 0 | 1 |

| rule | name | pattern | occurrences | suggested replacement |
|---|---|---|---|---|
| `EVL301` | eventlet-event | synchronisation | 1 | Use threading.Event (send(v) -> store v and set(), ready() -> is_set()) or a concurrent.futures.Future |
| `EVL302` | eventlet-semaphore | synchronisation | 1 | Use threading.Semaphore, threading.BoundedSemaphore or threading.Lock with the same value |
| `EVL501` | eventlet-import | imports | 1 | Import the standard library replacement (threading, queue, socket, concurrent.futures) or asyncio |

| module | production | test | total |
|---|---|---|---|
| beta | 3 | 0 | 3 |

| file with the most work | occurrences | points |
|---|---|---|
| beta/worker.py | 3 | 4.5 |

Occurrences Found:
- https://example.org/beta/src/beta/worker.py#n3 : from eventlet import event, semaphore  [EVL501 imports]
- https://example.org/beta/src/beta/worker.py#n7 : done = event.Event()  [EVL301 synchronisation]
- https://example.org/beta/src/beta/worker.py#n8 : lock = semaphore.Semaphore()  [EVL302 synchronisation]

Release notes: 1 lines mention eventlet (history, not counted).

***

## Effort score

`effort = code_points * (1 + 0.25 * log2(modules)) + 0.25 * docs_mentions; code_points = sum of weight[pattern] * (1 in production, 0.5 in test code) over code occurrences; modules = packages with code occurrences (at least 1); a team's effort is the sum of its projects'`.

Weights per occurrence: `threads-pools` 3, `wsgi-networking` 5, `timed-work` 2, `synchronisation` 2, `monkey-patching-hubs` 4, `tests-mocks` 1, `config-dependencies` 1, `imports` 0.5, `library-apis` 3, `hazards` 2, `dual-mode` 0.5, `other` 2, `docs` 0.25 (docs: per mention, outside the spread factor).
"""


@pytest.fixture
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, FILES)
    return tmp_path


def report_json(*args: str) -> dict[str, Any]:
    result = run_cli(["report", "alpha", "beta-1.0", "--output-format", "json", *args])
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(result.stdout)
    jsonschema.validate(document, report_schema(), cls=jsonschema.Draft202012Validator)
    return document


def test_markdown_report_of_a_team_is_exact(team: Path) -> None:
    result = run_cli(["report", "alpha", "beta-1.0", "--team", "Example", "--link-template", LINK])
    assert result.exit_code == 0, result.output
    assert result.stdout == EXPECTED_MARKDOWN
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_without_a_link_template_occurrences_are_path_and_line(team: Path) -> None:
    result = run_cli(["report", "beta-1.0"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Analysis for Team: beta\n")
    found = result.stdout.split("Occurrences Found:\n", 1)[1].split("\n\n", 1)[0]
    assert found.splitlines() == [
        "- beta/worker.py:3 : from eventlet import event, semaphore  [EVL501 imports]",
        "- beta/worker.py:7 : done = event.Event()  [EVL301 synchronisation]",
        "- beta/worker.py:8 : lock = semaphore.Semaphore()  [EVL302 synchronisation]",
    ]


def test_json_report_validates_and_carries_every_field(team: Path) -> None:
    document = report_json("--team", "Example", "--link-template", LINK)
    assert document["team"] == "Example"
    assert document["comparison"] is None
    assert [p["name"] for p in document["projects"]] == ["alpha", "beta"]
    alpha = document["projects"][0]
    assert alpha["summary"]["effort"] == {  # the sums in the comment above EXPECTED_MARKDOWN
        "score": 36.2,
        "code_points": 25.75,
        "modules": 3,
        "spread": 1.396,
        "docs_points": 0.25,
    }
    assert alpha["summary"]["by_pattern"]["wsgi-networking"] == {"production": 2, "test": 0, "total": 2}
    assert alpha["summary"]["by_pattern"]["docs"] == {"production": 1, "test": 0, "total": 1}
    spawn = next(o for o in alpha["occurrences"] if o["rule"] == "EVL101")
    assert spawn == {
        "project": "alpha",
        "path": "alpha/tests/test_server.py",
        "line": 8,
        "column": 5,
        "rule": "EVL101",
        "pattern": "threads-pools",
        "kind": "code",
        "scope": "test",
        "source": "eventlet.spawn(print)",
        "message": "eventlet.spawn() starts a green thread",
        "suggestion": None,  # the rule's, said once in the project's suggestions
        "origin_line": None,
        "origin_path": None,
        "url": "https://example.org/alpha/src/alpha/tests/test_server.py#n8",
        "origin_url": None,
    }
    assert alpha["suggestions"]["EVL101"].startswith("Start a threading.Thread")
    docs = [o for o in alpha["occurrences"] if o["kind"] == "docs"]
    assert [(o["path"], o["line"], o["rule"], o["pattern"]) for o in docs] == [
        ("README.rst", 4, None, "docs")
    ]
    assert document["summary"]["effort"]["score"] == 40.7  # the projects' scores summed (36.2 + 4.5)
    assert document["projects"][1]["release_notes"] == 1
    assert document["projects"][1]["ref"] == "1.0"
    assert document["effort_formula"]["weights"]["wsgi-networking"] == 5.0
    assert "log2(modules)" in document["effort_formula"]["formula"]


def test_compare_matches_by_source_line_not_line_number(team: Path) -> None:
    old = team / "old.json"
    old.write_text(json.dumps(report_json()), encoding="utf-8")
    server = team / "alpha/alpha/server.py"
    text = server.read_text(encoding="utf-8").replace("    eventlet.sleep(0)\n", "")
    server.write_text('"""The server."""\n\n\n' + text, encoding="utf-8")  # every line moves down 3
    worker = team / "beta-1.0/beta/worker.py"
    worker.write_text(worker.read_text(encoding="utf-8") + "\n\nimport eventlet\neventlet.spawn(run)\n")
    document = report_json("--compare", str(old))
    comparison = document["comparison"]
    assert comparison["against"] == str(old)
    assert [(o["project"], o["path"], o["line"], o["rule"]) for o in comparison["removed"]] == [
        ("alpha", "alpha/server.py", 11, "EVH201"),  # the sleep(0) yield is also a hazard
        ("alpha", "alpha/server.py", 11, "EVL201"),
    ]
    assert [(o["project"], o["path"], o["line"], o["rule"]) for o in comparison["added"]] == [
        ("beta", "beta/worker.py", 13, "EVL501"),
        ("beta", "beta/worker.py", 14, "EVL101"),
    ]
    assert comparison["removed_by_pattern"]["timed-work"] == 1
    assert comparison["removed_by_pattern"]["hazards"] == 1
    assert comparison["added_by_pattern"] == {
        **dict.fromkeys(comparison["added_by_pattern"], 0),
        "imports": 1,
        "threads-pools": 1,
    }
    markdown = run_cli(["report", "alpha", "beta-1.0", "--compare", str(old)]).stdout
    section = markdown.split(f"## Progress since {old}\n", 1)[1].split("\n## ", 1)[0]
    assert "Code: 2 occurrences removed, 2 added (net +0). Docs: 0 lines removed, 0 added." in section
    assert "Removed:\n- alpha: alpha/server.py:11 : eventlet.sleep(0)\n" in section
    assert "- beta: beta/worker.py:14 : eventlet.spawn(run)\n" in section


def test_output_file_is_written_whole(team: Path) -> None:
    stdout = run_cli(["report", "alpha", "beta-1.0"]).stdout
    target = team / "out" / "team.md"
    target.parent.mkdir()
    target.write_text("an older report\n", encoding="utf-8")
    result = run_cli(["report", "alpha", "beta-1.0", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert target.read_text(encoding="utf-8") == stdout
    assert os.listdir(target.parent) == ["team.md"]  # no temporary file left behind
    new = team / "out" / "new.md"
    umask = os.umask(0o022)
    try:
        assert run_cli(["report", "alpha", "-o", str(new)]).exit_code == 0
    finally:
        os.umask(umask)
    assert new.stat().st_mode & 0o777 == 0o644  # readable by the team, as a file made by open()
    target.chmod(0o600)
    assert run_cli(["report", "alpha", "-o", str(target)]).exit_code == 0
    assert target.stat().st_mode & 0o777 == 0o600  # a replaced file keeps its mode


def test_output_to_a_directory_is_an_error(team: Path) -> None:
    (team / "out.md").mkdir()
    result = run_cli(["report", "alpha", "-o", "out.md"])
    assert result.exit_code == 2
    assert "out.md" in result.stderr and "Traceback" not in result.stderr
    assert os.listdir(team / "out.md") == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alpha", "--link-template", "https://x/{project}/{branch}/{path}"], "unknown placeholder {branch}"),
        (["alpha", "--link-template", "https://x/{project"], "--link-template 'https://x/{project'"),
        (["alpha", "--link-template", "https://x/{path.upper}"], "unknown placeholder {path.upper}"),
        (["missing"], "missing: not a project directory"),
        (["alpha/requirements.txt"], "alpha/requirements.txt: not a project directory"),
        (["alpha", "alpha"], "project name 'alpha' is also alpha"),
        (["alpha", "--compare", "nothing.json"], "nothing.json: cannot read"),
        (["alpha", "--compare", "alpha/README.rst"], "alpha/README.rst:1: invalid report JSON"),
        (
            ["alpha", "--compare", "alpha/list.json"],
            "alpha/list.json: not an evlint JSON report: (top level)",
        ),
        (["alpha", "-o", "no/such/dir/out.md"], "no/such/dir/out.md: cannot write"),
    ],
)
def test_errors_are_one_line_and_exit_2(team: Path, args: list[str], message: str) -> None:
    (team / "alpha/list.json").write_text("[]\n", encoding="utf-8")
    result = run_cli(["report", *args])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("evlint: error: ") and message in result.stderr, result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (team / "no").exists()


def test_paths_are_required(team: Path) -> None:
    result = run_cli(["report"])
    assert result.exit_code == 2
    assert "Missing argument 'PATHS...'" in result.stderr


def test_a_file_that_does_not_parse_is_listed_not_fatal(team: Path) -> None:
    write_files(team, {"alpha/alpha/broken.py": "import eventlet\ndef (:\n"})
    document = report_json()
    assert document["projects"][0]["errors"] == [
        {"path": "alpha/broken.py", "line": 2, "code": "EVL000", "message": "SyntaxError: invalid syntax"}
    ]
    markdown = run_cli(["report", "alpha"]).stdout
    assert "Files not analysed:\n- alpha/broken.py:2 : EVL000 SyntaxError: invalid syntax\n" in markdown


def test_progress_bar_only_on_a_terminal() -> None:
    import io

    from evlint.report.progress import project_progress

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    with project_progress(terminal, 2) as advance:
        assert advance is not None
        advance("alpha")
        advance("beta")
    assert "collected" in terminal.getvalue()
    with project_progress(io.StringIO(), 2) as advance:
        assert advance is None


def test_noqa_is_not_applied_in_the_process_pool_either(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import evlint.runner.pool

    monkeypatch.setattr(evlint.runner.pool, "POOL_MIN_SAVED_BYTES", 0)
    monkeypatch.setattr(evlint.runner.pool, "cores", lambda: 2)
    monkeypatch.chdir(tmp_path)
    many = 30
    write_files(tmp_path, {f"big/big/m{i}.py": "import eventlet  # noqa\n" for i in range(many)})
    result = run_cli(["report", "big", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)["projects"][0]["summary"]
    assert summary["by_pattern"]["imports"] == {"production": many, "test": 0, "total": many}


@pytest.mark.parametrize(
    ("files", "name"),
    [
        # a checkout is named after its directory, whatever its distribution is called
        ({"proj/PKG-INFO": "Metadata-Version: 2.1\nName: from-pkg-info\n"}, "proj"),
        ({"proj/setup.cfg": "[metadata\nname = broken\n", "proj/PKG-INFO": "Name: pkg\n"}, "proj"),
        ({"proj/pyproject.toml": "[tool.other]\nx = 1\n"}, "proj"),
    ],
)
def test_project_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, files: dict[str, str], name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_files(tmp_path, {**files, "proj/mod.py": "import eventlet\n"})
    result = run_cli(["report", "proj", "--output-format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["projects"][0]["name"] == name


def test_html_shows_the_comparison_and_unparsed_files(team: Path) -> None:
    old = team / "old.json"
    old.write_text(json.dumps(report_json()), encoding="utf-8")
    write_files(
        team,
        {"alpha/alpha/broken.py": "import eventlet\ndef (:\n", "beta-1.0/beta/new.py": "import eventlet\n"},
    )
    result = run_cli(["report", "alpha", "beta-1.0", "--output-format", "html", "--compare", str(old)])
    assert result.exit_code == 0, result.output
    page = result.stdout
    section = page.split("<section id='comparison'>", 1)[1].split("</section>", 1)[0]
    assert "Code: 0 occurrences removed, 1 added (net +1)." in section
    assert "<details><summary>Added (1)</summary>" in section
    assert "<tr class='file'><th colspan='5'>beta: beta/new.py (1)</th></tr>" in section
    assert "<td><code>EVL501</code> </td><td>imports</td>" in section
    assert "<h3>Files not analysed</h3>" in page
    assert "<td>alpha/broken.py:2</td><td>EVL000</td>" in page
