"""The project index: eventlet names re-exported through the project's own modules.

Every test writes a multi-module project and runs the real CLI on it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evlint.index.build import build_index
from evlint.index.model import SourceFile
from evlint.index.namer import ModuleNamer
from evlint.index.readers import HubTokens, ReaderTest
from evlint.runner.indexing import parse_facts

from .conftest import run_cli, write_files

Finding = tuple[str, int, str, str | None]  # path, row, code, module it came through
_VIA = re.compile(r" \(via ([\w.]+)\)$")

CONCURRENCY = """\
    from eventlet import GreenPool, sleep, Timeout
    from eventlet.green import socket
    import eventlet as ev
    spawn = ev.spawn
    """


def check(*args: str, path: str | None = None) -> set[Finding]:
    """Findings outside the hub modules' own eventlet imports (EVL501) and catch-alls in them."""
    result = run_cli(["check", *args, "--output-format", "json"])
    assert result.exit_code in (0, 1), result.output
    items: list[dict[str, Any]] = json.loads(result.stdout)
    found = set()
    for item in items:
        via = _VIA.search(item["message"])
        filename = Path(item["filename"]).relative_to(Path.cwd()).as_posix()
        if path is None or filename == path:
            found.add((filename, item["location"]["row"], item["code"], via.group(1) if via else None))
    return found


