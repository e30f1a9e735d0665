"""On real projects downloaded with ../shared/corpus/fetch.sh (run with `pytest -m corpus`)."""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli

FETCH = ROOT.parent / "shared" / "corpus" / "fetch.sh"

pytestmark = pytest.mark.corpus


def fetch(spec: str) -> Path:
    if not FETCH.is_file():
        pytest.skip(f"{FETCH} is not there")
    done = subprocess.run(["bash", str(FETCH), spec], capture_output=True, text=True, check=True)
    return Path(done.stdout.strip().splitlines()[-1])


def test_masakari_22(monkeypatch: pytest.MonkeyPatch) -> None:
    tree = fetch("masakari==22.0.0")
    monkeypatch.chdir(tree)
    result = run_cli(["check", ".", "--select", "EVL,M322", "--output-format", "json"])
    items = json.loads(result.stdout)
    counts = Counter(item["code"] for item in items)
    # Checked by hand against `grep -rn eventlet`: masakari keeps spawn inside utils.py
    # (M322's exemption), imports eventlet in 10 places, patches eventlet.spawn twice by
    # string pair in test_wsgi.py and uses executor='eventlet' twice.
    assert counts == {"EVL101": 2, "EVL501": 11, "EVL601": 2, "EVL701": 2}
    assert {Path(i["filename"]).relative_to(tree).as_posix() for i in items if i["code"] == "EVL101"} == {
        "masakari/utils.py"
    }
    for item in items:  # every finding points at code, never into a comment
        line = Path(item["filename"]).read_text(encoding="utf-8").splitlines()[item["location"]["row"] - 1]
        assert not line.lstrip().startswith("#")
    # masakari/__init__.py has `import eventlet  # noqa`: suppressed, as flake8 does.
    assert not any(i["filename"].endswith("masakari/__init__.py") for i in items)
