"""Load YAML rule files, validate them against the shipped JSON Schema, build `Rule`s."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from evlint.config import Settings, known_selector, option_error
from evlint.contextual import ContextualCalls, call_selector
from evlint.model import (
    Applicability,
    CallSelector,
    DeclaredVersionMessage,
    EvlintError,
    FixKind,
    FixSpec,
    KeywordSelector,
    Rule,
    RuleExample,
    Selectors,
    SettingSelector,
    Severity,
)
from evlint.objects import OBJECT_PLACEHOLDERS, ObjectTable, object_types
from evlint.precedence import without_alternatives
from evlint.prefilter import Prefilter
from evlint.rulefiles import rule_files
from evlint.ruleyaml import line_of, quick_validator, read_rule_yaml

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_-]*)\}")
MATCH_PLACEHOLDERS = frozenset({"matched", "name", "module", "context"})


def bundled_rules_dir() -> Path:
    """The rules shipped in the wheel, or the checkout's top-level `rules/` when editable."""
    packaged = Path(__file__).parent / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def load_rules(directories: Sequence[Path]) -> tuple[Rule, ...]:
    """Every rule under the directories, in code order; a duplicate id is an error."""
    return tuple(rule for rule, _ in load_rules_with_data(directories))


def load_rules_with_data(directories: Sequence[Path]) -> list[tuple[Rule, Any]]:
    """`load_rules`, each rule with the data it was built from (what the rule cache keeps)."""
    rules: dict[str, tuple[Rule, Any]] = {}
    for directory in directories:
        if not directory.is_dir():
            raise EvlintError(f"{directory}: rules directory does not exist")
        for path in rule_files(directory):
            rule, data = _load_rule_file(path, pack=pack_name(directory, path))
            if rule.id in rules:
                raise EvlintError(
                    f"{path}:1: rule id {rule.id} is already defined in {rules[rule.id][0].source}"
                )
            rules[rule.id] = (rule, data)
    return sorted(rules.values(), key=lambda entry: entry[0].id)


