"""Which repository a project directory is, and which revision of it was read.

A project's name is its repository's: the git remote's last path component, or the directory's
name; for an unpacked sdist (`NAME-VERSION`) the source URL of its metadata, then NAME, the
distribution's name and its docs URL. Team mapping tries every candidate in that order, so
`openstack-heat-27.0.1` (whose docs are at docs.openstack.org/heat) still finds `openstack/heat`.
"""

from __future__ import annotations

import configparser
import re
import subprocess
import sys
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path
from urllib.parse import urlsplit

VERSIONED = re.compile(r"^(?P<name>.+?)-(?P<version>v?\d+(\.\d+)*([.-]?(a|b|rc|dev|post)\d*)*)$")
SOURCE_LABELS = ("source", "repository", "code", "git")
CODE_HOSTS = ("opendev.org", "github.com", "gitlab.com", "git.openstack.org", "bitbucket.org")


@dataclass(frozen=True)
class Identity:
    """`candidates`: repository names, most trusted first; `ref`: the tag, commit or version read."""

    candidates: tuple[str, ...]
    ref: str | None

    @property
    def name(self) -> str:
        return self.candidates[0]


def identify(root: Path) -> Identity:
    metadata = _metadata(root)
    versioned = VERSIONED.match(root.name)
    candidates = [
        _git_remote_name(root),
        None if versioned else root.name,  # a checkout's directory is named after its repository
        *_source_names(metadata),
        versioned.group("name") if versioned else None,  # an unpacked sdist: NAME-VERSION
        metadata.get("name"),
        *_docs_names(metadata),  # last: a plugin's docs are often its service's
    ]
    unique = tuple(dict.fromkeys(c for c in candidates if c))
    return Identity(unique or (root.name,), _git_ref(root) or _version(root.name, metadata))


def _version(directory: str, metadata: dict[str, str]) -> str | None:
    if metadata.get("version"):
        return metadata["version"]
    match = VERSIONED.match(directory)
    return match.group("version") if match else None


def _git(root: Path, *args: str) -> str | None:
    if not (root / ".git").exists():
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def _git_remote_name(root: Path) -> str | None:
    url = _git(root, "remote", "get-url", "origin")
    return _last_component(url) if url else None


def _git_ref(root: Path) -> str | None:
    return _git(root, "describe", "--tags", "--exact-match", "HEAD") or _git(root, "rev-parse", "HEAD")


def _last_component(url: str) -> str | None:
    path = urlsplit(url).path if "://" in url else url.rpartition(":")[2]
    last = path.rstrip("/").rpartition("/")[2]
    return last.removesuffix(".git") or None


def _source_names(metadata: dict[str, str]) -> list[str]:
    names = []
    for label, url in _urls(metadata):
        parts = urlsplit(url)
        repository_page = (parts.hostname or "") in CODE_HOSTS and parts.path.strip("/").count("/") == 1
        if any(word in label for word in SOURCE_LABELS) or (label.startswith("home") and repository_page):
            names.append(_last_component(url))
    return [name for name in names if name]


def _docs_names(metadata: dict[str, str]) -> list[str]:
    """docs.openstack.org/heat/latest/ -> heat: the first path component of a docs page."""
    names = []
    for _label, url in _urls(metadata):
        parts = urlsplit(url)
        components = [c for c in parts.path.split("/") if c and c != "developer"]
        if (parts.hostname or "").startswith("docs.") and components:
            names.append(components[0])
    return names


def _urls(metadata: dict[str, str]) -> list[tuple[str, str]]:
    urls = [("home-page", metadata["home-page"])] if metadata.get("home-page") else []
    for line in metadata.get("project-url", "").splitlines():
        label, _, url = line.partition(",")
        if url.strip():
            urls.append((label.strip().lower(), url.strip()))
    return urls


def _metadata(root: Path) -> dict[str, str]:
    """Name, version, home page and project URLs from PKG-INFO, setup.cfg or pyproject.toml."""
    found = _pkg_info(root)
    for reader in (_setup_cfg, _pyproject):
        for key, value in reader(root).items():
            found.setdefault(key, value)
    return found


def _pkg_info(root: Path) -> dict[str, str]:
    try:
        text = (root / "PKG-INFO").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    headers = HeaderParser().parsestr(text, headersonly=True)
    found = {key: headers.get(title, "") for key, title in (("name", "Name"), ("version", "Version"))}
    found["home-page"] = headers.get("Home-page", "") or ""
    found["project-url"] = "\n".join(headers.get_all("Project-URL") or [])
    return {key: str(value) for key, value in found.items() if value}


def _setup_cfg(root: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(root / "setup.cfg", encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return {}
    if not parser.has_section("metadata"):
        return {}
    section = parser["metadata"]
    found = {"name": section.get("name", ""), "home-page": section.get("home_page", "")}
    pairs = (line.partition("=") for line in section.get("project_urls", "").splitlines())
    found["project-url"] = "\n".join(f"{label.strip()}, {url.strip()}" for label, _, url in pairs if url)
    return {key: value for key, value in found.items() if value}


def _pyproject(root: Path) -> dict[str, str]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    try:
        with (root / "pyproject.toml").open("rb") as handle:
            project = tomllib.load(handle).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    found: dict[str, str] = {}
    if isinstance(project.get("name"), str):
        found["name"] = project["name"]
    urls = project.get("urls")
    if isinstance(urls, dict):
        pairs = [f"{label}, {url}" for label, url in urls.items() if isinstance(url, str)]
        found["project-url"] = "\n".join(pairs)
    return found
