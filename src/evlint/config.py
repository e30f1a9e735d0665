"""`[tool.evlint]` in pyproject.toml merged with the command line into one frozen Settings."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evlint.cache.store import CACHE_DIR_ENV
from evlint.model import EvlintError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pypackages__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "venv",
)
_LIST_KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "extend-rules-dirs", "src")
_FIX_KEYS = ("fixable", "unfixable", "extend-fixable")  # which rules' fixes apply, as in ruff
_BOOL_KEYS = ("respect-gitignore", "project-index")
_KNOWN_KEYS = frozenset(
    (
        *_LIST_KEYS,
        *_FIX_KEYS,
        *_BOOL_KEYS,
        "per-file-ignores",
        "options",
        "baseline",
        "cache-dir",
        "max-file-size",
    )
) | {"fail-on", "docs-url", "trusted-rules"}
# `fail-on`: the lowest severity whose findings make the run fail (exit 1).
SEVERITIES = ("error", "warning", "info")
# The documentation site (docs/, MkDocs; `site_url` in mkdocs.yml): a bundled rule's page is
# rules/CODE/ below it. `docs-url = ""` shows no links.
DEFAULT_DOCS_URL = "https://evlint.readthedocs.io/en/latest/"
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes; a larger file is reported (EVL002), not read


@dataclass(frozen=True)
class CliOverrides:
    """What the command line says; None means 'not given'."""

    config: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    rules_dirs: tuple[Path, ...] = ()
    force_exclude: bool = False
    baseline: Path | None = None
    project_index: bool | None = None  # --no-project-index: False
    # --config KEY=VALUE: TOML that overrides the config file's keys, as in ruff.
    inline: tuple[str, ...] = ()
    fail_on: str | None = None
    isolated: bool = False  # --isolated: no configuration file, only defaults and the command line
    cache_dir: Path | None = None  # --cache-dir (absolute): wins over EVLINT_CACHE_DIR and `cache-dir`


@dataclass(frozen=True)
class Settings:
    project_root: Path
    config_path: Path | None = None
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    extend_rules_dirs: tuple[Path, ...] = ()
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    respect_gitignore: bool = True
    force_exclude: bool = False
    baseline: Path | None = None
    # The project index: names the project's own modules re-export from eventlet (`project-index`).
    project_index: bool = True
    # Where the project's top-level modules live (`src`, as in ruff); () finds packages by `__init__.py`.
    src: tuple[Path, ...] = ()
    cache_dir: Path | None = None
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    # `trusted-rules`: the safe fixes of extend-rules-dirs and --rules-dir apply with --fix.
    trusted_rules: bool = False
    fail_on: str = "error"
    # Rule selectors whose fixes apply (None: all), whose never do, and more that do.
    fixable: tuple[str, ...] | None = None
    unfixable: tuple[str, ...] = ()
    extend_fixable: tuple[str, ...] = ()
    docs_url: str = DEFAULT_DOCS_URL  # the docs site's base URL, for bundled rules' links


def find_config(start: Path) -> Path | None:
    """The nearest pyproject.toml at or above `start` that has a [tool.evlint] table."""
    directory = start if os.path.isdir(start) else start.parent  # (os.path: False, not PermissionError)
    for candidate_dir in (directory, *directory.parents):
        candidate = candidate_dir / "pyproject.toml"
        if os.path.isfile(candidate) and "evlint" in _table(_read_toml(candidate), "tool", candidate):
            return candidate
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            document: dict[str, Any] = tomllib.load(handle)
            return document
    except tomllib.TOMLDecodeError as error:
        raise EvlintError(f"{path}:{_toml_error_line(error)}: invalid TOML: {error}") from None
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise EvlintError(f"{path}:{line}: invalid TOML: not UTF-8 (byte {error.start})") from None
    except OSError as error:
        raise EvlintError(f"{path}: cannot read: {error.strerror}") from None


def _table(document: Mapping[str, Any], key: str, path: Path, name: str | None = None) -> dict[str, Any]:
    """`document[key]`, which must be a table when present (`[tool] evlint = 5` is not)."""
    value = document.get(key, {})
    if not isinstance(value, dict):
        raise EvlintError(f"{path}:{_key_line(path, key)}: [{name or key}] must be a table")
    return value


def _toml_error_line(error: Exception) -> int:
    found = re.search(r"line (\d+)", str(error))
    return int(found.group(1)) if found else 1


def load_settings(start: Path, overrides: CliOverrides) -> Settings:
    if overrides.isolated:
        config_path = None
    else:
        config_path = overrides.config.resolve() if overrides.config else find_config(start.resolve())
    table: dict[str, Any] = {}
    if config_path is not None:
        if not config_path.is_file():
            raise EvlintError(f"{config_path}: config file does not exist")
        document = _read_toml(config_path)
        table = (
            _table(_table(document, "tool", config_path), "evlint", config_path, "tool.evlint")
            if config_path.name == "pyproject.toml"
            else document
        )
    root = config_path.parent if config_path is not None else Path.cwd()
    for override in overrides.inline:
        table = _deep_merge(table, _inline_table(override))
    return _merge(root, config_path, table, overrides)


def _inline_table(override: str) -> dict[str, Any]:
    """`--config 'KEY = VALUE'`: one TOML line, keys as in [tool.evlint]."""
    try:
        return tomllib.loads(override)
    except tomllib.TOMLDecodeError as error:
        raise EvlintError(
            f"--config {override!r}: not a config file and not valid TOML `KEY = VALUE`: {error}"
        ) from None


def _deep_merge(base: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """`extra` over `base`: tables merge, an `extend-*` list adds to the one it extends,
    any other value replaces."""
    merged = dict(base)
    for key, new in extra.items():
        old = merged.get(key)
        if isinstance(old, dict) and isinstance(new, dict):
            merged[key] = _deep_merge(old, new)
        elif key.startswith("extend-") and isinstance(old, list) and isinstance(new, list):
            merged[key] = [*old, *new]
        else:
            merged[key] = new
    return merged


def _merge(root: Path, config_path: Path | None, table: Mapping[str, Any], cli: CliOverrides) -> Settings:
    _reject_unknown_keys(config_path, table)
    lists = {key: _string_list(config_path, table, key) for key in _LIST_KEYS}
    _check_patterns(config_path, table, lists)
    rules_dirs = tuple(root / p for p in lists["extend-rules-dirs"] or ()) + tuple(
        p.resolve() for p in cli.rules_dirs
    )
    flags = {key: _bool(config_path, table, key) for key in _BOOL_KEYS}
    return Settings(
        project_root=root,
        config_path=config_path,
        **_selection(lists, cli),
        exclude=lists["exclude"] if lists["exclude"] is not None else DEFAULT_EXCLUDE,
        extend_exclude=lists["extend-exclude"] or (),
        per_file_ignores=_per_file_ignores(config_path, table),
        extend_rules_dirs=rules_dirs,
        rule_options=_rule_options(config_path, table),
        respect_gitignore=flags["respect-gitignore"],
        force_exclude=cli.force_exclude,
        baseline=cli.baseline.absolute() if cli.baseline else _baseline(root, config_path, table),
        project_index=flags["project-index"] if cli.project_index is None else cli.project_index,
        src=_src(root, config_path, lists["src"]),
        cache_dir=_cache_dir(root, config_path, table, cli.cache_dir),
        max_file_size=_max_file_size(config_path, table),
        trusted_rules=_trusted_rules(config_path, table),
        fail_on=cli.fail_on or _choice(config_path, table, "fail-on", SEVERITIES),
        docs_url=_docs_url(config_path, table),
        fixable=_string_list(config_path, table, "fixable"),
        unfixable=_string_list(config_path, table, "unfixable") or (),
        extend_fixable=_string_list(config_path, table, "extend-fixable") or (),
    )


def _choice(config_path: Path | None, table: Mapping[str, Any], key: str, choices: Sequence[str]) -> str:
    value = table.get(key, choices[0])
    if value not in choices:
        raise _error(config_path, key, f"{key} must be one of {', '.join(choices)}")
    return str(value)


def _docs_url(config_path: Path | None, table: Mapping[str, Any]) -> str:
    value = table.get("docs-url", DEFAULT_DOCS_URL)
    if not isinstance(value, str) or not (value == "" or value.startswith(("https://", "http://"))):
        raise _error(config_path, "docs-url", 'docs-url must be an http(s) URL, or "" for no links')
    return value


def _trusted_rules(config_path: Path | None, table: Mapping[str, Any]) -> bool:
    value = table.get("trusted-rules", False)
    if not isinstance(value, bool):
        raise _error(config_path, "trusted-rules", "trusted-rules must be true or false")
    return value


def _bool(config_path: Path | None, table: Mapping[str, Any], key: str) -> bool:
    value = table.get(key, True)
    if not isinstance(value, bool):
        raise _error(config_path, key, f"{key} must be true or false")
    return value


def _max_file_size(config_path: Path | None, table: Mapping[str, Any]) -> int:
    value = table.get("max-file-size", DEFAULT_MAX_FILE_SIZE)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise _error(config_path, "max-file-size", "max-file-size must be a positive number of bytes")
    return value


def _baseline(root: Path, config_path: Path | None, table: Mapping[str, Any]) -> Path | None:
    """`baseline = "FILE"`, relative to the config file's directory."""
    value = table.get("baseline")
    if value is None:
        return None
    if not isinstance(value, str) or not value:
        raise _error(config_path, "baseline", "baseline must be a file path (a string)")
    return root / value


