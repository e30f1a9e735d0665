"""`# noqa` with flake8's semantics, and the file-level `# evlint: noqa`."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.conftest import Findings

SPAWN = "import eventlet\n"


@pytest.mark.parametrize(
    ("line", "reported"),
    [
        ("eventlet.spawn(f)", True),
        ("eventlet.spawn(f)  # noqa", False),
        ("eventlet.spawn(f)  # NOQA", False),
        ("eventlet.spawn(f)  #noqa", False),
        ("eventlet.spawn(f)  # noqa: EVL101", False),
        ("eventlet.spawn(f)  # noqa:EVL101", False),
        ("eventlet.spawn(f)  # noqa: E501,EVL101", False),
        ("eventlet.spawn(f)  # noqa: E501, EVL101", False),
        ("eventlet.spawn(f)  # noqa: EVL1", False),  # flake8: a code prefix covers the codes under it
        ("eventlet.spawn(f)  # noqa: E501", True),
        ("eventlet.spawn(f)  # noqa: EVL102", True),
        ("eventlet.spawn(f)  # noqa: see the wrapper", False),  # not a code list: blanket, as in flake8
        ("eventlet.spawn(f, '# noqa')", True),  # in a string, not a comment
        ("eventlet.spawn(f)  # type: ignore  # noqa", False),
    ],
)
def test_line_noqa(findings: Callable[..., Findings], line: str, reported: bool) -> None:
    assert bool(findings(SPAWN + line + "\n")) is reported


def test_noqa_applies_to_the_reported_line_only(findings: Callable[..., Findings]) -> None:
    code = SPAWN + "eventlet.spawn(  # noqa\n    f)\neventlet.spawn(\n    f)  # noqa\n"
    assert findings(code) == [(4, 1, "EVL101")]


def test_file_level_noqa(findings: Callable[..., Findings]) -> None:
    assert findings("# evlint: noqa\n" + SPAWN + "eventlet.spawn(f)\n") == []
    code = "# evlint: noqa: EVL501\n" + SPAWN + "eventlet.spawn(f)\n"
    assert findings(code, "EVL101,EVL501") == [(3, 1, "EVL101")]


def test_noqa_covers_a_backslash_continuation_and_a_multiline_string(
    findings: Callable[..., Findings],
) -> None:
    code = (
        SPAWN
        + "x = eventlet.spawn(f) + \\\n    1  # noqa\ny = eventlet.spawn('''\n''')  # noqa\neventlet.spawn(f)\n"
    )
    assert findings(code) == [(6, 1, "EVL101")]
