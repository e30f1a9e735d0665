"""`--link-template`: where an occurrence lives on the web, e.g. a line on opendev.org.

Placeholders: {repo} (the repository's name; {project} is the same), {ref} (the tag or commit
of the checkout, or the release version of an sdist; `master` when unknown), {path}, {line}.
`--link-template openstack` is opendev.org's form, the default when --governance is given.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import quote

from evlint.model import EvlintError
from evlint.report.occurrence import Occurrence

PLACEHOLDERS = ("repo", "project", "ref", "path", "line")
PRESETS = {"openstack": "https://opendev.org/openstack/{repo}/src/{ref}/{path}#n{line}"}
DEFAULT_REF = "master"


def check_template(template: str) -> str:
    """The template (a preset's name expanded) if every `{placeholder}` is one of PLACEHOLDERS."""
    template = PRESETS.get(template, template)
    try:
        fields = [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]
    except ValueError as error:
        raise EvlintError(f"--link-template {template!r}: {error}") from None
    for name in fields:
        if name not in PLACEHOLDERS:
            known = ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)
            raise EvlintError(f"--link-template: unknown placeholder {{{name}}} (known: {known})")
    return template


@dataclass(frozen=True)
class MadeAt:
    """An object's constructor: `line N` (the call's file) or `path:N`, and its link if any."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Links:
    """The template and each project's ref: turns an occurrence into its URL."""

    template: str | None
    refs: Mapping[str, str | None] = field(default_factory=dict)  # project name -> ref

    def url(self, occurrence: Occurrence) -> str | None:
        if self.template is None:
            return None
        name = quote(occurrence.project)
        return self.template.format(
            repo=name,
            project=name,
            ref=quote(self.refs.get(occurrence.project) or DEFAULT_REF),
            path=quote(occurrence.path),
            line=occurrence.line,
        )

    def made_at(self, occurrence: Occurrence) -> MadeAt | None:
        """Where a method call's eventlet object was made, to show beside the call."""
        origin = occurrence.origin
        if origin is None:
            return None
        text = f"line {origin.line}" if origin.path == occurrence.path else f"{origin.path}:{origin.line}"
        return MadeAt(text, self.url(origin))

    def reference(self, occurrence: Occurrence) -> str:
        """How a list shows where an occurrence is: the link, or `path:line`."""
        return self.url(occurrence) or f"{occurrence.path}:{occurrence.line}"
