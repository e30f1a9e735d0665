"""The rule cache: loaded, schema-validated rules, keyed by the rule files' paths and bytes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from evlint.cache.store import FORMAT, code_fingerprint, decode, digest, encode, read_document, write_document
from evlint.model import Rule


def load_rules_cached(directories: Sequence[Path], directory: Path) -> tuple[Rule, ...]:
    """`ruleset.load_rules`, skipping YAML and schema validation when the rule files are unchanged."""
    from evlint.ruleset import load_rules, rule_files

    if not all(d.is_dir() for d in directories):
        return load_rules(directories)  # which reports the missing directory
    parts: list[bytes | str] = [code_fingerprint()]
    try:
        for rules_dir in directories:
            for path in rule_files(rules_dir):
                parts.extend((str(rules_dir), str(path), path.read_bytes()))
    except OSError:
        return load_rules(directories)  # which reports the unreadable file
    path = directory / "rules" / f"{digest(*parts)}.json"
    document = read_document(path)
    if isinstance(document, dict) and document.get("format") == FORMAT:
        try:
            rules = decode(document["rules"])
            if all(isinstance(rule, Rule) for rule in rules):
                return tuple(rules)
        except (ValueError, TypeError, KeyError, AttributeError):
            pass
    rules = load_rules(directories)
    write_document(path, {"format": FORMAT, "rules": encode(rules)})
    return rules