def rule_from_data(source: str, pack: str, data: object) -> Rule | None:
    """A rule rebuilt from data read back from the rule cache, validated as a rule file is
    (the schema, the placeholders); None if it is not valid (a damaged or tampered cache)."""
    if not quick_validator().is_valid(data) or not isinstance(data, dict):
        return None
    try:
        rule = _build_rule(Path(source), pack, data)
        _check_placeholders(Path(source), "", rule)
    except (EvlintError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return rule


def pack_name(directory: Path, path: Path) -> str:
    relative = path.relative_to(directory)
    return relative.parts[0] if len(relative.parts) > 1 else directory.name


def load_rule_file(path: Path, pack: str) -> Rule:
    return _load_rule_file(path, pack)[0]


def _load_rule_file(path: Path, pack: str) -> tuple[Rule, Any]:
    text, data = read_rule_yaml(path)
    rule = _build_rule(path, pack, data)
    _check_placeholders(path, text, rule)
    return rule, data


def _build_rule(path: Path, pack: str, data: Mapping[str, Any]) -> Rule:
    match = data["match"]
    paths = data.get("paths", {})
    examples = data["examples"]
    return Rule(
        id=data["id"],
        name=data["name"],
        pack=pack,
        severity=Severity(data.get("severity", "error")),
        pattern=data.get("pattern", "other"),
        summary=data["summary"].strip(),
        message=data["message"].strip(),
        suggestion=(data.get("suggestion") or "").strip() or None,
        selectors=Selectors(
            call=tuple(c for c in match.get("call", ()) if isinstance(c, str)),
            call_with=tuple(call_selector(c) for c in match.get("call", ()) if isinstance(c, dict)),
            dependency=tuple(match.get("dependency", ())),
            reference=tuple(match.get("reference", ())),
            import_=tuple(match.get("import", ())),
            string_target=tuple(match.get("string-target", ())),
            keyword=tuple(
                KeywordSelector(
                    k["name"],
                    k["value"],
                    tuple(k.get("call", ())),
                    k.get("position"),
                    tuple(k.get("method", ())),
                )
                for k in match.get("keyword", ())
            ),
            setting=tuple(SettingSelector(s["name"], s["value"]) for s in match.get("setting", ())),
            objects=object_types(match.get("object", ())),
            unused_noqa=match.get("unused-noqa", False),
        ),
        source=str(path),
        enabled=data.get("enabled", True),
        fallback=data.get("fallback", False),
        docs=data.get("docs", "").strip(),
        url=data.get("url"),
        include_paths=tuple(paths.get("include", ())),
        exclude_paths=tuple(paths.get("exclude", ())),
        options={name: spec["default"] for name, spec in data.get("options", {}).items()},
        invalid_examples=tuple(_examples(examples["invalid"])),
        valid_examples=tuple(_examples(examples["valid"])),
        fix=_fix_spec(data.get("fix")),
        declared_version=_declared_version(data.get("declared-version")),
        follow_reexports=data.get("follow-reexports", True),
        supersedes=tuple(data.get("supersedes", ())),
        exclusive_group=data.get("exclusive-group"),
    )


def _declared_version(data: Mapping[str, Any] | None) -> DeclaredVersionMessage | None:
    if data is None:
        return None
    suggestion = data.get("suggestion")
    return DeclaredVersionMessage(
        data["distribution"],
        data["below"],
        data["message"].strip(),
        suggestion.strip() if suggestion else None,
    )


def _fix_spec(data: Mapping[str, Any] | None) -> FixSpec | None:
    if data is None:
        return None
    kind = next(kind for kind in FixKind if kind.value in data)
    replacement = data[kind.value]
    if kind is FixKind.DELETE_STATEMENT:
        replacement = None
    elif kind is FixKind.REPLACE_KEYWORD_VALUE:
        replacement = repr(replacement)  # kept as the literal's source text
    return FixSpec(
        kind=kind,
        applicability=Applicability(data["applicability"]),
        replacement=replacement,
        message=data.get("message"),
    )


def _examples(items: Iterable[Mapping[str, Any]]) -> Iterable[RuleExample]:
    for item in items:
        yield RuleExample(
            code=item["code"],
            fixed=item.get("fixed"),
            count=item.get("count"),
            path=item.get("path", "example.py"),
        )


def _check_placeholders(path: Path, text: str, rule: Rule) -> None:
    known_here = MATCH_PLACEHOLDERS | set(rule.options)
    if rule.selectors.objects:
        known_here |= OBJECT_PLACEHOLDERS
    templates = [("message", rule.message, known_here)]
    if rule.suggestion:
        templates.append(("suggestion", rule.suggestion, known_here))
    templates.extend(("paths", pattern, frozenset(rule.options)) for pattern in rule.include_paths)
    templates.extend(("paths", pattern, frozenset(rule.options)) for pattern in rule.exclude_paths)
    if rule.fix is not None:
        fix_known = MATCH_PLACEHOLDERS | set(rule.options) | {"replacement"}
        if rule.fix.message:
            templates.append(("fix", rule.fix.message, fix_known))
        if isinstance(rule.fix.replacement, str) and rule.fix.kind is not FixKind.REPLACE_KEYWORD_VALUE:
            templates.append(("fix", rule.fix.replacement, MATCH_PLACEHOLDERS | set(rule.options)))
    if rule.declared_version is not None:
        declared_known = known_here | {"declared"}
        templates.append(("declared-version", rule.declared_version.message, declared_known))
        if rule.declared_version.suggestion:
            templates.append(("declared-version", rule.declared_version.suggestion, declared_known))
    for field_name, template, known in templates:
        for placeholder in _PLACEHOLDER.findall(template):
            if placeholder not in known:
                line = line_of(text, [field_name]) if text else 1
                raise EvlintError(
                    f"{path}:{line}: {field_name}: unknown placeholder {{{placeholder}}}"
                    f" (known: {', '.join(sorted(known)) or 'none'})"
                )


def expand_paths(patterns: Sequence[str], options: Mapping[str, object]) -> tuple[str, ...]:
    """Path patterns with options filled in; `"{option}"` alone takes a list option whole."""
    expanded: list[str] = []
    for pattern in patterns:
        whole = _PLACEHOLDER.fullmatch(pattern)
        value = options.get(whole.group(1)) if whole else None
        if isinstance(value, list):
            expanded.extend(str(item) for item in value)
        else:
            expanded.append(render(pattern, options))
    return tuple(expanded)


def placeholders(template: str) -> list[str]:
    """The `{placeholder}` names in a template, in order."""
    return _PLACEHOLDER.findall(template)


def render(template: str, values: Mapping[str, object]) -> str:
    """Fill `{placeholder}`s; the rule loader has checked every one is known."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


class PatternTable:
    """Qualified-name patterns of many rules, looked up by name rather than rule by rule."""

    def __init__(self) -> None:
        self._exact: dict[str, list[int]] = {}
        self._below: dict[str, list[int]] = {}
        # Every key a name is looked up under shares the name's first part: most names
        # (`self.x`, `os.path.join`) are dismissed by that part alone.
        self._roots: set[str] = set()

    def add(self, pattern: str, rule_index: int) -> None:
        self._roots.add(pattern.partition(".")[0])
        if pattern.endswith(".*"):
            self._below.setdefault(pattern[:-2], []).append(rule_index)
        else:
            self._exact.setdefault(pattern, []).append(rule_index)

    def __bool__(self) -> bool:
        return bool(self._exact or self._below)

    @property
    def roots(self) -> frozenset[str]:
        """The first parts of the patterns: `match` finds nothing for a name with another."""
        return frozenset(self._roots)

    def match(self, qname: str, *, with_parents: bool) -> list[tuple[int, str]]:
        """(rule, name matched) for each rule whose pattern names `qname`.

        `a.b` names `a.b` and, with_parents, what is below it (`a.b.c` is a use of `a.b`,
        reported as `a.b`); `a.b.*` names only what is below `a.b`, reported in full.
        """
        if qname.partition(".")[0] not in self._roots:
            return []
        hits: dict[int, str] = dict.fromkeys(self._exact.get(qname, ()), qname)
        end = qname.rfind(".")
        while end > 0:
            parent = qname[:end]
            for index in self._below.get(parent, ()):
                hits.setdefault(index, qname)
            if with_parents:
                for index in self._exact.get(parent, ()):
                    hits.setdefault(index, parent)
            end = qname.rfind(".", 0, end)
        return list(hits.items())


class CompiledRules:
    """The active rules of one file, as lookup tables per selector kind.

    `coverage` rules are matched but never reported: they tell a catch-all (fallback) rule
    which sites another rule of its pack is about, even when that rule is ignored for
    this file, so `--ignore EVL201` does not turn every eventlet.sleep into a catch-all finding.
    """

    def __init__(self, rules: Sequence[Rule], coverage: Sequence[Rule] = ()) -> None:
        self.reportable = len(rules)
        self.rules = (*rules, *coverage)
        self.call = PatternTable()
        self.reference = PatternTable()
        self.imports = PatternTable()
        self.string_target = PatternTable()
        self.keywords: dict[str, list[tuple[int, KeywordSelector]]] = {}
        # Keyword selectors with a position, by the last part of the callees they name.
        self.positional: dict[str, list[tuple[int, KeywordSelector]]] = {}
        self.settings: dict[str, list[tuple[int, SettingSelector]]] = {}
        self.call_with: dict[str, list[tuple[int, CallSelector]]] = {}
        self.contextual = ContextualCalls()  # calls matched by where they are (engine.contexts)
        self.dependencies: dict[str, list[int]] = {}
        self.fallback = frozenset(i for i, rule in enumerate(rules) if rule.fallback)
        self.objects = ObjectTable.for_rules(self.rules)
        for index, rule in enumerate(self.rules):
            selectors = rule.selectors
            for table, patterns in (
                (self.call, selectors.call),
                (self.reference, selectors.reference),
                (self.imports, selectors.import_),
                (self.string_target, selectors.string_target),
            ):
                for pattern in patterns:
                    table.add(pattern, index)
            for keyword in selectors.keyword:
                self.keywords.setdefault(keyword.name, []).append((index, keyword))
                if keyword.position is not None:
                    for callee in keyword.calls:
                        self.positional.setdefault(callee.rpartition(".")[2], []).append((index, keyword))
            for setting in selectors.setting:
                self.settings.setdefault(setting.name, []).append((index, setting))
            for call in selectors.call_with:
                if call.contextual:
                    self.contextual.add(call, index)
                else:
                    self.call_with.setdefault(call.name, []).append((index, call))
            for dependency in selectors.dependency:
                self.dependencies.setdefault(normalize_distribution(dependency), []).append(index)
        self.prefilter = Prefilter.for_rules(rules)  # coverage rules are never reported: no tokens

    def may_match(self, source: bytes) -> bool:
        """False only if no rule can match in the file (see evlint.prefilter)."""
        return self.prefilter.may_match(source)


def normalize_distribution(name: str) -> str:
    """PEP 503: `Eventlet`, `eventlet` and `event_let` compare as the same distribution."""
    return re.sub(r"[-_.]+", "-", name).lower()


def select_rules(rules: Sequence[Rule], settings: Settings) -> tuple[Rule, ...]:
    """The rules the settings enable, with their configured options applied.

    As in ruff, selectors are codes or code prefixes (or ALL), and between a select and an
    ignore that both match a code, the longer (more specific) one wins; with no `select`,
    the rules enabled by default are selected.
    """
    codes = [rule.id for rule in rules]
    selected = (*(settings.select or ()), *settings.extend_select)
    for selector in (*selected, *settings.ignore):
        if not known_selector(selector, codes):
            raise EvlintError(f"unknown rule selector {selector!r}: no rule code starts with it")
    for pattern, ignored in settings.per_file_ignores:
        for selector in ignored:
            if not known_selector(selector, codes):
                message = f"per-file-ignores.{pattern!r}: unknown rule selector {selector!r}"
                raise option_error(settings, pattern, message)
    _check_option_codes(settings, codes)
    chosen = []
    for rule in rules:
        select_strength = _strength(rule.id, selected)
        if select_strength < 0 and settings.select is None and rule.enabled:
            select_strength = 0
        if select_strength >= 0 and select_strength > _strength(rule.id, settings.ignore):
            chosen.append(_with_options(rule, settings))
    return tuple(without_alternatives(chosen, selected))


def _strength(code: str, selectors: Sequence[str]) -> int:
    """How specifically the selectors name the code: the longest matching prefix, or -1."""
    lengths = [0 if s == "ALL" else len(s) for s in selectors if s == "ALL" or code.startswith(s)]
    return max(lengths, default=-1)


def _check_option_codes(settings: Settings, codes: Sequence[str]) -> None:
    for code in settings.rule_options:
        if code not in codes:
            raise option_error(settings, code, f"options for unknown rule {code!r}")


def _with_options(rule: Rule, settings: Settings) -> Rule:
    overrides = settings.rule_options.get(rule.id)
    if not overrides:
        return rule
    for name, value in overrides.items():
        if name not in rule.options:
            known = ", ".join(sorted(rule.options)) or "none"
            raise option_error(settings, rule.id, f"{rule.id} has no option {name!r} (options: {known})")
        default = rule.options[name]
        wrong_list = isinstance(value, list) and not all(isinstance(item, str) for item in value)
        if type(value) is not type(default) or wrong_list:
            expected = "list of strings" if isinstance(default, list) else type(default).__name__
            raise option_error(settings, rule.id, f"{rule.id} option {name!r} must be a {expected}")
    return replace(rule, options={**rule.options, **overrides})
