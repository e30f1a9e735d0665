"""`--link-template`: where an occurrence lives on the web, e.g. a line on opendev.org."""

from __future__ import annotations

import string
from urllib.parse import quote

from evlint.model import EvlintError
from evlint.report.occurrence import Occurrence

PLACEHOLDERS = ("project", "path", "line")


def check_template(template: str) -> str:
    """The template if every `{placeholder}` is one of PLACEHOLDERS; an EvlintError otherwise."""
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise EvlintError(f"--link-template {template!r}: {error}") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            raise EvlintError(f"--link-template: unknown placeholder {{{name}}} (known: {known})")
    return template


def link(template: str, occurrence: Occurrence) -> str:
    return template.format(
        project=quote(occurrence.project), path=quote(occurrence.path), line=occurrence.line
    )


def reference(template: str | None, occurrence: Occurrence) -> str:
    """How a list shows where an occurrence is: the link, or `path:line`."""
    if template is not None:
        return link(template, occurrence)
    return f"{occurrence.path}:{occurrence.line}"
