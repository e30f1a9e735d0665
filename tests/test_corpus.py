"""On real projects downloaded with ../shared/corpus/fetch.sh (run with `pytest -m corpus`)."""

from __future__ import annotations

import json
import re
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, run_cli

FETCH = ROOT.parent / "shared" / "corpus" / "fetch.sh"

pytestmark = pytest.mark.corpus


def fetch(spec: str) -> Path:
    if not FETCH.is_file():
        pytest.skip(f"{FETCH} is not there")
    done = subprocess.run(["bash", str(FETCH), spec], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def _check(tree: Path, monkeypatch: pytest.MonkeyPatch, select: str) -> list[dict[str, Any]]:
    monkeypatch.chdir(tree)
    result = run_cli(["check", ".", "--select", select, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.stderr
    items: list[dict[str, Any]] = json.loads(result.stdout)
    for item in items:  # every finding points at code, never into a comment
        path = Path(item["filename"])
        line = path.read_text(encoding="utf-8").splitlines()[item["location"]["row"] - 1]
        if path.suffix == ".py":
            assert not line.lstrip().startswith("#"), item
    return items


def test_masakari_22(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = fetch("masakari==22.0.0")
    items = _direct(_check(tree, monkeypatch, "EVL,M322"))
    # Checked line by line against `grep -rn 'eventlet\\|greenthread'`: masakari keeps spawn
    # inside utils.py (M322's exemption); the three catch-all findings are
    # mock.patch.object(eventlet, self.spawn_name, ...), whose attribute is a variable.
    assert Counter(item["code"] for item in items) == {
        "EVL101": 2,
        "EVL102": 2,
        "EVL201": 3,
        "EVL401": 4,
        "EVL402": 2,
        "EVL501": 11,
        "EVL502": 1,
        "EVL601": 2,
        "EVL602": 2,
        "EVL701": 2,
        "EVL702": 1,
        "EVL900": 3,
    }
    assert {Path(i["filename"]).relative_to(tree).as_posix() for i in items if i["code"] == "EVL101"} == {
        "masakari/utils.py"
    }
    # masakari/__init__.py has `import eventlet` with a blanket noqa: suppressed, as flake8 does.
    assert not any(i["filename"].endswith("masakari/__init__.py") for i in items)


def test_nova_31(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = fetch("nova==31.0.0")
    everything = _check(tree, monkeypatch, "EVL")
    items = _direct(everything)
    counts = Counter(item["code"] for item in items)
    assert counts == {
        "EVL101": 13,
        "EVL102": 7,
        "EVL103": 11,
        "EVL201": 23,
        "EVL202": 24,
        "EVL301": 24,
        "EVL302": 3,
        "EVL303": 1,
        "EVL401": 4,
        "EVL402": 2,
        "EVL501": 43,
        "EVL502": 2,
        "EVL503": 4,
        "EVL504": 14,
        "EVL505": 1,
        "EVL601": 12,  # (nova/api/openstack/requestlog.py's environ key 'eventlet.input' is none)
        "EVL701": 4,
        "EVL702": 1,
        "EVL900": 2,
    }
    sites = Counter((i["filename"], i["location"]["row"], i["location"]["column"]) for i in everything)
    assert max(sites.values()) == 1  # one finding per site, method calls on eventlet objects included


def _direct(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The findings on eventlet names themselves, without object flow's (EVL8xx) method calls."""
    return [item for item in items if not item["code"].startswith("EVL8")]


def _sites(items: list[dict[str, Any]]) -> set[tuple[str, str, int, int]]:
    return {(i["code"], i["filename"], i["location"]["row"], i["location"]["column"]) for i in items}


@pytest.mark.parametrize("spec", ["masakari==22.0.0", "nova==31.0.0"])
def test_object_flow_loses_no_direct_finding(monkeypatch: pytest.MonkeyPatch, spec: str) -> None:
    tree = fetch(spec)
    with_flow = _check(tree, monkeypatch, "EVL")
    monkeypatch.chdir(tree)
    result = run_cli(["check", ".", "--select", "EVL", "--ignore", "EVL8", "--output-format", "json"])
    without_flow = json.loads(result.stdout)
    assert _sites(_direct(with_flow)) == _sites(without_flow)
    flow_sites = [i for i in with_flow if i["code"].startswith("EVL8")]
    assert flow_sites, "no method call on an eventlet object found"
    # The line the object was made on: in the file, or in another module (`made at pkg/mod.py:41`).
    made_at = re.compile(r" (made|annotated) at (lines? \d+|\S+\.py:\d+)")
    assert all(made_at.search(i["message"]) for i in flow_sites)


def test_nova_31_hacking_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = fetch("nova==31.0.0")
    counts = Counter(item["code"] for item in _check(tree, monkeypatch, "N340,N373,N374,H905"))
    # flake8 + hacking with nova 34's checks.py finds N373 at 74 sites, N374 at 2, H905 at 43;
    # the 7 more N373 are `from eventlet import event as eventlet_event` aliases in
    # tests/unit/compute/test_compute_mgr.py, which the regex cannot see.
    assert counts == {"N373": 81, "N374": 2, "H905": 43}


def _via(items: list[dict[str, Any]]) -> Counter[str]:
    return Counter(i["message"].rsplit("(via ", 1)[1].rstrip(")") for i in items if "(via " in i["message"])


def test_os_ken_2_11_project_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """os-ken centralises eventlet in os_ken/lib/hub.py (`sleep = eventlet.sleep`,
    `Queue = eventlet.queue.LightQueue`, ...); the rest of the tree uses `hub.sleep()`."""
    tree = fetch("os-ken==2.11.2")
    indexed = _check(tree, monkeypatch, "EVL")
    per_file = json.loads(
        run_cli(["check", ".", "--select", "EVL", "--output-format", "json", "--no-project-index"]).stdout
    )
    # 34, hub.py's `if HUB_TYPE == 'eventlet':` (EVL703), and 5 method calls on objects made
    # in the same file (hub.py's socket accept() and event wait()/send(), bgp speaker's semaphore)
    assert len(per_file) == 40
    assert len(indexed) == 135
    # The 67 new ones are exactly the 66 lines `grep -rn 'hub\.\(sleep\|Queue\|Timeout\|getcurrent\|
    # QueueEmpty\|Semaphore\|BoundedSemaphore\|listen\|connect\|WebSocketWSGI\)\b'` finds outside
    # hub.py, plus `with Timeout(...)` in bgp/base.py, which imports Timeout from the hub.
    assert _via(indexed) == {"os_ken.lib.hub": 67}
    new = Counter(i["code"] for i in indexed) - Counter(i["code"] for i in per_file)
    # And 28 method calls on objects the hub makes (`hub.Queue()`, `hub.BoundedSemaphore()`,
    # `hub.Timeout()`, `hub.spawn()`): queues' get/put/empty, semaphores, cancel(), link()/kill().
    assert new == {
        "EVL103": 10,
        "EVL201": 35,
        "EVL202": 9,
        "EVL302": 3,
        "EVL303": 8,
        "EVL402": 2,
        "EVL801": 5,
        "EVL804": 6,
        "EVL805": 14,
        "EVL806": 3,
    }


def test_nova_34_project_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """nova 34 reaches eventlet through `nova.utils.get_eventlet()`, a function returning it."""
    tree = fetch("nova==34.0.0")
    indexed = _check(tree, monkeypatch, "EVL")
    per_file = json.loads(
        run_cli(["check", ".", "--select", "EVL", "--output-format", "json", "--no-project-index"]).stdout
    )
    # 8, less requestlog.py's environ key 'eventlet.input' (no EVL601), plus 3 executors
    # chosen by a conditional (EVL701: rpc.py, tests/fixtures/nova.py, test_rpc.py) and 6
    # EVL703: `backend='eventlet'` and `backend == 'eventlet'` (monkey_patch.py and two
    # tests), the concurrency_backend option's choices (conf/base.py, monkey_patch.py).
    assert len(per_file) == 16
    # With the index, also the three method calls on the GreenPipes host.py makes through
    # `nova.utils` (EVL807: `self._event_notify_send.write()`, `.flush()`, `..._recv.read()`).
    assert len(indexed) == 32
    assert _via(indexed) == {"nova.utils": 13}
    new = Counter(i["code"] for i in indexed) - Counter(i["code"] for i in per_file)
    assert new == {"EVL103": 6, "EVL503": 2, "EVL504": 1, "EVL505": 1, "EVL807": 3, "EVL900": 3}


@pytest.mark.parametrize("spec", ["os-ken==2.11.2", "nova==34.0.0", "nova==31.0.0"])
def test_linting_while_the_index_is_built_gives_the_finished_index_results(
    spec: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files the index reads are linted in that same parse, against an index without hubs,
    and linted again only if the finished index answers their questions otherwise: the
    findings must be those of linting each file against the finished index."""
    from evlint.api import check, load_configuration
    from evlint.config import CliOverrides
    from evlint.discover import display_path
    from evlint.index.namer import ModuleNamer
    from evlint.lint_file import Project, lint_python
    from evlint.runner.project import build_project_index

    tree = fetch(spec)
    monkeypatch.chdir(tree)
    overrides = CliOverrides(select=("EVL",))
    result = check([Path(".")], overrides)
    configuration = load_configuration(tree, overrides)
    scope, namer = configuration.scope(), ModuleNamer()
    index = build_project_index(Path(".").absolute(), configuration.settings, scope, None)
    expected = {}
    for path in sorted(Path(".").absolute().rglob("*.py")):
        active = scope.for_file(path)
        source = path.read_bytes()
        if not active or not (path in index.readers or scope.compiled.get(active).may_match(source)):
            continue
        shown = display_path(path)
        project = Project(namer.context(path), index)
        direct = lint_python(scope.compiled.get(active), shown, source, project=project).result
        if direct.diagnostics:
            expected[shown] = direct.diagnostics
    got = {
        file.path: file.diagnostics for file in result.files if file.diagnostics and file.path.endswith(".py")
    }
    assert got == expected
    assert any("(via " in d.message for found in got.values() for d in found) == (spec != "nova==31.0.0")
