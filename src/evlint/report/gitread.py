"""Read a git repository's revisions without a checkout: `git ls-tree` for each revision's
files, one `git cat-file --batch` process for their contents.

The files evlint may read are kept in one scratch tree that moves from revision to revision:
a blob that did not change is neither read nor written again (its path keeps its bytes and
its mtime, so the result cache answers it from its stat), a path that went away is deleted.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from evlint.model import EvlintError

REGULAR_FILES = ("100644", "100755")
# Files no part of evlint reads (not Python, docs, release notes, dependency declarations,
# configuration or packaging metadata): not written to the scratch tree. nova's API samples
# and templates alone are a third of its files.
UNREAD_SUFFIXES = frozenset({
    ".json", ".tpl", ".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".po", ".pot", ".mo",
    ".dia", ".vsd", ".css", ".js", ".html", ".xml", ".gz", ".tgz", ".zip", ".pdf",
})  # fmt: skip


@dataclass(frozen=True)
class Revision:
    label: str  # what the user named (a tag), or the commit's short hash
    commit: str


def git(repository: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(repository), *args], capture_output=True, text=True, timeout=300, check=False
        )
    except OSError as error:
        raise EvlintError(f"{repository}: cannot run git: {error}") from None
    if done.returncode != 0:
        message = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise EvlintError(f"{repository}: git {' '.join(args)}: {message}")
    return done.stdout


def revisions(repository: Path, revs: Sequence[str], every: int | None) -> list[Revision]:
    """The revisions to read, oldest first: each of `revs` (A..B: every first-parent commit from
    A to B, A included), or every Nth first-parent commit of HEAD (HEAD included), or the tags."""
    if revs:
        found: list[Revision] = []
        for rev in revs:
            found += _range(repository, rev) if ".." in rev else [_resolve(repository, rev, rev)]
        return found
    if every is not None:
        commits = git(repository, "rev-list", "--first-parent", "--reverse", "HEAD").split()
        chosen = commits[len(commits) - 1 :: -every][::-1]
        return [Revision(commit[:12], commit) for commit in chosen]
    tags = git(repository, "tag", "--merged", "HEAD", "--sort=v:refname").split()
    if not tags:
        raise EvlintError(f"{repository}: no tags: name the revisions with --revs or --every")
    return [_resolve(repository, tag, tag) for tag in tags]


def _resolve(repository: Path, rev: str, label: str) -> Revision:
    return Revision(label, git(repository, "rev-parse", "--verify", f"{rev}^{{commit}}").strip())


def _range(repository: Path, rev: str) -> list[Revision]:
    start, _, end = rev.partition("..")
    first = _resolve(repository, start, start)
    commits = git(repository, "rev-list", "--first-parent", "--reverse", rev).split()
    tags = _tags_by_commit(repository)
    return [first, *(Revision(tags.get(c, c[:12]), c) for c in commits)] if end else [first]


def _tags_by_commit(repository: Path) -> dict[str, str]:
    listed = git(
        repository, "for-each-ref", "--format=%(*objectname) %(objectname) %(refname:short)", "refs/tags"
    )
    tags: dict[str, str] = {}
    for line in listed.splitlines():
        peeled, direct, name = line.split(" ", 2)
        tags.setdefault(peeled or direct, name)
    return tags


class ScratchTree:
    """A directory holding one revision's files at a time."""

    def __init__(self, repository: Path, directory: Path) -> None:
        self.repository = repository
        self.directory = directory
        self.written: dict[str, str] = {}  # path -> blob id now on disk
        self.blobs_read = 0
        self._batch: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ScratchTree:
        self._batch = subprocess.Popen(
            ["git", "-C", str(self.repository), "cat-file", "--batch"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
        )
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._batch is not None:
            assert self._batch.stdin is not None and self._batch.stdout is not None
            self._batch.stdin.close()
            self._batch.wait(timeout=60)
            self._batch.stdout.close()

    def move_to(self, revision: Revision) -> None:
        wanted = dict(self._files(revision))
        for path in [p for p in self.written if p not in wanted]:
            (self.directory / path).unlink(missing_ok=True)
            del self.written[path]
        for path, blob in wanted.items():
            if self.written.get(path) != blob:
                target = self.directory / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self._read(blob))
                self.written[path] = blob

    def _files(self, revision: Revision) -> Iterator[tuple[str, str]]:
        listing = git(self.repository, "ls-tree", "-r", "-z", "--full-tree", revision.commit)
        for entry in listing.split("\0"):
            if not entry:
                continue
            meta, _, path = entry.partition("\t")
            mode, kind, blob = meta.split()
            if (
                kind == "blob"
                and mode in REGULAR_FILES
                and not path.startswith(".git/")
                and _evlint_reads(path)
            ):
                yield os.path.normpath(path), blob

    def _read(self, blob: str) -> bytes:
        assert self._batch is not None and self._batch.stdin is not None and self._batch.stdout is not None
        self._batch.stdin.write(blob.encode() + b"\n")
        self._batch.stdin.flush()
        header = self._batch.stdout.readline().split()
        size = int(header[2])
        data = self._batch.stdout.read(size)
        self._batch.stdout.read(1)  # the newline after the contents
        self.blobs_read += 1
        return data


def _evlint_reads(path: str) -> bool:
    """Whether evlint may read the file at `path` (see UNREAD_SUFFIXES)."""
    return os.path.splitext(path)[1].lower() not in UNREAD_SUFFIXES
