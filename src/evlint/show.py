"""`--show-settings` and `--show-files`: what a check would use, printed instead of checking."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from evlint.api import Configuration
from evlint.discover import Discoverer


def show_files(configuration: Configuration, paths: Sequence[Path], stream: TextIO) -> None:
    """The files a check of `paths` reads (Python and dependency files), one a line, sorted."""
    discoverer = Discoverer(configuration.settings, dependency_files=configuration.wants_dependency_files)
    for path in sorted(discoverer.discover(paths)):
        stream.write(f"{path}\n")


def show_settings(configuration: Configuration, stream: TextIO) -> None:
    """The resolved settings (config keys spelled as in [tool.evlint]) and the selected rules."""
    settings = configuration.settings
    stream.write(f"Settings path: {settings.config_path or '(none: defaults)'}\n")
    for field in dataclasses.fields(settings):
        stream.write(f"{field.name.replace('_', '-')} = {_shown(getattr(settings, field.name))}\n")
    stream.write(f"\nRules selected ({len(configuration.rules)} of {len(configuration.known)}):\n")
    for rule in configuration.rules:
        options = f" {_shown(rule.options)}" if rule.options else ""
        stream.write(f"  {rule.id} {rule.name} ({rule.pack}, {rule.severity.value}){options}\n")


def _shown(value: Any) -> str:
    return json.dumps(_plain(value), ensure_ascii=False)


def _plain(value: Any) -> Any:
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value
