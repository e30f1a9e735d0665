"""The rule cache: rule files' parsed data, keyed by the rule files' paths and bytes.

What is read back is validated as a rule file is (`ruleset.rule_from_data`: the schema,
the placeholders): a damaged or tampered cache file is a miss, never a rule evlint did
not load from YAML itself. A warm run skips reading YAML, the slow part.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from evlint.cache.store import FORMAT, code_fingerprint, digest, read_document, write_document
from evlint.model import Rule


def load_rules_cached(directories: Sequence[Path], directory: Path) -> tuple[Rule, ...]:
    """`ruleset.load_rules`, skipping YAML when the rule files are unchanged."""
    from evlint.rulefiles import rule_files
    from evlint.ruleset import load_rules, load_rules_with_data, pack_name

    if not all(d.is_dir() for d in directories):
        return load_rules(directories)  # which reports the missing directory
    parts: list[bytes | str] = [code_fingerprint()]
    packs: dict[str, str] = {}  # each rule file, and its pack
    try:
        for rules_dir in directories:
            for path in rule_files(rules_dir):
                parts.extend((str(rules_dir), str(path), path.read_bytes()))
                packs[str(path)] = pack_name(rules_dir, path)
    except OSError:
        return load_rules(directories)  # which reports the unreadable file
    path = directory / "rules" / f"{digest(*parts)}.json"
    cached = _read_back(path, packs)
    if cached is not None:
        return cached
    loaded = load_rules_with_data(directories)
    document = {"format": FORMAT, "rules": [[rule.source, rule.pack, data] for rule, data in loaded]}
    with contextlib.suppress(TypeError, ValueError):  # data JSON cannot hold: not cached
        write_document(path, document)
    return tuple(rule for rule, _ in loaded)


def _read_back(path: Path, packs: dict[str, str]) -> tuple[Rule, ...] | None:
    """The rules in the cache file, if every one is valid and from one of the rule files."""
    from evlint.ruleset import rule_from_data

    document = read_document(path)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return None
    entries = document.get("rules")
    if not isinstance(entries, list):
        return None
    rules: dict[str, Rule] = {}
    for entry in entries:
        if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)):
            return None
        if packs.get(entry[0]) != entry[1]:
            return None
        rule = rule_from_data(entry[0], entry[1], entry[2])
        if rule is None or rule.id in rules:
            return None
        rules[rule.id] = rule
    return tuple(sorted(rules.values(), key=lambda rule: rule.id))