def test_names_imported_from_a_hub_module_are_eventlet_names(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": """\
                from myproj.concurrency import GreenPool, sleep, Timeout, socket, spawn
                from myproj import concurrency

                pool = GreenPool()
                sleep(1)
                with Timeout(5):
                    pass
                socket.socket()
                spawn(print)
                concurrency.ev.spawn_n(print)
                concurrency.sleep(0)
                """,
        },
    )
    via = "myproj.concurrency"
    assert check(path="myproj/api.py") == {
        ("myproj/api.py", 4, "EVL102", via),
        ("myproj/api.py", 5, "EVL201", via),
        ("myproj/api.py", 6, "EVL202", via),
        ("myproj/api.py", 8, "EVL403", via),
        ("myproj/api.py", 9, "EVL101", via),
        ("myproj/api.py", 10, "EVL101", via),
        ("myproj/api.py", 11, "EVL201", via),
    }


def test_the_message_names_the_module_and_no_project_index_turns_it_off(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": "from myproj.concurrency import sleep\nsleep(1)\n",
        },
    )
    result = run_cli(["check", "myproj/api.py", "--output-format", "concise"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("myproj/api.py:2:1: EVL201 eventlet.sleep()")
    assert result.stdout.splitlines()[0].endswith(" (via myproj.concurrency)")
    assert check("--no-project-index", path="myproj/api.py") == set()
    (project / "pyproject.toml").write_text("[tool.evlint]\nproject-index = false\n", encoding="utf-8")
    assert check(path="myproj/api.py") == set()


def test_a_chain_of_re_exports_is_followed_and_named_by_the_module_imported_from(project: Path) -> None:
    write_files(
        project,
        {
            "app/__init__.py": "",
            "app/low.py": "import eventlet\nsleep = eventlet.sleep\n",
            "app/middle.py": "from app.low import sleep as nap\n",
            "app/high.py": "from app import middle\nrest = middle.nap\n",
            "app/user.py": "from app.high import rest\nfrom app.middle import nap\nrest(1)\nnap(2)\n",
        },
    )
    assert check(path="app/user.py") == {
        ("app/user.py", 3, "EVL201", "app.high"),
        ("app/user.py", 4, "EVL201", "app.middle"),
    }


def test_relative_imports_and_package_init_re_exports(project: Path) -> None:
    write_files(
        project,
        {
            "pkg/__init__.py": "from .concurrency import GreenPool\nfrom . import concurrency\n",
            "pkg/concurrency.py": "from eventlet import GreenPool, sleep\n",
            "pkg/sub/__init__.py": "",
            "pkg/sub/worker.py": """\
                from .. import GreenPool
                from ..concurrency import sleep
                from .. import concurrency as c
                import pkg

                GreenPool()
                sleep(1)
                c.sleep(2)
                pkg.GreenPool()
                pkg.concurrency.GreenPool()
                """,
            "other.py": "import pkg\npkg.GreenPool()\n",
        },
    )
    assert check() == {
        ("pkg/concurrency.py", 1, "EVL501", None),
        ("pkg/sub/worker.py", 6, "EVL102", "pkg"),
        ("pkg/sub/worker.py", 7, "EVL201", "pkg.concurrency"),
        ("pkg/sub/worker.py", 8, "EVL201", "pkg.concurrency"),
        ("pkg/sub/worker.py", 9, "EVL102", "pkg"),
        ("pkg/sub/worker.py", 10, "EVL102", "pkg.concurrency"),
        ("other.py", 2, "EVL102", "pkg"),
    }


def test_a_relative_import_beyond_the_top_level_package_resolves_to_nothing(project: Path) -> None:
    write_files(
        project,
        {
            "pkg/__init__.py": "",
            "pkg/hub.py": "from eventlet import sleep\n",
            "pkg/user.py": "from ...hub import sleep\nfrom ..pkg.hub import sleep as nap\nsleep(1)\nnap(1)\n",
        },
    )
    assert check(path="pkg/user.py") == set()


def test_cycles_terminate_and_keep_what_either_side_re_exports(project: Path) -> None:
    write_files(
        project,
        {
            "cyc/__init__.py": "",
            "cyc/a.py": "from cyc.b import b_name as a_name\nfrom cyc.b import other\n",
            "cyc/b.py": """\
                from cyc.a import a_name as b_name
                from cyc.a import other
                try:
                    from eventlet import spawn as b_name
                except ImportError:
                    pass
                """,
            "cyc/user.py": "from cyc.a import a_name, other\na_name(print)\nother(print)\n",
        },
    )
    assert check(path="cyc/user.py") == {("cyc/user.py", 2, "EVL101", "cyc.a")}


def test_dunder_all_decides_what_a_star_import_of_a_hub_brings(project: Path) -> None:
    write_files(
        project,
        {
            "hub/__init__.py": "",
            "hub/conc.py": "from eventlet import sleep, spawn\n__all__ = ['spawn']\n",
            "hub/plain.py": "from eventlet import GreenPool as _pool, Queue\n",
            "hub/user.py": "from hub.conc import *\nfrom hub.plain import *\nspawn(print)\nsleep(1)\nQueue()\n_pool()\n",
        },
    )
    assert check(path="hub/user.py") == {
        ("hub/user.py", 3, "EVL101", "hub.conc"),
        ("hub/user.py", 5, "EVL303", "hub.plain"),
    }


def test_a_hub_that_star_imports_eventlet_re_exports_every_public_name(project: Path) -> None:
    write_files(
        project,
        {
            "hub/__init__.py": "from .green import *\n",
            "hub/green.py": "from eventlet import *\n\ndef sleep(seconds):\n    pass\n",
            "hub/user.py": "from hub.green import *\nimport hub\nspawn(print)\nsleep(1)\nhub.GreenPool()\n",
        },
    )
    assert check(path="hub/user.py") == {
        ("hub/user.py", 3, "EVL101", "hub.green"),
        ("hub/user.py", 5, "EVL102", "hub"),
    }


def test_a_function_returning_eventlet_makes_its_calls_eventlet(project: Path) -> None:
    # nova 34's nova/utils.py, abridged
    write_files(
        project,
        {
            "nova/__init__.py": "",
            "nova/utils.py": """\
                def concurrency_mode_threading():
                    return False


                def get_eventlet():
                    if concurrency_mode_threading():
                        return None

                    import eventlet  # noqa
                    return eventlet


                def get_tpool():
                    return get_eventlet().tpool


                def tpool_wrap(target):
                    return get_eventlet().tpool.Proxy(target)
                """,
            "nova/host.py": """\
                from nova import utils


                class Handler:
                    def __init__(self):
                        eventlet = utils.get_eventlet()
                        self.native_threading = eventlet.patcher.original("threading")
                        utils.get_eventlet().hubs.use_hub()
                        utils.get_tpool().execute(print)
                        utils.concurrency_mode_threading().spawn(print)
                """,
        },
    )
    assert check("--select", "EVL5") == {
        ("nova/utils.py", 18, "EVL504", None),  # in-file: needs no index
        ("nova/host.py", 7, "EVL503", "nova.utils"),
        ("nova/host.py", 8, "EVL505", "nova.utils"),
        ("nova/host.py", 9, "EVL504", "nova.utils"),
    }
    assert check("--select", "EVL5", "--no-project-index") == {("nova/utils.py", 18, "EVL504", None)}


def test_a_local_name_that_shadows_a_re_exported_name_is_not_eventlet(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": """\
                import time
                from myproj.concurrency import GreenPool, sleep


                def run(GreenPool):
                    GreenPool()


                def wait():
                    sleep = time.sleep
                    sleep(1)


                class Pool:
                    def sleep(self):
                        pass
                """,
        },
    )
    assert check(path="myproj/api.py") == set()


def test_src_layouts_and_the_src_setting_name_the_modules(project: Path) -> None:
    write_files(
        project,
        {
            "src/lib/__init__.py": "",
            "src/lib/conc.py": "from eventlet import sleep\n",
            "src/lib/user.py": "from lib.conc import sleep\nsleep(1)\n",
            # a namespace package (no __init__.py): named only with `src`
            "code/ns/conc.py": "from eventlet import sleep\n",
            "code/ns/user.py": "from ns.conc import sleep\nsleep(1)\n",
        },
    )
    assert check() >= {("src/lib/user.py", 2, "EVL201", "lib.conc")}
    assert ("code/ns/user.py", 2, "EVL201", "ns.conc") not in check()
    (project / "pyproject.toml").write_text('[tool.evlint]\nsrc = ["code", "src"]\n', encoding="utf-8")
    assert check() >= {
        ("src/lib/user.py", 2, "EVL201", "lib.conc"),
        ("code/ns/user.py", 2, "EVL201", "ns.conc"),
    }


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('src = "src"', "src must be a list of strings"),
        ("project-index = 1", "project-index must be true or false"),
    ],
)
def test_bad_settings_are_errors_with_file_and_line(project: Path, setting: str, message: str) -> None:
    (project / "pyproject.toml").write_text(f"[tool.evlint]\nselect = ['EVL']\n{setting}\n", encoding="utf-8")
    result = run_cli(["check"])
    assert result.exit_code == 2
    assert result.stderr == f"evlint: error: {project / 'pyproject.toml'}:3: {message}\n"


def test_checking_one_file_still_reads_the_rest_of_its_package(project: Path) -> None:
    """pre-commit passes only the changed files."""
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/deep/__init__.py": "",
            "myproj/deep/api.py": "from myproj.concurrency import sleep\nsleep(1)\n",
        },
    )
    assert check("myproj/deep/api.py") == {("myproj/deep/api.py", 2, "EVL201", "myproj.concurrency")}
    assert check("myproj/deep") == {("myproj/deep/api.py", 2, "EVL201", "myproj.concurrency")}


def test_a_hub_no_rule_applies_to_still_re_exports(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[tool.evlint]\n[tool.evlint.per-file-ignores]\n"myproj/concurrency.py" = ["EVL"]\n', encoding="utf-8"
    )
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": "from myproj.concurrency import sleep\nsleep(1)\n",
        },
    )
    assert check() == {("myproj/api.py", 2, "EVL201", "myproj.concurrency")}


def test_a_hub_that_does_not_parse_re_exports_nothing_and_is_reported(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": "from eventlet import sleep\ndef broken(:\n",
            "myproj/api.py": "from myproj.concurrency import sleep\nsleep(1)\n",
        },
    )
    assert check() == {("myproj/concurrency.py", 2, "EVL000", None)}


def test_the_index_inputs_and_fingerprint_follow_what_hubs_re_export(tmp_path: Path) -> None:
    write_files(
        tmp_path,
        {
            "p/__init__.py": "",
            "p/hub.py": "from eventlet import sleep\n",
            "p/user.py": "from p.hub import sleep\n",
            "p/plain.py": "import os\n",
        },
    )

    def index_of(files: dict[str, str]) -> Any:
        write_files(tmp_path, files)
        sources = [SourceFile(path, path.read_bytes()) for path in sorted(tmp_path.rglob("*.py"))]
        return build_index(sources, frozenset({"eventlet"}), ModuleNamer(), parse_facts)

    first = index_of({})
    assert [(Path(i.path).name, i.module) for i in first.inputs] == [
        ("hub.py", "p.hub"),
        ("user.py", "p.user"),
    ]
    assert sorted(first.modules) == ["p.hub", "p.user"]
    comment = index_of({"p/hub.py": "# a comment\nfrom eventlet import sleep\n"})
    assert comment.fingerprint() == first.fingerprint()
    assert comment.inputs[0].sha256 != first.inputs[0].sha256
    more = index_of({"p/hub.py": "from eventlet import sleep, spawn\n"})
    assert more.fingerprint() != first.fingerprint()


def test_calls_that_refer_to_themselves_terminate(project: Path) -> None:
    write_files(
        project,
        {
            "loop/__init__.py": "",
            "loop/hub.py": """\
                import eventlet

                def forever():
                    return forever()

                def ping():
                    return pong()

                def pong():
                    if eventlet.debug:
                        return ping()
                    return eventlet

                device = device()
                """,
            "loop/user.py": "from loop import hub\nhub.forever().spawn(print)\nhub.ping().spawn(print)\n",
        },
    )
    assert check("--select", "EVL101", path="loop/user.py") == {("loop/user.py", 3, "EVL101", "loop.hub")}


def test_standard_input_is_checked_with_its_package_on_disk(project: Path) -> None:
    """An editor or `--stdin-filename` pipes a buffer that need not be saved yet."""
    write_files(project, {"myproj/__init__.py": "", "myproj/concurrency.py": CONCURRENCY})
    result = run_cli(
        ["check", "-", "--stdin-filename", "myproj/new.py", "--output-format", "concise"],
        input="from myproj.concurrency import sleep\nsleep(1)\n",
    )
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].startswith("myproj/new.py:2:1: EVL201 ")
    assert result.stdout.splitlines()[0].endswith("(via myproj.concurrency)")


def test_report_uses_the_index_unless_told_not_to(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": "from myproj.concurrency import sleep\nsleep(1)\n",
        },
    )

    def api_rules(*args: str) -> list[str]:
        result = run_cli(["report", ".", "--output-format", "json", *args])
        assert result.exit_code == 0, result.output
        occurrences = json.loads(result.stdout)["projects"][0]["occurrences"]
        return [o["rule"] for o in occurrences if o["path"] == "myproj/api.py"]

    assert api_rules() == ["EVL201"]
    assert api_rules("--no-project-index") == []


def test_a_finding_through_the_index_is_not_rewritten_by_fix(project: Path) -> None:
    """The fix rewrites names written in the file; `hub.sleep` is the project's own name."""
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/api.py": "from myproj import concurrency\nconcurrency.sleep(1)\n",
        },
    )
    result = run_cli(["check", "myproj/api.py", "--diff", "--unsafe-fixes"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert check(path="myproj/api.py") == {("myproj/api.py", 2, "EVL201", "myproj.concurrency")}


def test_a_file_that_only_mentions_a_hub_name_is_not_parsed_but_uses_are_found(project: Path) -> None:
    write_files(
        project,
        {
            "myproj/__init__.py": "",
            "myproj/concurrency.py": CONCURRENCY,
            "myproj/prose.py": """\
                from myproj import concurrency  # sleep is not used here
                print(concurrency)
                """,
            "myproj/listed.py": """\
                from myproj.concurrency import (
                    GreenPool,
                )
                GreenPool()
                """,
            "myproj/continued.py": "from myproj.concurrency import socket, \\\n    sleep\nsleep(1)\n",
        },
    )
    result = run_cli(["check", "--no-cache", "-q"], env={"EVLINT_DEBUG_STATS": "1"})
    assert "myproj/listed.py:4:1: EVL102" in result.stdout
    assert "myproj/continued.py:3:1: EVL201" in result.stdout
    assert "prose.py" not in result.stdout
    assert "6 files checked, 0 from the cache, 3 parsed" in result.stderr  # not prose.py


_SHORT_AND_LONG = (
    HubTokens((b"utils",), (b"eventlet", b"eventlet_event")),
    HubTokens((b"greening",), (b"tpool",)),
)


@pytest.mark.parametrize(
    ("text", "uses"),
    [
        (b"from myproj import utils\nutils.eventlet_event.wait()\n", True),
        (b"from myproj import utils\nutils.eventlet.sleep()\n", True),
        (b"from myproj.utils import (\n    eventlet,\n)\n", True),
        (b"from myproj.greening import *\ntpool.execute(f)\n", True),
        (b"import utils  # eventlet_event is only mentioned\n", False),
        (b"from myproj import utils\nfake_eventlet = 1\n", False),
        (b"utils.tpool()\n", False),  # tpool's hub is `greening`, not named here
        (b"x = 1\n", False),
    ],
)
def test_a_reader_is_a_text_that_names_a_hub_and_uses_one_of_its_names(text: bytes, uses: bool) -> None:
    test = ReaderTest.of(_SHORT_AND_LONG)
    assert test.passes(text) is uses
    # Remembered token tests give the same answers, here and for other hubs' tests.
    seen: dict[bytes, bool] = {}
    assert test.passes(text, seen) is uses
    assert test.passes(text, seen) is uses
    for hub in _SHORT_AND_LONG:
        assert ReaderTest.of((hub,)).passes(text, seen) is ReaderTest.of((hub,)).passes(text)


_PIECES = [
    "from hub import ",
    "import ",
    "(",
    ")",
    ", ",
    "sleep",
    "_sleep",
    "sleepy",
    ".",
    "hub",
    "\n",
    "\r\n",
]
_PIECES += ["\\\n", "# ", " ", "*", "x", "import_", "reimport "]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14))
def test_a_used_name_is_found_as_by_one_expression(pieces: list[str]) -> None:
    """The attribute and import tests give what one regular expression over the text gives."""
    text = "".join(pieces).encode()
    word = re.escape(b"sleep")
    reference = re.compile(
        rb"\." + word + rb"\b|\bimport\s+(?:\([^)]*|(?:\\\r?\n|[^\n#])*)\b" + word + rb"\b"
    )
    assert ReaderTest._used(b"sleep", text, {}) is (reference.search(text) is not None)
