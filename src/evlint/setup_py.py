"""Dependencies declared in a `setup.py`: the literal requirement strings given to
`setup(install_requires=[...], extras_require={...}, setup_requires=..., tests_require=...)`,
or assigned to a name of the same keyword at module level (`install_requires = [...]`).

Read from the tree the engine parsed for the file's own check: a `setup.py` is Python first.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass

SETUP_PY = "setup.py"
_KEYWORDS = frozenset({"install_requires", "extras_require", "setup_requires", "tests_require"})
_NAME = re.compile(r"\s*([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)")


@dataclass(frozen=True)
class Requirement:
    """One requirement string (`'eventlet>=0.30'`) and the distribution it names."""

    node: ast.Constant
    name: str


def is_setup_py(path: str) -> bool:
    return path.replace("\\", "/").rpartition("/")[2] == SETUP_PY


def requirements(tree: ast.Module) -> list[Requirement]:
    """Every literal requirement string declared in the module."""
    found: list[Requirement] = []
    for value in _declared_values(tree):
        found.extend(_strings(value))
    return found


def _declared_values(tree: ast.Module) -> Iterator[ast.expr]:
    for statement in tree.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id in _KEYWORDS for target in statement.targets
        ):
            yield statement.value
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            yield from (k.value for k in node.keywords if k.arg in _KEYWORDS)


def _strings(value: ast.expr) -> Iterator[Requirement]:
    if isinstance(value, ast.Constant) and isinstance(value.value, str):
        for line in value.value.splitlines() or [""]:  # setuptools also takes one string per line
            found = _NAME.match(line)
            if found is not None and not line.lstrip().startswith("#"):
                yield Requirement(value, found.group(1))
    elif isinstance(value, (ast.List, ast.Tuple, ast.Set)):
        for item in value.elts:
            yield from _strings(item)
    elif isinstance(value, ast.Dict):  # extras_require: {'extra': [...]}
        for item in value.values:
            yield from _strings(item)
    elif isinstance(value, ast.BinOp):  # `base + ['eventlet']`
        yield from _strings(value.left)
        yield from _strings(value.right)
