"""One rule file's YAML read and checked: parsed with a safe loader, without aliases or
values JSON cannot hold, valid against the shipped JSON Schema, errors named by line."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evlint.model import EvlintError, FixKind

if TYPE_CHECKING:  # imported where used: a run whose rules come from the cache never loads YAML
    import yaml


@cache
def rule_schema() -> dict[str, Any]:
    # (beside this module, as the bundled rules are: importlib.resources costs a cold run 5 ms)
    text = (Path(__file__).parent / "schema" / "rule.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def read_rule_yaml(path: Path) -> tuple[str, Any]:
    """A rule file's text and data: YAML without aliases or non-JSON values, valid against
    the rule schema; else a one-line error naming the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise EvlintError(f"{path}: cannot read rule file: {error}") from None
    import yaml

    # libyaml's loader when PyYAML has it: 12x faster on the bundled rules (0.20 s -> 0.016 s).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # a safe loader either way
        _reject_aliases(path, text, loader)
        _reject_non_json(path, text, data, [])
        _validate(path, text, data)
    except yaml.YAMLError as error:
        raise EvlintError(f"{path}:{_yaml_error_line(error)}: invalid YAML: {_yaml_problem(error)}") from None
    except RecursionError:  # the pure-Python parser that finds an error's line recurses
        raise EvlintError(f"{path}:1: invalid YAML: nested too deeply") from None
    return text, data


def _reject_aliases(path: Path, text: str, loader: Any) -> None:
    """A rule never needs `*anchor`, and nested aliases expand exponentially ("billion
    laughs") in everything that walks the loaded data, the schema validation first."""
    import yaml

    if "*" not in text or "&" not in text:
        return  # (an alias names an anchor, `&name`, before it; one that does not fails to load)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.AliasEvent):
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            raise EvlintError(f"{path}:{line}: invalid YAML: aliases (*name) are not allowed in rule files")


_JSON_SCALARS = (str, int, float, bool, type(None))


def _reject_non_json(path: Path, text: str, data: object, at: list[Any]) -> None:
    """A rule is JSON data: YAML's dates, sets, `!!binary` and non-string keys are errors."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                line = line_of(text, at)
                raise EvlintError(f"{path}:{line}: invalid YAML: a key must be a string, not {key!r}")
            _reject_non_json(path, text, value, [*at, key])
    elif isinstance(data, list):
        for index, value in enumerate(data):
            _reject_non_json(path, text, value, [*at, index])
    elif not isinstance(data, _JSON_SCALARS):
        where = ".".join(str(part) for part in at) or "(top level)"
        kind = type(data).__name__
        raise EvlintError(f"{path}:{line_of(text, at)}: {where}: a {kind} is not allowed in a rule file")


def _yaml_error_line(error: yaml.YAMLError) -> int:
    mark = getattr(error, "problem_mark", None)
    return int(mark.line) + 1 if mark is not None else 1


def _yaml_problem(error: yaml.YAMLError) -> str:
    problem = getattr(error, "problem", None)
    return str(problem) if problem else str(error).splitlines()[0]


@cache
def quick_validator() -> Any:
    """jsonschema-rs: imported and run over every bundled rule in about 10 ms, where the
    reference implementation takes a tenth of a second to import and as long to validate
    (every run without the rule cache pays it). It only says whether a rule is valid: an
    invalid one is validated again by python-jsonschema, which decides and names the error."""
    import jsonschema_rs

    return jsonschema_rs.validator_for(rule_schema())


def _validate(path: Path, text: str, data: object) -> None:
    if quick_validator().is_valid(data):
        return
    import jsonschema

    validator = jsonschema.Draft202012Validator(rule_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path)))
    if not errors:
        # Python's `$` also matches before a final newline (`id: "ORG101\n"`); the quick
        # validator's regex engine, like the JSON Schema spec's, does not: it decides.
        strict = next(iter(quick_validator().iter_errors(data)))
        where = list(strict.instance_path)
        location = ".".join(str(part) for part in where) or "(top level)"
        raise EvlintError(f"{path}:{line_of(text, where)}: {location}: {strict.message}")
    error = jsonschema.exceptions.best_match(errors)
    location = ".".join(str(part) for part in error.absolute_path) or "(top level)"
    line = line_of(text, list(error.absolute_path))
    message = error.message
    if list(error.absolute_path) == ["fix"] and error.validator in (
        "oneOf",
        "minProperties",
        "maxProperties",
    ):
        kinds = ", ".join(kind.value for kind in FixKind)
        message = f"declare exactly one fix kind ({kinds}) and its applicability"
    raise EvlintError(f"{path}:{line}: {location}: {message}")


def line_of(text: str, json_path: list[Any]) -> int:
    """The 1-based line of the YAML node at a JSON path (the deepest one that exists)."""
    import yaml

    node = yaml.compose(text, Loader=yaml.SafeLoader)
    line = 1
    for part in json_path:
        if node is None:
            break
        line = node.start_mark.line + 1
        node = _child(node, part)
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> yaml.Node | None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == str(part):
                return value  # type: ignore[no-any-return]
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]  # type: ignore[no-any-return]
    return None
