"""A racily clean cache entry (git's term): a file rewritten so close to the run that
recorded it that its stat may not show the rewrite is checked again by content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import evlint.runner.cached
from tests.conftest import write_files
from tests.test_cache_staleness import SLEEPS, SPAWNS, age, concise


def _coarse_ctimes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stat as a filesystem with coarse timestamps (ext4's 128-byte inodes and ext3 keep whole
    seconds, FAT two): a rewrite within the same tick as the last change keeps the ctime."""
    real = evlint.runner.cached._stat
    first: dict[str, int] = {}

    def coarse(path: Path) -> os.stat_result | None:
        stat = real(path)
        if stat is None:
            return None
        fields = {name: getattr(stat, name) for name in dir(stat) if name.startswith("st_")}
        fields["st_ctime_ns"] = first.setdefault(str(path), stat.st_ctime_ns)
        return os.stat_result(tuple(stat)[:10], fields)

    monkeypatch.setattr(evlint.runner.cached, "_stat", coarse)


def test_a_rewrite_in_the_same_ctime_tick_as_the_recording_run_is_read_again(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "pkg" / "mod.py"
    write_files(project, {"pkg/mod.py": SLEEPS})
    age(path)  # an old mtime (`cp -p`, `tar x`), but changed just now: its ctime is recent
    _coarse_ctimes(monkeypatch)
    assert concise() == ["EVL201"]  # records the entry; the ctime says "racy": not trusted by stat
    before = path.stat()
    assert len(SPAWNS) == len(SLEEPS)
    path.write_text(SPAWNS)  # the same size, the same inode, within the same ctime tick
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert concise() == ["EVL101"]  # before: EVL201, the old file's answer, served by stat


def test_an_entry_recorded_long_after_the_last_change_is_trusted_by_stat(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other side: a file whose mtime and ctime are both old is answered without reading
    it (a file that cannot be read any more still gets its recorded answer)."""
    import evlint.cache.results

    monkeypatch.setattr(evlint.cache.results, "RACY_SECONDS", 0.0)  # (no ctime can be set back)
    path = project / "pkg" / "mod.py"
    write_files(project, {"pkg/mod.py": SLEEPS})
    age(path)
    assert concise() == ["EVL201"]
    monkeypatch.setattr(evlint.runner.cached.CachedRun, "by_content", _never_read)
    assert concise() == ["EVL201"]


def _never_read(*_args: object) -> None:
    raise AssertionError("the file was read: its stat was not trusted")
