"""`evlint report` on masakari 22.0.0 and its siblings from the package index (`pytest -m corpus`)."""

from __future__ import annotations

import io
import json
import tokenize
from collections import defaultdict
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from evlint.report.json import report_schema
from tests.conftest import run_cli
from tests.test_corpus import fetch

pytestmark = pytest.mark.corpus

TEAM = (
    "masakari==22.0.0",
    "masakari-monitors==22.0.0",
    "python-masakariclient==8.9.0",
    "masakari-dashboard==15.0.0",
)

# (production, test) per pattern, checked line by line against `grep -rnw eventlet` on each
# tree: what grep finds beyond these are comments, docstrings, the hacking check's regex and
# its test inputs, the ChangeLog and PKG-INFO.
EXPECTED = {
    "masakari": {
        # 2 GreenPools, 2 spawns, and the method calls on what they make (api/wsgi.py): the
        # pool's resize() twice and waitall(); kill() and wait() on the green thread that
        # masakari.utils.spawn() returns (made at utils.py:194, followed through the index)
        "threads-pools": (9, 0),
        # 3 eventlet.wsgi names, listen and wrap_ssl, and getsockname()/dup() on the listening socket
        "wsgi-networking": (7, 1),
        "timed-work": (1, 2),
        "monkey-patching-hubs": (1, 0),
        "tests-mocks": (0, 4),
        "config-dependencies": (2, 1),
        "imports": (7, 5),
        # oslo.service looping calls (EVB102 16 + 6 in tests), launchers, lockutils, greenlet
        "library-apis": (21, 6),
        "hazards": (0, 2),  # EVH201: eventlet.sleep(0) twice in tests/unit/api/test_wsgi.py
        "other": (0, 3),
        "docs": (1, 0),  # HACKING.rst; the release note wsgi-applications-*.yaml is history
    },
    "masakari-monitors": {
        "timed-work": (19, 0),
        "tests-mocks": (0, 20),
        "imports": (10, 11),
        "library-apis": (2, 0),  # a ThreadGroup, service.launch
        # EVH101: two test modules patch after `import threading`; EVH201: the busy-wait
        # `while not all(links_done.values()): eventlet.sleep()` in introspectiveinstancemonitor/scheduler.py
        "hazards": (1, 2),
    },
    "python-masakariclient": {},
    "masakari-dashboard": {},
}


def test_masakari_team_report(tmp_path: Path) -> None:
    trees = [fetch(spec) for spec in TEAM]
    output = tmp_path / "masakari.json"
    result = run_cli(
        ["report", "--team", "masakari", "--output-format", "json", "-o", str(output), *map(str, trees)]
    )
    assert result.exit_code == 0, result.output
    document: dict[str, Any] = json.loads(output.read_text(encoding="utf-8"))
    jsonschema.validate(document, report_schema(), cls=jsonschema.Draft202012Validator)
    counts = {
        project["name"]: {
            pattern: (c["production"], c["test"])
            for pattern, c in project["summary"]["by_pattern"].items()
            if c["total"]
        }
        for project in document["projects"]
    }
    assert counts == EXPECTED
    assert [project["release_notes"] for project in document["projects"]] == [1, 0, 0, 0]
    for project, tree in zip(document["projects"], trees, strict=True):
        assert project["errors"] == []
        _no_comment_or_docstring(project["occurrences"], tree)
        _every_eventlet_name_is_listed(project["occurrences"], tree)
    masakari = document["projects"][0]["occurrences"]
    # `import eventlet` with a blanket noqa comment is counted: an inventory does not apply suppressions.
    assert any(o["path"] == "masakari/__init__.py" and o["rule"] == "EVL501" for o in masakari)


def _tokens(path: Path) -> list[tokenize.TokenInfo]:
    return list(tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline))


def _no_comment_or_docstring(occurrences: list[dict[str, Any]], tree: Path) -> None:
    """Each code occurrence in a .py file starts on a name (or, for EVL601, a string argument)."""
    for occurrence in occurrences:
        if occurrence["kind"] != "code" or not occurrence["path"].endswith(".py"):
            continue
        start = (occurrence["line"], occurrence["column"] - 1)
        token = next(t for t in _tokens(tree / occurrence["path"]) if t.start <= start < t.end)
        assert token.type != tokenize.COMMENT, occurrence
        if token.type == tokenize.STRING:
            assert occurrence["rule"] in ("EVL601", "EVB401", "EVH702"), occurrence  # string targets
        else:
            assert token.type == tokenize.NAME, occurrence


def _every_eventlet_name_is_listed(occurrences: list[dict[str, Any]], tree: Path) -> None:
    """Every line where the name `eventlet` is code (not after a dot, not in a string) is listed."""
    listed: dict[str, set[int]] = defaultdict(set)
    for occurrence in occurrences:
        listed[occurrence["path"]].add(occurrence["line"])
    for path in tree.rglob("*.py"):
        relative = path.relative_to(tree).as_posix()
        tokens = _tokens(path)
        for before, token in zip([None, *tokens], tokens, strict=False):
            if (
                token.type == tokenize.NAME
                and token.string == "eventlet"
                and (before is None or before.string != ".")
            ):
                assert token.start[0] in listed[relative], f"{relative}:{token.start[0]}"
