"""Classification of an occurrence: its migration pattern, production or test code, its module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pathspec

from evlint.patterns import compile_spec


@dataclass(frozen=True)
class PatternKind:
    """A migration pattern: its name (a rule's `pattern:`), title, effort weight and place in
    the removal guide's order (WSGI server first, pools and green threads next, tests last)."""

    name: str
    title: str
    weight: float
    step: int


# One entry per pattern, in the order planners read them: adding a pattern is one line here.
PATTERN_KINDS = (
    PatternKind("threads-pools", "Green threads and pools", 3.0, step=2),
    PatternKind("wsgi-networking", "eventlet.wsgi and networking", 5.0, step=1),
    PatternKind("timed-work", "Deferred and timed work", 2.0, step=3),
    PatternKind("synchronisation", "Synchronisation primitives", 2.0, step=3),
    PatternKind("monkey-patching-hubs", "Monkey patching and hubs", 4.0, step=4),
    PatternKind("tests-mocks", "Mocks and fixtures in tests", 1.0, step=7),
    PatternKind("config-dependencies", "Configuration and dependencies", 1.0, step=6),
    PatternKind("imports", "Imports", 0.5, step=5),
    PatternKind("library-apis", "Libraries that run on eventlet", 3.0, step=2),
    PatternKind("hazards", "Hazards of the switch to threads", 2.0, step=4),
    PatternKind("dual-mode", "Dual-mode code (runs with and without eventlet)", 0.5, step=6),
    PatternKind("other", "Other eventlet names", 2.0, step=5),
)
CODE_PATTERNS = tuple(kind.name for kind in PATTERN_KINDS)
DOCS = "docs"
PATTERNS = (*CODE_PATTERNS, DOCS)
PATTERN_TITLES = {**{kind.name: kind.title for kind in PATTERN_KINDS}, DOCS: "Documentation"}
REMOVAL_STEP = {kind.name: kind.step for kind in PATTERN_KINDS}

PRODUCTION, TEST = "production", "test"
# The same patterns as the test-paths option of EVL502/EVL602, so the split agrees with them.
TEST_PATHS = ("tests/", "test/", "test_*.py", "*_test.py", "conftest.py")
TOP_LEVEL = "(top level)"

# Release notes record what a release did: a mention is history, never work left.
RELEASE_NOTES = re.compile(r"(^|/)releasenotes/notes/[^/]+\.ya?ml$")

# Docs are read as text: any mention of the word, in prose or in an example.
EVENTLET_WORD = re.compile(r"\beventlet\b", re.IGNORECASE)


@cache
def _test_spec() -> pathspec.GitIgnoreSpec:
    return compile_spec(TEST_PATHS)  # (RE2, whatever the bytes of a name)


def scope_of(path: str) -> str:
    """`production` or `test` for a POSIX path relative to the project root."""
    return TEST if _test_spec().match_file(path) else PRODUCTION


def module_of(path: str) -> str:
    """The package (directory, dotted) a file belongs to: `masakari/api/app.py` -> `masakari.api`."""
    directory, _, _ = path.rpartition("/")
    return directory.replace("/", ".") if directory else TOP_LEVEL


def normalise_source(text: str) -> str:
    """A source line compared across reports: runs of whitespace are one space."""
    return " ".join(text.split())
