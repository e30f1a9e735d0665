"""A name a fix writes in a module that a rule option spells (M322's replace-reference
`{wrapper-module}.{name}`): the project's own module, which the user's configuration
chooses. Such a fix keeps its declared applicability only where the project has that
module defining that name (`runner.project_names`); elsewhere it is display-only. So it is
no redirection to a third party's module, of which `test-rules` warns (`fix.trust`)."""

from __future__ import annotations

from collections.abc import Mapping

from evlint.model import ProjectName
from evlint.ruleset import MATCH_PLACEHOLDERS, placeholders, render


def option_chosen_name(replacement: object, values: Mapping[str, object], target: str) -> ProjectName | None:
    """`target` (a fix's `replacement` template rendered with `values`) as a project name,
    when a rule option (one of `values`) spells part of its module; else None."""
    if not isinstance(replacement, str):
        return None
    module, _, name = target.rpartition(".")
    for option in placeholders(replacement):
        if option in MATCH_PLACEHOLDERS or option not in values:
            continue
        before = render(replacement[: replacement.index(f"{{{option}}}")], values)
        if len(before) < len(module):  # (`{wrapper-module}.{name}`, not `pickle.{function}`)
            return ProjectName(module, name, option)
    return None
