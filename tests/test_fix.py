"""`check --fix`, `--unsafe-fixes` and `--diff` through the real CLI, on real files."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from evlint.fix.apply import FixRefusedError, apply_fixes, text_edits
from evlint.fix.propose import SourceText
from evlint.model import Applicability, Edit, Fix, Location

from .conftest import MASAKARI_WRAPPER, run_cli, write_files

SPAWNING = "import eventlet\n\n\ndef start(func):\n    return eventlet.spawn(func)\n"
SPAWNING_FIXED = "from masakari import utils\n\n\ndef start(func):\n    return utils.spawn(func)\n"
SLEEPING = "import eventlet\n\neventlet.sleep(1)\n"


@pytest.fixture(autouse=True)
def masakari_wrapper(request: pytest.FixtureRequest) -> None:
    """M322's fixes write masakari.utils.spawn: safe only where the project has it."""
    if "project" in request.fixturenames:
        write_files(request.getfixturevalue("project"), MASAKARI_WRAPPER)


def check(*args: str) -> Any:
    return run_cli(["check", "--no-color", *args])


def test_fix_applies_safe_fixes_and_reports_what_remains(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING, "b.py": SLEEPING})
    result = check("--select", "M322,EVL201", "--fix", ".")
    assert (project / "a.py").read_text() == SPAWNING_FIXED
    assert (project / "b.py").read_text() == SLEEPING  # EVL201's fix is unsafe
    assert result.exit_code == 1
    assert "Found 2 errors (1 fixed, 1 remaining)." in result.stdout
    assert (
        "No fixes available (1 hidden fix can be enabled with the `--unsafe-fixes` option)." in result.stdout
    )


def test_fix_exits_zero_when_everything_was_fixed(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING})
    result = check("--select", "M322", "--fix", "a.py")
    assert result.exit_code == 0, result.output
    assert "Found 1 error (1 fixed, 0 remaining)." in result.stdout


def test_unsafe_fixes_apply_only_when_asked(project: Path) -> None:
    write_files(project, {"b.py": SLEEPING})
    result = check("--select", "EVL201", "--fix", "--unsafe-fixes", "b.py")
    assert result.exit_code == 0, result.output
    assert (project / "b.py").read_text() == "import time\n\ntime.sleep(1)\n"


def test_without_fix_the_output_says_what_is_fixable(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING, "b.py": SLEEPING})
    result = check("--select", "M322,EVL201", ".")
    assert result.exit_code == 1
    assert "a.py:5:12: M322 [*] Use masakari.utils.spawn()" in result.stdout
    assert "b.py:3:1: EVL201 eventlet.sleep" in result.stdout  # unsafe: no [*]
    assert "= fix (safe): Replace with `utils.spawn`" in result.stdout
    assert "= fix (unsafe): Replace with `time.sleep`" in result.stdout
    assert (
        "[*] 1 fixable with the `--fix` option "
        "(1 hidden fix can be enabled with the `--unsafe-fixes` option)." in result.stdout
    )
    unsafe = check("--select", "M322,EVL201", "--unsafe-fixes", "--output-format", "concise", ".")
    assert "b.py:3:1: EVL201 [*] " in unsafe.stdout
    assert "[*] 2 fixable with the `--fix --unsafe-fixes` options." in unsafe.stdout


def test_second_fix_changes_nothing(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING, "b.py": SLEEPING})
    check("--select", "M322,EVL201", "--fix", "--unsafe-fixes", ".")
    first = {name: (project / name).read_bytes() for name in ("a.py", "b.py")}
    again = check("--select", "M322,EVL201", "--fix", "--unsafe-fixes", ".")
    assert again.exit_code == 0
    assert {name: (project / name).read_bytes() for name in ("a.py", "b.py")} == first
    assert "All checks passed!" in again.stdout


