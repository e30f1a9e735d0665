"""Classification of an occurrence: its migration pattern, production or test code, its module."""

from __future__ import annotations

import re
from functools import cache

import pathspec

# The order planners read them in: the heavy runtime work first, the bookkeeping last.
CODE_PATTERNS = (
    "threads-pools",
    "wsgi-networking",
    "timed-work",
    "synchronisation",
    "monkey-patching-hubs",
    "tests-mocks",
    "config-dependencies",
    "imports",
    "library-apis",
    "hazards",
    "dual-mode",
    "other",
)
DOCS = "docs"
PATTERNS = (*CODE_PATTERNS, DOCS)

PATTERN_TITLES = {
    "threads-pools": "Green threads and pools",
    "wsgi-networking": "eventlet.wsgi and networking",
    "timed-work": "Deferred and timed work",
    "synchronisation": "Synchronisation primitives",
    "monkey-patching-hubs": "Monkey patching and hubs",
    "tests-mocks": "Mocks and fixtures in tests",
    "config-dependencies": "Configuration and dependencies",
    "imports": "Imports",
    "library-apis": "Libraries that run on eventlet",
    "hazards": "Hazards of the switch to threads",
    "dual-mode": "Dual-mode code (runs with and without eventlet)",
    "other": "Other eventlet names",
    DOCS: "Documentation",
}

PRODUCTION, TEST = "production", "test"
# The same patterns as the test-paths option of EVL502/EVL602, so the split agrees with them.
TEST_PATHS = ("tests/", "test/", "test_*.py", "*_test.py", "conftest.py")
TOP_LEVEL = "(top level)"

# Docs are read as text: any mention of the word, in prose or in an example.
EVENTLET_WORD = re.compile(r"\beventlet\b", re.IGNORECASE)


@cache
def _test_spec() -> pathspec.GitIgnoreSpec:
    return pathspec.GitIgnoreSpec.from_lines(TEST_PATHS)


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