def _cache_dir(
    root: Path, config_path: Path | None, table: Mapping[str, Any], flag: Path | None
) -> Path | None:
    """--cache-dir, else EVLINT_CACHE_DIR (the flag's default, as RUFF_CACHE_DIR is ruff's),
    else the `cache-dir` setting (checked in any case)."""
    value = table.get("cache-dir")
    if value is not None and (not isinstance(value, str) or not value):
        raise _error(config_path, "cache-dir", "cache-dir must be a path (a non-empty string)")
    from_env = os.environ.get(CACHE_DIR_ENV)
    if flag is not None:
        return flag
    if from_env:
        return Path(from_env)
    return root / Path(value).expanduser() if value is not None else None


def _selection(lists: Mapping[str, tuple[str, ...] | None], cli: CliOverrides) -> dict[str, Any]:
    """As in ruff, a `--select` starts afresh: the config's select, extend-select and ignore go."""
    if cli.select is not None:
        return {"select": cli.select, "extend_select": cli.extend_select, "ignore": cli.ignore}
    return {
        "select": lists["select"],
        "extend_select": (*(lists["extend-select"] or ()), *cli.extend_select),
        "ignore": (*(lists["ignore"] or ()), *cli.ignore),
    }


def _reject_unknown_keys(config_path: Path | None, table: Mapping[str, Any]) -> None:
    for key in table:
        if key not in _KNOWN_KEYS:
            known = ", ".join(sorted(_KNOWN_KEYS))
            raise _error(config_path, key, f"unknown configuration key {key!r} (known: {known})")