def test_crlf_file_keeps_crlf_everywhere(project: Path) -> None:
    (project / "a.py").write_bytes(SPAWNING.replace("\n", "\r\n").encode())
    check("--select", "M322", "--fix", "a.py")
    assert (project / "a.py").read_bytes() == SPAWNING_FIXED.replace("\n", "\r\n").encode()


def test_bom_and_coding_declaration_are_kept(project: Path) -> None:
    (project / "bom.py").write_bytes(b"\xef\xbb\xbf" + "# caf\u00e9\n".encode() + SPAWNING.encode())
    latin = "# -*- coding: latin-1 -*-\n# caf\u00e9\n" + SPAWNING
    (project / "latin.py").write_bytes(latin.encode("latin-1"))
    result = check("--select", "M322", "--fix", ".")
    assert result.exit_code == 0, result.output
    assert (project / "bom.py").read_bytes() == b"\xef\xbb\xbf" + ("# caf\u00e9\n" + SPAWNING_FIXED).encode()
    expected = "# -*- coding: latin-1 -*-\n# caf\u00e9\n" + SPAWNING_FIXED
    assert (project / "latin.py").read_bytes() == expected.encode("latin-1")


def test_file_mode_is_kept(project: Path) -> None:
    write_files(project, {"tool.py": "#!/usr/bin/env python3\n" + SPAWNING})
    os.chmod(project / "tool.py", 0o751)
    check("--select", "M322", "--fix", "tool.py")
    assert stat.S_IMODE((project / "tool.py").stat().st_mode) == 0o751
    assert "utils.spawn" in (project / "tool.py").read_text()
    assert [p.name for p in project.iterdir() if p.name.endswith(".evlint-tmp")] == []  # no temporary left


def test_noqa_suppressed_findings_are_not_fixed(project: Path) -> None:
    code = "import eventlet\n\neventlet.spawn(f)  # noqa: M322\neventlet.spawn(g)\n"
    write_files(project, {"a.py": code})
    check("--select", "M322", "--fix", "a.py")
    text = (project / "a.py").read_text()
    assert "eventlet.spawn(f)  # noqa: M322" in text
    assert "utils.spawn(g)" in text
    assert "import eventlet" in text  # still used by the suppressed line


def test_diff_prints_and_writes_nothing(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING})
    before = (project / "a.py").stat().st_mtime_ns
    result = check("--select", "M322", "--diff", "a.py")
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["--- a/a.py", "+++ b/a.py"]
    assert "-import eventlet\n+from masakari import utils\n" in result.stdout
    assert "+    return utils.spawn(func)\n" in result.stdout
    assert "Would fix 1 error." in result.stderr
    assert (project / "a.py").read_text() == SPAWNING
    assert (project / "a.py").stat().st_mtime_ns == before


def test_diff_with_nothing_to_fix_exits_zero(project: Path) -> None:
    write_files(project, {"b.py": SLEEPING})
    result = check("--select", "EVL201", "--diff", "b.py")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "No errors would be fixed." in result.stderr


def test_json_carries_ruff_shaped_fix_with_import_edits(project: Path) -> None:
    write_files(
        project, {"a.py": SPAWNING, "b.py": "import eventlet\n\neventlet.spawn(f)\neventlet.spawn(g)\n"}
    )
    result = check("--select", "M322", "--output-format", "json", ".")
    items = json.loads(result.stdout)
    first = items[0]["fix"]
    assert first["applicability"] == "safe"
    assert first["message"] == "Replace with `utils.spawn`"
    assert first["edits"] == [
        {
            "content": "from masakari import utils",
            "location": {"row": 1, "column": 1},
            "end_location": {"row": 1, "column": 16},
        },
        {"content": "utils", "location": {"row": 5, "column": 12}, "end_location": {"row": 5, "column": 20}},
    ]
    # b.py: each fix alone leaves the other use, so `import eventlet` stays; utils is imported below it.
    second = items[1]["fix"]["edits"]
    assert {
        "content": "from masakari import utils\n",
        "location": {"row": 2, "column": 1},
        "end_location": {"row": 2, "column": 1},
    } in second
    assert {
        "content": "utils",
        "location": {"row": 3, "column": 1},
        "end_location": {"row": 3, "column": 9},
    } in second


