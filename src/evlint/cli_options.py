"""ruff's `check` options that set a configuration key (`--exclude`, `--extend-exclude`,
`--fixable`, `--unfixable`, `--extend-fixable`, `--extend-per-file-ignores`,
`--respect-gitignore`): each becomes a TOML line, applied over the config file as
`--config 'KEY = VALUE'` is; and `--cache-dir`, which EVLINT_CACHE_DIR defaults, as in ruff."""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])
_META_KEY = "evlint.settings_toml"
_CACHE_DIR_KEY = "evlint.cache_dir"


def _split(values: tuple[str, ...]) -> list[str]:
    return [item.strip() for value in values for item in value.split(",") if item.strip()]


def _remember(ctx: click.Context, line: str) -> None:
    ctx.meta.setdefault(_META_KEY, []).append(line)


def _list_key(key: str) -> Callable[[click.Context, click.Parameter, tuple[str, ...]], None]:
    def callback(ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
        if values:
            _remember(ctx, f"{key} = {json.dumps(_split(values))}")

    return callback


def _per_file_ignores(ctx: click.Context, _param: click.Parameter, values: tuple[str, ...]) -> None:
    for value in values:
        pattern, separator, codes = value.rpartition(":")
        if not separator or not pattern:
            raise click.BadParameter(f"{value!r} is not PATTERN:CODE[,CODE...]")
        _remember(ctx, f"per-file-ignores.{json.dumps(pattern)} = {json.dumps(_split((codes,)))}")


def _respect_gitignore(ctx: click.Context, _param: click.Parameter, value: bool | None) -> None:
    if value is not None:
        _remember(ctx, f"respect-gitignore = {json.dumps(value)}")


def _cache_dir(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    if value is not None:  # (not a TOML line: the flag wins over EVLINT_CACHE_DIR, the setting does not)
        ctx.meta[_CACHE_DIR_KEY] = Path(os.path.abspath(value))


_LIST_KEYS = {  # key (and option name) -> help
    "exclude": "Path patterns to exclude (replaces the config's exclude).",
    "extend-exclude": "Path patterns to exclude besides the config's.",
    "fixable": "Rule codes or prefixes whose fixes apply (default: ALL).",
    "unfixable": "Rule codes or prefixes whose fixes never apply (shown as display-only).",
    "extend-fixable": "Rule codes or prefixes whose fixes apply, besides `fixable`.",
}


def settings_options(command: F) -> F:
    """Add the options; the command receives their TOML lines as `settings_toml`, and
    --cache-dir as `cache_dir`."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        meta = click.get_current_context().meta
        lines = tuple(meta.get(_META_KEY, []))
        return command(*args, settings_toml=lines, cache_dir=meta.get(_CACHE_DIR_KEY), **kwargs)

    options = [
        *(
            click.option(
                f"--{key}", multiple=True, expose_value=False, callback=_list_key(key), help=help_text
            )
            for key, help_text in _LIST_KEYS.items()
        ),
        click.option(
            "--extend-per-file-ignores",
            multiple=True,
            expose_value=False,
            metavar="PATTERN:CODES",
            callback=_per_file_ignores,
            help="Codes to ignore in the files matching PATTERN, besides the config's.",
        ),
        click.option(
            "--respect-gitignore/--no-respect-gitignore",
            default=None,
            expose_value=False,
            callback=_respect_gitignore,
            help="Skip the files .gitignore ignores (default: yes).",
        ),
        click.option(
            "--cache-dir",
            expose_value=False,
            callback=_cache_dir,
            help="Where the caches live (default: EVLINT_CACHE_DIR, else config `cache-dir`).",
        ),
    ]
    decorated: Any = wrapper
    for option in reversed(options):
        decorated = option(decorated)
    return decorated  # type: ignore[no-any-return]


def config_file_and_overrides(values: tuple[str, ...]) -> tuple[Path | None, tuple[str, ...]]:
    """ruff's --config: a file to use, or `KEY = VALUE` overrides (a value that is not a file)."""
    paths = [value for value in values if "=" not in value or Path(value).is_file()]
    if len(paths) > 1:
        raise click.UsageError(f"--config names more than one file: {', '.join(paths)}")
    inline = tuple(value for value in values if value not in paths)
    return (Path(paths[0]) if paths else None), inline
