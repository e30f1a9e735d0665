"""Which team owns a repository: governance's `repos:` lists inverted, or a `--teams FILE`.

OpenStack's governance repository lists, per team, deliverables and the repositories that
make them (`reference/projects.yaml`); the technical committee's and the SIGs' repositories are
in `technical-committee-repos.yaml` and `sigs-repos.yaml` (team -> `- repo: org/name`). A
`--teams FILE` is the small form for anyone else: team -> list of repositories.
Repositories are looked up by name, exactly first and then with `-`, `_` and `.` alike
(`glance-store` finds `openstack/glance_store`), never by deliverable name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from evlint.model import EvlintError

UNKNOWN_TEAM = "Unknown Team"


@dataclass(frozen=True)
class Owner:
    team: str
    repository: str  # the repository's name without its organisation: `glance_store`
    deliverable: str | None = None


@dataclass(frozen=True)
class TeamMap:
    owners: Mapping[str, Owner]  # repository name -> owner

    def owner(self, candidates: Sequence[str]) -> Owner | None:
        """The first candidate name found exactly, else the first found loosely."""
        for name in candidates:
            if name in self.owners:
                return self.owners[name]
        loose = {_loose(name): owner for name, owner in self.owners.items()}
        for name in candidates:
            if _loose(name) in loose:
                return loose[_loose(name)]
        return None


def _loose(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _repository(full_name: str) -> str:
    return full_name.rstrip("/").rpartition("/")[2]


def load_team_map(governance: Sequence[Path], teams_files: Sequence[Path]) -> TeamMap:
    """Every repository's owner; the first file that names a repository wins."""
    owners: dict[str, Owner] = {}
    for path in governance:
        for owner in _governance_owners(path, _load_yaml(path)):
            owners.setdefault(owner.repository, owner)
    for path in teams_files:
        for owner in _team_list(path, _load_yaml(path)):
            owners.setdefault(owner.repository, owner)
    return TeamMap(owners)


def _load_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise EvlintError(f"{path}: cannot read: {error.strerror or error}") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise EvlintError(f"{path}{where}: not YAML: {getattr(error, 'problem', error)}") from None


def _governance_owners(path: Path, data: Any) -> Iterable[Owner]:
    """projects.yaml (team -> deliverables -> repos) or a *-repos.yaml (team -> [{repo: ...}])."""
    if not isinstance(data, dict):
        raise EvlintError(f"{path}: expected a mapping of team names")
    for team, body in data.items():
        if isinstance(body, dict) and isinstance(body.get("deliverables"), dict):
            for deliverable, details in body["deliverables"].items():
                repos = details.get("repos", []) if isinstance(details, dict) else []
                for repo in repos if isinstance(repos, list) else []:
                    yield Owner(str(team), _repository(str(repo)), str(deliverable))
        elif isinstance(body, list):
            yield from _team_list(path, {team: body})
        else:
            raise EvlintError(f"{path}: team {team!r}: no `deliverables:` and no list of repositories")


def _team_list(path: Path, data: Any) -> Iterable[Owner]:
    """team -> [repository | {repo: repository}]."""
    if not isinstance(data, dict):
        raise EvlintError(f"{path}: expected a mapping of team -> list of repositories")
    for team, repos in data.items():
        if not isinstance(repos, list):
            raise EvlintError(f"{path}: team {team!r}: expected a list of repositories")
        for item in repos:
            name = item.get("repo") if isinstance(item, dict) else item
            if not isinstance(name, str):
                raise EvlintError(f"{path}: team {team!r}: {item!r} is not a repository name")
            yield Owner(str(team), _repository(name))
