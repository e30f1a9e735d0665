"""`--output-format github`: workflow-command annotations, escaped as the Actions toolkit does."""

from __future__ import annotations

from pathlib import Path

from evlint.output.github import escape_data, escape_property
from tests.conftest import run_cli, write_files

ODD_RULE = """\
id: TST901
name: odd-message
severity: info
summary: A message that needs escaping
message: "100% {matched}, see: here\\r\\nsecond line"
match:
  call: [eventlet.sleep]
examples:
  invalid: [{code: "import eventlet\\neventlet.sleep(1)\\n"}]
  valid: [{code: "import time\\n"}]
"""


def test_escaping_matches_the_actions_toolkit() -> None:
    # @actions/core: escapeData replaces % CR LF; escapeProperty also : and ,
    assert escape_data("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext: a, b"
    assert escape_property("50% done\r\nnext: a, b") == "50%25 done%0D%0Anext%3A a%2C b"


def test_annotations_by_severity(project: Path) -> None:
    write_files(
        project, {"pkg/mod.py": "import eventlet\n\n\ndef start(worker):\n    eventlet.spawn(worker)\n"}
    )
    result = run_cli(["check", "--output-format", "github"])
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "::warning file=pkg/mod.py,line=1,col=1,endLine=1,endColumn=16,title=evlint (EVL501)::Import of eventlet",
        "::error file=pkg/mod.py,line=5,col=5,endLine=5,endColumn=19,title=evlint (EVL101)::eventlet.spawn() starts "
        "a green thread",
    ]


def test_escaped_properties_notice_and_multi_line_range(project: Path) -> None:
    write_files(
        project,
        {
            "odd,dir:x/mod.py": "import eventlet\nx = (eventlet\n     .spawn)\neventlet.sleep(1)\n",
            "rules/TST901.yaml": ODD_RULE,
        },
    )
    result = run_cli(
        [
            "check",
            "--output-format",
            "github",
            "--select",
            "EVL101,TST901",
            "--rules-dir",
            "rules",
            "odd,dir:x",
        ]
    )
    assert result.stdout.splitlines() == [
        # a range over two lines: no col/endColumn
        "::error file=odd%2Cdir%3Ax/mod.py,line=2,endLine=3,title=evlint (EVL101)::eventlet.spawn() starts a green "
        "thread",
        "::notice file=odd%2Cdir%3Ax/mod.py,line=4,col=1,endLine=4,endColumn=15,title=evlint (TST901)::"
        "100%25 eventlet.sleep, see: here%0D%0Asecond line",
    ]


def test_no_output_when_clean(project: Path) -> None:
    write_files(project, {"mod.py": "import threading\n"})
    result = run_cli(["check", "--output-format", "github"])
    assert (result.exit_code, result.stdout) == (0, "")