def _string_list(config_path: Path | None, table: Mapping[str, Any], key: str) -> tuple[str, ...] | None:
    value = table.get(key)
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _error(config_path, key, f"{key} must be a list of strings")
    return tuple(value)


def _per_file_ignores(
    config_path: Path | None, table: Mapping[str, Any]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    value = table.get("per-file-ignores", {})
    if not isinstance(value, dict):
        raise _error(config_path, "per-file-ignores", "per-file-ignores must be a table of pattern = [codes]")
    result = []
    for pattern, codes in value.items():
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise _error(config_path, pattern, f"per-file-ignores.{pattern!r} must be a list of codes")
        result.append((pattern, tuple(codes)))
    return tuple(result)


def _rule_options(config_path: Path | None, table: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    value = table.get("options", {})
    if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
        raise _error(config_path, "options", "options must be tables [tool.evlint.options.CODE]")
    return {code: dict(options) for code, options in value.items()}


def _key_line(config_path: Path | None, key: str) -> int:
    """The first line that sets `key` (tomllib keeps no positions); 1 if not found."""
    if config_path is None:
        return 1
    try:
        lines = config_path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    pattern = re.compile(rf"^\s*(\[[^\]]*\b)?[\"']?{re.escape(key)}[\"']?\s*(=|\]|\.)")
    for number, line in enumerate(lines, start=1):
        if pattern.search(line):
            return number
    return 1


def _error(config_path: Path | None, key: str, message: str) -> EvlintError:
    """An error about `key`, located at the line of the config file that sets it."""
    return EvlintError(f"{config_path}:{_key_line(config_path, key)}: {message}")


def option_error(settings: Settings, code: str, message: str) -> EvlintError:
    """An error about `[tool.evlint.options.CODE]`, located in the config file."""
    return _error(settings.config_path, code, message)


def known_selector(selector: str, codes: Sequence[str]) -> bool:
    """ALL, or a prefix of some code; never "" (a prefix of every code, so of all packs)."""
    return selector == "ALL" or (selector != "" and any(code.startswith(selector) for code in codes))


def _check_patterns(
    config_path: Path | None, table: Mapping[str, Any], lists: Mapping[str, tuple[str, ...] | None]
) -> None:
    """Gitignore-style patterns that do not compile: a one-line error at the key's line."""
    from evlint.patterns import pattern_problem

    ignores = table.get("per-file-ignores")
    named = [(key, p) for key in ("exclude", "extend-exclude") for p in lists[key] or ()]
    if isinstance(ignores, dict):
        named += [("per-file-ignores", pattern) for pattern in ignores if isinstance(pattern, str)]
    for setting, pattern in named:
        problem = pattern_problem(pattern)
        if problem is not None:
            line = max(_key_line(config_path, pattern), _key_line(config_path, setting))
            raise EvlintError(f"{config_path}:{line}: {setting}: invalid pattern {pattern!r}: {problem}")


def _src(root: Path, config_path: Path | None, entries: tuple[str, ...] | None) -> tuple[Path, ...]:
    """The source roots, each the project's directory or one below it (`src = ["/"]` would
    make every file's module name its whole path)."""
    roots = tuple(root / entry for entry in entries or ())
    for entry, path in zip(entries or (), roots, strict=True):
        if not Path(os.path.normpath(path)).is_relative_to(os.path.normpath(root)):
            raise _error(config_path, "src", f"src: {entry!r} is outside the project ({root})")
    return roots
