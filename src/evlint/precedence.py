"""Between rules that speak about the same site, which one is heard (rule files say it as data).

- `supersedes: [CODE, ...]`: a project policy (M322: "use masakari.utils.spawn") wins over
  the generic rule (EVL101: "use threading.Thread") on each site it reports, as a pack's
  catch-all already yields to its specific rules; elsewhere the generic rule still reports.
- `exclusive-group: NAME`: the rules of a group are alternative spellings of one policy
  (H905, I319, N535, O345 each ban `import eventlet` for one project; M322 and N340 name
  different wrappers). Where more than one of a group's rules would be selected, only
  those named by their full code are: a prefix or ALL alone selects none of them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from evlint.model import Diagnostic, Rule


def without_alternatives(chosen: Sequence[Rule], selectors: Sequence[str]) -> list[Rule]:
    """`chosen` less the group members only a prefix or ALL selected, where more than one
    member of their group was chosen."""
    named = set(selectors)
    members: dict[str, int] = {}
    for rule in chosen:
        if rule.exclusive_group is not None:
            members[rule.exclusive_group] = members.get(rule.exclusive_group, 0) + 1
    crowded = {group for group, count in members.items() if count > 1}
    return [rule for rule in chosen if rule.id in named or rule.exclusive_group not in crowded]


def drop_superseded(diagnostics: Iterable[Diagnostic], rules: Sequence[Rule]) -> list[Diagnostic]:
    """The findings left once each superseding rule's finding replaces those of the rules it
    supersedes at the same place (the same start)."""
    findings = list(diagnostics)
    supersedes = {rule.id: rule.supersedes for rule in rules if rule.supersedes}
    if not supersedes:
        return findings
    covered = {
        (code, d.location.row, d.location.column) for d in findings for code in supersedes.get(d.code, ())
    }
    return [d for d in findings if (d.code, d.location.row, d.location.column) not in covered]