def test_json_edits_rebuild_the_fixed_file(project: Path) -> None:
    write_files(project, {"a.py": SPAWNING})
    edits = json.loads(check("--select", "M322", "--output-format", "json", "a.py").stdout)[0]["fix"]["edits"]
    source = SourceText(SPAWNING)
    text = SPAWNING
    for edit in sorted(edits, key=lambda e: (e["location"]["row"], e["location"]["column"]), reverse=True):
        start = source.offset(Location(**edit["location"]))
        end = source.offset(Location(**edit["end_location"]))
        text = text[:start] + edit["content"] + text[end:]
    assert text == SPAWNING_FIXED


BROKEN_RULE = """\
id: ORG900
name: broken-fix
summary: A rule whose fix template names a keyword
message: "{matched} is banned"
match:
  reference: [eventlet.spawn]
fix:
  replace-reference: {eventlet.spawn: mylib.lambda}
  applicability: safe
examples:
  invalid: [{code: "import eventlet\\neventlet.spawn(f)\\n"}]
  valid: [{code: "x = 1\\n"}]
"""


def test_fix_that_would_break_syntax_is_refused(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.evlint]\ntrusted-rules = true\n"
    )  # the pack's safe fixes apply
    write_files(project, {"rules/ORG900.yaml": BROKEN_RULE, "a.py": SPAWNING})
    result = check("--rules-dir", "rules", "--select", "ORG900", "--fix", "a.py")
    assert result.exit_code == 1
    assert (project / "a.py").read_text() == SPAWNING
    assert "evlint: warning: a.py: fixes not applied: the fixed code would not parse (line 5" in result.stderr
    assert "a.py:5:12: ORG900" in result.stdout


def test_rules_that_undo_each_other_stop_after_bounded_rounds(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.evlint]\ntrusted-rules = true\n"
    )  # the pack's safe fixes apply
    ping = (
        BROKEN_RULE.replace("ORG900", "ORG901")
        .replace("broken-fix", "ping")
        .replace("{eventlet.spawn: mylib.lambda}", "{eventlet.spawn: eventlet.spawn_n}")
    )
    pong = (
        BROKEN_RULE.replace("ORG900", "ORG902")
        .replace("broken-fix", "pong")
        .replace("reference: [eventlet.spawn]", "reference: [eventlet.spawn_n]")
        .replace("{eventlet.spawn: mylib.lambda}", "{eventlet.spawn_n: eventlet.spawn}")
        .replace("eventlet.spawn(f)", "eventlet.spawn_n(f)")
    )
    write_files(project, {"rules/ORG901.yaml": ping, "rules/ORG902.yaml": pong, "a.py": SPAWNING})
    result = check("--rules-dir", "rules", "--select", "ORG9", "--fix", "a.py")
    assert "fixes not applied: the fixes did not settle after 10 rounds" in result.stderr
    assert "eventlet.spawn" in (project / "a.py").read_text()


