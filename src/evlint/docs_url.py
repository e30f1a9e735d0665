"""Where a rule's documentation lives: its page on evlint's documentation site.

The site (docs/, built by MkDocs) has one page per bundled rule, `rules/<CODE>/` (the hook
in docs/hooks/evlint_docs.py generates it from the rule file); a rule file's own `url`
wins, and rules from a project's rules directory have no page unless they give one.
"""

from __future__ import annotations

from functools import cache

from evlint.ruleset import bundled_rules_dir

DEFAULT_DOCS_URL = "https://evlint.readthedocs.io/en/latest"


@cache
def bundled_codes() -> frozenset[str]:
    return frozenset(path.stem for path in bundled_rules_dir().rglob("*.yaml"))


def rule_docs_url(code: str, own_url: str | None = None, base: str = DEFAULT_DOCS_URL) -> str | None:
    """The documentation page of rule `code`: its own `url`, else its page on the site."""
    if own_url:
        return own_url
    if code not in bundled_codes():
        return None
    return f"{base.rstrip('/')}/rules/{code}/"
