"""Rules loaded once per process: a run over many projects (`evlint report` over 200
OpenStack repositories, `check` of a tree of projects) loads the same rule files for each
project, and parsing the YAML was a fifth of the report's time.

The key is each rule file's path and bytes (reading 70 small files costs a millisecond;
parsing them a tenth of a second), so an edited rule file is loaded again, whenever it was
edited. The rules are frozen; what is shared between callers is never changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evlint.model import Rule
from evlint.rulefiles import rule_files
from evlint.ruleset import load_rules

KEEP = 8  # sets of rule directories remembered (a run uses one or two)
_LOADED: dict[tuple[object, ...], tuple[Rule, ...]] = {}


def load_rules_once(directories: Sequence[Path]) -> tuple[Rule, ...]:
    """`ruleset.load_rules`, answered from memory when the rule files' bytes are those of
    a load this process has done."""
    try:
        key = tuple(
            (str(directory), str(path), path.read_bytes())
            for directory in directories
            if directory.is_dir()
            for path in rule_files(directory)
        ) + tuple(str(directory) for directory in directories)
    except OSError:
        return load_rules(directories)  # which reports the unreadable file
    found = _LOADED.get(key)
    if found is None:
        found = load_rules(directories)  # errors are not remembered: each caller gets its own
        if len(_LOADED) >= KEEP:
            _LOADED.pop(next(iter(_LOADED)))
        _LOADED[key] = found
    return found