def test_symlinked_file_is_not_written_through(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("outside") / "target.py"
    outside.write_text(SPAWNING)
    (project / "link.py").symlink_to(outside)
    result = check("--select", "M322", "--fix", "link.py")
    assert outside.read_text() == SPAWNING
    assert (project / "link.py").is_symlink()
    assert "symbolic link" in result.stderr


def _fix(row: int, start: int, end: int, content: str) -> Fix:
    edit = Edit(content, Location(row, start), Location(row, end))
    return Fix(Applicability.SAFE, "test", (edit,))


def test_overlapping_fixes_wait_for_the_next_round() -> None:
    text = "abcdef\n"
    applied = apply_fixes(text, [_fix(1, 1, 4, "X"), _fix(1, 3, 5, "Y"), _fix(1, 6, 7, "Z")])
    assert applied.text == "XdeZ\n"
    assert applied.fixes == 2


def test_apply_refuses_code_that_does_not_parse() -> None:
    with pytest.raises(FixRefusedError, match="would not parse"):
        apply_fixes("x = 1\n", [_fix(1, 5, 6, "(")])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a = 1\nb = 2\n", "a = 1\nb = 3\n"),
        ("import x\nx.f()\n", "from y import z\n\nz.f()\n"),
        ("one\ntwo\nthree\n", "three\n"),
        ("same\n", "same\n"),
        ("no newline", "no newline at all"),
        ("", "added\n"),
    ],
)
def test_text_edits_turn_old_into_new(old: str, new: str) -> None:
    source = SourceText(old)
    text = old
    for edit in sorted(text_edits(old, new), key=lambda e: source.offset(e.location), reverse=True):
        text = text[: source.offset(edit.location)] + edit.content + text[source.offset(edit.end_location) :]
    assert text == new


CALLEE_RULE = """\
id: ORG910
name: callee-only
summary: Calls of eventlet.spawn go through ourlib
message: "{matched} is banned"
match:
  reference: [eventlet.spawn]
fix:
  replace-callee: "ourlib.tasks.{name}"
  applicability: APPLICABILITY
examples:
  invalid:
    - code: "import eventlet\\neventlet.spawn(f)\\nlauncher = eventlet.spawn\\n"
      count: 2
      fixed: "import eventlet\\nfrom ourlib import tasks\\ntasks.spawn(f)\\nlauncher = eventlet.spawn\\n"
  valid: [{code: "x = 1\\n"}]
"""


def test_replace_callee_fixes_calls_and_leaves_other_references(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.evlint]\ntrusted-rules = true\n"
    )  # the pack's safe fixes apply
    write_files(project, {"rules/ORG910.yaml": CALLEE_RULE.replace("APPLICABILITY", "safe")})
    assert run_cli(["test-rules", "rules"]).exit_code == 0
    write_files(project, {"a.py": "import eventlet\neventlet.spawn(f)\nlauncher = eventlet.spawn\n"})
    result = check("--rules-dir", "rules", "--select", "ORG910", "--fix", "a.py")
    assert result.exit_code == 1
    expected = "import eventlet\nfrom ourlib import tasks\ntasks.spawn(f)\nlauncher = eventlet.spawn\n"
    assert (project / "a.py").read_text() == expected


def test_display_only_fixes_are_shown_and_never_applied(project: Path) -> None:
    write_files(project, {"rules/ORG910.yaml": CALLEE_RULE.replace("APPLICABILITY", "display-only")})
    write_files(project, {"a.py": "import eventlet\neventlet.spawn(f)\n"})
    shown = check("--rules-dir", "rules", "--select", "ORG910", "a.py")
    assert "= fix (display-only): Replace with `tasks.spawn`" in shown.stdout
    assert "[*]" not in shown.stdout and "fixable" not in shown.stdout
    check("--rules-dir", "rules", "--select", "ORG910", "--fix", "--unsafe-fixes", "a.py")
    assert (project / "a.py").read_text() == "import eventlet\neventlet.spawn(f)\n"
    assert run_cli(["test-rules", "rules"]).exit_code == 0  # the harness applies it to check `fixed`


def test_atomic_write_leaves_the_old_file_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evlint import atomic

    target = tmp_path / "mod.py"
    target.write_bytes(b"old\n")
    os.chmod(target, 0o640)

    class Interrupted(BaseException):
        pass

    def interrupt(*_args: object) -> None:
        raise Interrupted

    with monkeypatch.context() as patch:
        patch.setattr(atomic.os, "replace", interrupt)
        with pytest.raises(Interrupted):
            atomic.write_atomically(target, b"new\n")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mod.py"]
    atomic.write_atomically(target, b"new\n")
    assert target.read_bytes() == b"new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
